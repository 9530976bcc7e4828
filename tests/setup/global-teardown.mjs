import pg from 'pg';
import { cleanupDir } from './global-setup.mjs';

export default async function globalTeardown() {
  const state = globalThis.__PORTAL_TEST_STATE__;
  if (!state) return;
  if (state.pg) {
    await state.pg.stop();
    cleanupDir(state.pgDir);
  } else {
    // an external server: drop the template and every database the files cloned from it
    const client = new pg.Client({ connectionString: state.clusterUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [state.template, `${state.template}_f%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.end();
  }
  if (state.redisPid) {
    try {
      process.kill(state.redisPid);
    } catch {}
  }
}
