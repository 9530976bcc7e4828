// Once per jest run: a PostgreSQL cluster (TEST_DATABASE_URL / DATABASE_URL, else the embedded one), a
// template database with every migration and the seeds, and a Redis for the tests that need one.
// Each test file then clones the template (CREATE DATABASE … TEMPLATE), so files run in parallel, isolated.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDatabaseExists, freePort, pingRedis, startEmbeddedPostgres, withDatabase } from '@portal/core';
import { runMigrations } from '@portal/migrations';
import { runSeeds } from '@portal/seeds';

export const DEMO_PASSWORD = 'Demo@2025';

export default async function globalSetup() {
  const started = Date.now();
  const state = {};
  let clusterUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (clusterUrl) {
    clusterUrl = withDatabase(clusterUrl, 'postgres');
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'portal-test-pg-'));
    chmodSync(dir, 0o755); // the cluster runs as the postgres user when we are root
    const pg = await startEmbeddedPostgres(path.join(dir, 'data'), { persistent: false });
    clusterUrl = pg.clusterUrl;
    state.pg = pg;
    state.pgDir = dir;
  }
  const template = `portal_tpl_${process.pid}_${Date.now().toString(36)}`;
  await ensureDatabaseExists(clusterUrl, template);
  const templateUrl = withDatabase(clusterUrl, template);
  await runMigrations(templateUrl);
  await runSeeds(templateUrl, { demoPassword: DEMO_PASSWORD });

  // Redis: TEST_REDIS_URL, else the machine's, else one we start when redis-server is installed
  let redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if ((await pingRedis(redisUrl, 500)).status !== 'up') {
    redisUrl = undefined;
    if (spawnSync('which', ['redis-server']).status === 0) {
      const port = await freePort();
      // without libfaketime (redis-server cannot run under it; see tests/at-hours.sh)
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')));
      const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
        detached: true,
        env,
      });
      proc.unref();
      state.redisPid = proc.pid;
      const url = `redis://127.0.0.1:${port}`;
      for (let i = 0; i < 50 && (await pingRedis(url, 200)).status !== 'up'; i++) await new Promise((r) => setTimeout(r, 100));
      redisUrl = url;
    }
  }
  if (!redisUrl && process.env.REQUIRE_REDIS) throw new Error('REQUIRE_REDIS is set but no Redis is reachable and redis-server is not installed');

  process.env.TEST_PG_CLUSTER_URL = clusterUrl;
  process.env.TEST_TEMPLATE_DB = template;
  process.env.TEST_DEMO_PASSWORD = DEMO_PASSWORD;
  // every test app appends its responses here; the teardown searches them for personal data (see global-teardown.mjs)
  const auditDir = mkdtempSync(path.join(tmpdir(), 'portal-responses-'));
  process.env.TEST_RESPONSE_AUDIT_DIR = auditDir;
  state.auditDir = auditDir;
  if (redisUrl) process.env.TEST_REDIS_URL = redisUrl;
  globalThis.__PORTAL_TEST_STATE__ = { ...state, clusterUrl, template };
  console.log(
    `\n[tests] PostgreSQL ${state.pg ? 'embedded' : 'external'}, template ${template} ready in ${Date.now() - started} ms; Redis ${redisUrl ?? 'none'}`,
  );
}

export function cleanupDir(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
