import pg from 'pg';
import { startTestApp, type TestApp } from '@portal/testing';
import { atDecision, cityReviewer, newApplicant } from '../support/certification.js';
import {
  buildProcesses,
  exited,
  killAll,
  ownRedis,
  redisServerInstalled,
  startApiProcess,
  startWorkerProcess,
  until,
  type ApiProcess,
  type OwnRedis,
} from '../support/processes.js';

/**
 * The whole product restarted during a batch (issue 13): an API process and a worker process (the BullMQ
 * topology) on one database and Redis; the city starts a batch decision of N applications; the drill holds
 * the row of the third, so the batch has decided two and waits on the third when both processes are
 * killed (SIGKILL: nothing gets to finish). Started again on the same database and Redis: every case,
 * certificate and subsidy of the two is there, the batch reports exactly that (2 acted, the rest pending,
 * interrupted), and the city's second run decides the rest and refuses the two already decided: N
 * certifications, N subsidies, N certificates with consecutive serials, nothing twice.
 */

const describeWithRedis = redisServerInstalled('product-restart.test.ts') ? describe : describe.skip;
const N = 5;
const BEFORE_CRASH = 2;

let t: TestApp;
let redis: OwnRedis;
let admin: pg.Client;
/** holds a case's row (pg_stat_activity is a snapshot per transaction: the watching is done by admin) */
let locker: pg.Client;
let decider: string;

const count = async (sql: string, params: unknown[] = []) => Number((await admin.query(sql, params)).rows[0].n);

async function call(api: ApiProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${await t.token(decider)}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function startProduct(tag: string): Promise<[ApiProcess, import('node:child_process').ChildProcess]> {
  const env = { DATABASE_URL: t.config.databaseUrl!, REDIS_URL: redis.url, JOB_LOCK_MS: '2000' };
  return Promise.all([startApiProcess(`api-${tag}`, env), startWorkerProcess(`worker-${tag}`, env)]);
}

describeWithRedis('the whole product restarted during a batch decision', () => {
  beforeAll(async () => {
    buildProcesses();
    redis = await ownRedis();
    // the in-process app only prepares the applications (enqueue-only); the worker process runs the jobs
    t = await startTestApp({ REDIS_URL: redis.url }, {});
    admin = new pg.Client({ connectionString: t.config.databaseUrl, application_name: 'fault-drill' });
    await admin.connect();
    locker = new pg.Client({ connectionString: t.config.databaseUrl, application_name: 'fault-drill' });
    await locker.connect();
    decider = await cityReviewer(t, 'city_restart');
  }, 300_000);

  afterAll(async () => {
    await admin?.end();
    await locker?.end();
    await killAll(10_000);
    await t?.close();
  }, 60_000);

  it('keeps what was done, reports it exactly, and the second run finishes the batch with nothing twice', async () => {
    let [api, worker] = await startProduct('1');
    const apps = [];
    for (let i = 0; i < N; i++) apps.push(await atDecision(t, await newApplicant(t)));
    const ids = apps.map((a) => a.id);
    const caseIds = apps.map((a) => a.case.caseId);

    // the third application's case is held: the batch decides two and waits there
    await locker.query('BEGIN');
    await locker.query(`SELECT id FROM cases WHERE id = $1 FOR UPDATE`, [caseIds[BEFORE_CRASH]]);
    const running = call(api, 'POST', '/api/certification-applications/batch-actions', { ids, action: 'certify' }).catch((e: Error) => e);
    const acted = () => count(`SELECT count(*)::int AS n FROM document_batch_items WHERE status = 'acted'`);
    const waiting = () =>
      count(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE $1 AND wait_event_type = 'Lock' AND datname = current_database()`, [
        `portal-api@%:${api.proc.pid}`,
      ]);
    expect(await until(async () => (await acted()) === BEFORE_CRASH && (await waiting()) === 1, 60_000, 50)).toBe(true);

    // the whole product goes down at once
    api.proc.kill('SIGKILL');
    worker.kill('SIGKILL');
    expect(await exited(api.proc, 5_000)).toBe(true);
    expect(await exited(worker, 5_000)).toBe(true);
    await locker.query('ROLLBACK');
    // the city got no answer (the connection died with the API): fetch's error, not a response
    expect(await running).toMatchObject({ message: 'fetch failed' });

    [api, worker] = await startProduct('2');
    const [{ id: batchId }] = (await admin.query(`SELECT max(id)::int AS id FROM document_batches`)).rows;
    // the restarted worker issues what the two decisions asked for; the batch says exactly what was done
    expect(await until(async () => (await count(`SELECT count(*)::int AS n FROM documents WHERE kind = 'certificate'`)) === BEFORE_CRASH, 60_000, 200)).toBe(
      true,
    );
    const report = await call(api, 'GET', `/api/document-batches/${batchId}`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      state: 'interrupted',
      items: N,
      acted: BEFORE_CRASH,
      skipped: 0,
      pending: N - BEFORE_CRASH,
      done: BEFORE_CRASH,
      failed: 0,
    });
    expect(await count(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1) AND state = 'certified'`, [caseIds])).toBe(BEFORE_CRASH);
    expect(await count(`SELECT count(*)::int AS n FROM subsidies`)).toBe(BEFORE_CRASH);
    expect(await count(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1) AND state = 'decision'`, [caseIds.slice(BEFORE_CRASH)])).toBe(N - BEFORE_CRASH);

    // the city runs the batch again: the two are refused as decided, the rest are decided now
    const again = await call(api, 'POST', '/api/certification-applications/batch-actions', { ids, action: 'certify' });
    expect(again.status).toBe(200);
    const results = again.body.results as Array<{ id: number; ok: boolean; status?: number }>;
    expect(results.filter((r) => r.ok).map((r) => r.id)).toEqual(ids.slice(BEFORE_CRASH));
    expect(results.filter((r) => !r.ok).map((r) => [r.id, r.status])).toEqual(ids.slice(0, BEFORE_CRASH).map((id) => [id, 409]));
    expect(
      await until(async () => (await count(`SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL AND available_at <= now()`)) === 0, 60_000, 200),
    ).toBe(true);

    // everything once: decisions, certifications, subsidies, certificates with serials 1..N
    expect(await count(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1) AND state = 'certified'`, [caseIds])).toBe(N);
    expect(
      (await admin.query(`SELECT case_id FROM case_events WHERE case_id = ANY($1) AND action = 'certify' GROUP BY 1 HAVING count(*) <> 1`, [caseIds])).rows,
    ).toEqual([]);
    expect(await count(`SELECT count(*)::int AS n FROM case_events WHERE case_id = ANY($1) AND action = 'certify'`, [caseIds])).toBe(N);
    expect(await count(`SELECT count(DISTINCT enterprise_id)::int AS n FROM certifications WHERE level = 'city'`)).toBe(N);
    expect(await count(`SELECT count(*)::int AS n FROM certifications WHERE level = 'city'`)).toBe(N);
    expect(await count(`SELECT count(*)::int AS n FROM subsidies WHERE level = 'city'`)).toBe(N);
    const serials: string[] = (await admin.query(`SELECT serial FROM documents WHERE kind = 'certificate' ORDER BY serial`)).rows.map((r) => r.serial);
    expect(serials.map((s) => Number(s.split('-')[2]))).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE last_error IS NOT NULL`)).toBe(0);
    const second = await call(api, 'GET', `/api/document-batches/${Number(again.body.batchId)}`);
    expect(second.body).toMatchObject({ state: 'finished', acted: N - BEFORE_CRASH, skipped: BEFORE_CRASH, pending: 0, done: N - BEFORE_CRASH });
  }, 300_000);
});
