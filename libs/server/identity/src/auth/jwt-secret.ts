import { randomSecret, type AppConfig } from '@portal/core';
import type { DataSource } from 'typeorm';

/**
 * The token signing secret: JWT_SECRET when configured; otherwise one generated on first start and kept
 * in the database, so every API instance and every restart signs and checks with the same secret.
 */
export async function resolveJwtSecret(config: AppConfig, ds: DataSource): Promise<string> {
  if (config.jwtSecret) return config.jwtSecret;
  await ds.query(`INSERT INTO system_secrets (name, value) VALUES ('jwt', $1) ON CONFLICT (name) DO NOTHING`, [randomSecret()]);
  const rows: Array<{ value: string }> = await ds.query(`SELECT value FROM system_secrets WHERE name = 'jwt'`);
  return rows[0].value;
}
