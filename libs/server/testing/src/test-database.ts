import { randomBytes } from 'node:crypto';
import { ensureDatabaseExists, withDatabase } from '@portal/core';
import pg from 'pg';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through jest (its globalSetup prepares the database)`);
  return v;
}

/**
 * A fresh database for one test file: a clone of the template the global setup migrated and seeded
 * (counties, industries, schools, bureaus, the demo accounts with the demo password).
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const cluster = env('TEST_PG_CLUSTER_URL');
  const template = env('TEST_TEMPLATE_DB');
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

export const demoPassword = (): string => env('TEST_DEMO_PASSWORD');
/** The Redis the global setup found or started, if any. */
export const testRedisUrl = (): string | undefined => process.env.TEST_REDIS_URL;
