// The scratch database every benchmark runs on: on the server DATABASE_URL names (read, like everything the
// product reads from the environment, through AppConfig), else on an embedded PostgreSQL in a temporary directory;
// migrated and seeded. `close()` drops it, or stops the embedded server, and removes the temporary directory.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AppConfig, ensureDatabaseExists, startEmbeddedPostgres, withDatabase } from '@portal/core';
import { runMigrations } from '@portal/migrations';
import { runSeeds } from '@portal/seeds';

// citySize: the demo city generator's size (seeds/city: N enterprises, 10·N practice records, N/5 order classes), 0 = none
export async function scratchDatabase({ demoPassword, prefix = 'portal_bench', citySize = 0 }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-bench-'));
  chmodSync(dir, 0o755); // the embedded cluster runs as the postgres user when we are root; COPY reads files here
  let cluster = AppConfig.fromEnv().databaseUrl;
  const embedded = cluster ? undefined : await startEmbeddedPostgres(path.join(dir, 'data'), { persistent: false });
  cluster ??= embedded.clusterUrl;
  const name = `${prefix}_${Date.now().toString(36)}`;
  await ensureDatabaseExists(withDatabase(cluster, 'postgres'), name);
  const url = withDatabase(cluster, name);
  await runMigrations(url);
  await runSeeds(url, { demoPassword, citySize });
  return {
    url,
    dir,
    async close() {
      if (embedded) await embedded.stop();
      else {
        const admin = new pg.Client({ connectionString: withDatabase(cluster, 'postgres') });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
