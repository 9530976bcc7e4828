import pg from 'pg';
import { act, openTestCase, startTestApp, type TestApp } from '@portal/testing';
import { until } from '../support/processes.js';

/**
 * PostgreSQL backends terminated mid-transaction (`pg_terminate_backend` on the API's connections, found by
 * application_name): the drill holds the outbox table locked, so state changes in flight stop inside their
 * transaction after they have updated the case and opened its next tasks, at their outbox row; it then
 * terminates exactly those backends. Each of those requests gets a clean 503 in Chinese, nothing of it stays
 * (case, tasks, events, outbox, idempotency key: all or nothing), the requests that were not cut answer 2xx
 * and are whole, and the API goes on without a restart: the cut requests retried with their Idempotency-Key
 * are applied once.
 */

const CUT = 4;
const WHOLE = 2;

let t: TestApp;
/** the drill's own connections (not the API's pool): one holds the lock, the other watches and terminates backends
 * (pg_stat_activity is a snapshot per transaction, so it is not read inside the locking one) */
let admin: pg.Client;
let locker: pg.Client;
let db: string;

const count = async (sql: string, params: unknown[] = []) => Number((await admin.query(sql, params)).rows[0].n);

/** What a case has of one county approval: state, version, next-stage tasks, events, outbox rows. */
async function footprint(id: number) {
  const { rows } = await admin.query(
    `SELECT c.state, c.version,
            (SELECT count(*)::int FROM tasks WHERE case_id = c.id AND state = 'city_review') AS tasks,
            (SELECT count(*)::int FROM case_events WHERE case_id = c.id AND action = 'approve') AS events,
            (SELECT count(*)::int FROM outbox WHERE job_name = 'notify' AND (payload->>'caseId')::bigint = c.id AND payload->>'title' LIKE '%市级复核%') AS outbox
       FROM cases c WHERE c.id = $1`,
    [id],
  );
  return rows[0] as { state: string; version: number; tasks: number; events: number; outbox: number };
}

const applied = (v: number) => ({ state: 'city_review', version: v + 1, tasks: 1, events: 1, outbox: 1 });
const untouched = (v: number) => ({ state: 'county_review', version: v, tasks: 0, events: 0, outbox: 0 });

beforeAll(async () => {
  // no job runner in this process: only the requests' own transactions touch the outbox
  t = await startTestApp({ JOBS_ENABLED: 'false', DATABASE_POOL_SIZE: '10' }, { testWorkflow: true });
  db = new URL(t.config.databaseUrl!).pathname.slice(1);
  admin = new pg.Client({ connectionString: t.config.databaseUrl, application_name: 'fault-drill' });
  await admin.connect();
  locker = new pg.Client({ connectionString: t.config.databaseUrl, application_name: 'fault-drill' });
  await locker.connect();
  for (const u of ['enterprise', 'county']) await t.token(u);
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await locker?.end();
  await t?.close();
}, 60_000);

it('terminated transactions leave nothing, answer 503 in Chinese, and the API recovers without restart', async () => {
  const cases: Array<{ id: number; ref: string; version: number }> = [];
  for (let i = 0; i < CUT + WHOLE; i++) {
    const c = await openTestCase(t, 'enterprise', { name: `断线演练${i}` });
    expect((await act(t, 'enterprise', c.ref, { action: 'submit' })).status).toBe(200);
    cases.push({ ...c, version: (await footprint(c.id)).version });
  }
  const cut = cases.slice(0, CUT);
  const whole = cases.slice(CUT);

  // the drill's transaction holds the outbox: every approval stops at its outbox row, its case already updated
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE outbox IN EXCLUSIVE MODE');
  const inFlight = cut.map((c, i) => act(t, 'county', c.ref, { action: 'approve' }, { 'Idempotency-Key': `cut-${i}` }));
  const waiting = `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'portal-api@%' AND backend_xid IS NOT NULL
                      AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO outbox%'`;
  const blocked = await until(async () => (await admin.query(waiting, [db])).rowCount === CUT, 20_000, 50);
  expect(blocked).toBe(true);
  // mid-transaction: each has written (a transaction id) and the case row is updated in it
  const { rows: killed } = await admin.query(`SELECT pid, pg_terminate_backend(pid) AS ok FROM (${waiting}) w`, [db]);
  expect(killed).toHaveLength(CUT);
  expect(killed.every((k) => k.ok)).toBe(true);
  await locker.query('ROLLBACK');

  const answers = await Promise.all(inFlight);
  for (const res of answers) {
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'UNAVAILABLE', message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    expect(JSON.stringify(res.body)).not.toMatch(/terminat|administrator|Connection|pg_/i);
  }
  // nothing of a cut request stays: not the case update, its tasks, its event, its outbox row, nor its key
  for (const c of cut) expect(await footprint(c.id)).toEqual(untouched(c.version));
  expect(await count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key LIKE 'cut-%'`)).toBe(0);

  // no restart: the next requests answer 2xx at once, whole
  for (const c of whole) {
    const res = await act(t, 'county', c.ref, { action: 'approve' });
    expect(res.status).toBe(200);
    expect(await footprint(c.id)).toEqual(applied(c.version));
  }
  // the cut requests, retried with their keys, are applied once; a second retry replays without a change
  for (const [i, c] of cut.entries()) {
    const res = await act(t, 'county', c.ref, { action: 'approve' }, { 'Idempotency-Key': `cut-${i}` });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('city_review');
    const again = await act(t, 'county', c.ref, { action: 'approve' }, { 'Idempotency-Key': `cut-${i}` });
    expect(again.status).toBe(200);
    expect(await footprint(c.id)).toEqual(applied(c.version));
  }
  // reads work too, on a pool that dropped the dead connections
  const list = await t
    .http()
    .get('/api/tasks')
    .set('Authorization', `Bearer ${await t.token('county')}`);
  expect(list.status).toBeLessThan(300);
}, 90_000);
