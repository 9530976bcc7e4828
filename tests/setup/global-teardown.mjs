import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { idNumberProblem } from '@portal/contracts';
import { cleanupDir } from './global-setup.mjs';

/** A full 居民身份证号码 (valid check character and birth date), not part of a longer run of letters or digits. */
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])/g;
/**
 * A mainland mobile number, not part of a longer run of letters or digits; searched for in the answers about students
 * (staff contacts are another rule). The letters matter: every refusal carries a random request id (a UUID), and its
 * last group of twelve hex digits is now and then a letter and eleven digits that begin 13-19, which a digits-only
 * boundary took for a phone number and failed the run.
 */
const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;
const STUDENTS = /^\/api\/order-classes(\/|\?|$)/;
/** The one place a full value may be answered: the owning school's explicit, audited reveal. */
const REVEAL = /\/reveal(\?|$)/;

/**
 * Issue 10: no full ID number in any API response of the whole suite, and no student's phone in any answer about
 * order classes and their rosters. Every test app appended what it sent (libs/server/testing: auditResponses);
 * search it all, and fail the run naming each leak (masked).
 */
export function personalDataLeaks(dir) {
  const leaks = [];
  for (const name of readdirSync(dir)) {
    for (const entry of readFileSync(path.join(dir, name), 'utf8').split('\u0000')) {
      const nl = entry.indexOf('\n');
      if (nl < 0) continue;
      const request = entry.slice(0, nl);
      if (REVEAL.test(request.split(' ')[1] ?? '')) continue;
      const body = entry.slice(nl + 1);
      const ids = [...body.matchAll(ID_NUMBER)].map((m) => m[0]).filter((v) => idNumberProblem(v) === undefined);
      const phones = STUDENTS.test(request.split(' ')[1] ?? '') ? [...body.matchAll(MOBILE)].map((m) => m[0]) : [];
      for (const v of [...ids, ...phones]) leaks.push(`${request}: ${v.slice(0, 6)}…${v.slice(-4)}`);
    }
  }
  return leaks;
}

export default async function globalTeardown() {
  const state = globalThis.__PORTAL_TEST_STATE__;
  if (!state) return;
  const leaks = state.auditDir ? personalDataLeaks(state.auditDir) : [];
  if (state.auditDir) rmSync(state.auditDir, { recursive: true, force: true });
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
  if (leaks.length) {
    const shown = leaks.slice(0, 20).join('\n  ');
    throw new Error(`personal data in ${leaks.length} API response(s) of the suite (only /reveal may answer it in full):\n  ${shown}`);
  }
}
