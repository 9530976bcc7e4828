import { randomBytes } from 'node:crypto';
import { ensureDatabaseExists, withDatabase } from '@portal/core';
import pg from 'pg';
import { testConfig } from './test-config.js';

/**
 * A fresh database for one test file: a clone of the template the global setup migrated and seeded
 * (counties, industries, schools, bureaus, the demo accounts with the demo password).
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const cluster = testConfig.pgClusterUrl();
  const template = testConfig.templateDatabase();
  const name = `${template}_f${randomBytes(4).toString('hex')}`;
  await ensureDatabaseExists(cluster, name, template);
  return {
    url: withDatabase(cluster, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: cluster });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export const demoPassword = (): string => testConfig.demoPassword();
/** The Redis the global setup found or started, if any. */
export const testRedisUrl = (): string | undefined => testConfig.redisUrl();
