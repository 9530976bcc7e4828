import path from 'node:path';
import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres, withDatabase, type RunningDatabase } from './embedded-postgres.js';

export const EMBEDDED_DATABASE_NAME = 'portal';

/** Create a database if it does not exist (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabaseExists(clusterUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"${template ? ` TEMPLATE "${template}"` : ''}`);
      } catch (e) {
        // another process created it between our check and our create
        if ((e as { code?: string }).code !== '42P04') throw e;
      }
    }
  } finally {
    await client.end();
  }
}

/**
 * Resolve where the database is: DATABASE_URL when configured, otherwise the embedded PostgreSQL under
 * DATA_DIR (started here, or joined when another of our processes runs it). Returns the config with
 * `databaseUrl` set and a stop function for the embedded cluster.
 */
export async function resolveDatabase(config: AppConfig, log: (m: string) => void = () => {}): Promise<{ config: AppConfig; embedded?: RunningDatabase }> {
  if (config.databaseUrl) return { config };
  const embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'), { log });
  await ensureDatabaseExists(embedded.clusterUrl, EMBEDDED_DATABASE_NAME);
  return { config: config.with({ databaseUrl: withDatabase(embedded.clusterUrl, EMBEDDED_DATABASE_NAME) }), embedded };
}
