import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { portalToday } from '@portal/contracts';
import { startTestApp, type TestApp } from '@portal/testing';
import { atDecision, cityReviewer, newApplicant } from '../support/certification.js';
import {
  alive,
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
 * Several instances (issue 13): the docker-compose.yml topology as processes on this machine, two API
 * instances and two workers on one database and one Redis (a scratch database and a Redis of the drill's own).
 * The city decides N applications, the requests spread over both APIs with an Idempotency-Key each. API 1 is
 * SIGKILLed mid-load while one of its decisions is in its transaction (the drill holds that case's row); the
 * client retries each request that got no answer on API 2 with its key. Worker 1 is SIGKILLed while it holds
 * certificate jobs stopped in their transactions (the drill holds the serial counter), each with its number
 * taken. Then: every acknowledged decision applied once, no lost 2xx and no second event; every effect
 * exactly once (a certification, a subsidy and a certificate per decision, one notice to each applicant);
 * certificate serials 1..N without a gap.
 */

const describeWithRedis = redisServerInstalled('several-instances.test.ts') ? describe : describe.skip;
const N = 6;

let t: TestApp;
let redis: OwnRedis;
let admin: pg.Client;
let locker: pg.Client;
let serialLock: pg.Client;
let decider: string;

const count = async (sql: string, params: unknown[] = []) => Number((await admin.query(sql, params)).rows[0].n);

type Answer = { status: number; body: Record<string, unknown> } | { error: Error };

async function certify(api: ApiProcess, id: number, key: string): Promise<Answer> {
  try {
    const res = await fetch(`${api.url}/api/certification-applications/${id}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token(decider)}`, 'idempotency-key': key },
      body: JSON.stringify({ action: 'certify', comment: '予以认定' }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } catch (e) {
    return { error: e as Error };
  }
}

describeWithRedis('two API instances and two workers, one of each SIGKILLed under load', () => {
  beforeAll(async () => {
    buildProcesses();
    redis = await ownRedis();
    // the in-process app only prepares the applications (enqueue-only): the worker processes run the jobs
    t = await startTestApp({ REDIS_URL: redis.url }, {});
    admin = new pg.Client({ connectionString: t.config.databaseUrl, application_name: 'fault-drill' });
    await admin.connect();
    locker = new pg.Client({ connectionString: t.config.databaseUrl, application_name: 'fault-drill' });
    await locker.connect();
    serialLock = new pg.Client({ connectionString: t.config.databaseUrl, application_name: 'fault-drill' });
    await serialLock.connect();
    decider = await cityReviewer(t, 'city_multi');
  }, 300_000);

  afterAll(async () => {
    await admin?.end();
    await locker?.end();
    await serialLock?.end();
    await killAll(10_000);
    await t?.close();
  }, 60_000);

  it('every acknowledged decision once, every effect once, serials without gaps', async () => {
    const env = { DATABASE_URL: t.config.databaseUrl!, REDIS_URL: redis.url, JOB_LOCK_MS: '2000' };
    // the APIs boot while the workers run the preparation's jobs
    const apis = Promise.all([startApiProcess('1', env), startApiProcess('2', env)]);
    const [w1, w2]: ChildProcess[] = await Promise.all([startWorkerProcess('1', env), startWorkerProcess('2', env)]);
    const apps = [];
    for (let i = 0; i < N; i++) apps.push(await atDecision(t, await newApplicant(t)));
    const [api1, api2] = await apis;
    const caseIds = apps.map((a) => a.case.caseId);
    await t.token(decider);

    // the certificates' serial is held: every certificate job stops in its transaction, in the worker that took it
    await serialLock.query('BEGIN');
    await serialLock.query(
      `INSERT INTO document_serials (kind, year, last) VALUES ('certificate', $1, 0) ON CONFLICT (kind, year) DO UPDATE SET last = document_serials.last`,
      [Number(portalToday().slice(0, 4))],
    );
    // application 0 goes to API 1 and is held in its transaction; the rest alternate over both APIs
    await locker.query('BEGIN');
    await locker.query(`SELECT id FROM cases WHERE id = $1 FOR UPDATE`, [caseIds[0]]);
    const via = (i: number) => (i % 2 === 0 ? api1 : api2);
    const first = apps.map((a, i) => certify(via(i), a.id, `multi-${i}`));
    const answered = new Set<number>();
    first.forEach((p, i) => void p.then((r) => 'status' in r && answered.add(i)));
    /** backends of one process (its pid ends its application_name) waiting on a lock */
    const waitingOf = (role: string, pid: number) =>
      count(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE $1 AND wait_event_type = 'Lock' AND datname = current_database()`, [
        `${role}@%:${pid}`,
      ]);
    expect(await until(async () => (await waitingOf('portal-api', api1.proc.pid!)) === 1 && answered.size >= 3, 60_000, 50)).toBe(true);

    // mid-load: API 1 dies with a decision in its transaction
    api1.proc.kill('SIGKILL');
    expect(await exited(api1.proc, 5_000)).toBe(true);
    await locker.query('ROLLBACK');
    const answers = await Promise.all(first);

    // every 2xx stands: its decision is there
    const acknowledged = answers.flatMap((r, i) => ('status' in r && r.status === 200 ? [i] : []));
    expect(acknowledged.length).toBeGreaterThanOrEqual(3);
    for (const i of acknowledged) expect((await admin.query(`SELECT state FROM cases WHERE id = $1`, [caseIds[i]])).rows[0].state).toBe('certified');
    // a request either got a 200 or no answer at all (its instance died): never an error answer
    const lost = answers.flatMap((r, i) => ('error' in r ? [i] : []));
    expect(answers.every((r) => 'error' in r || r.status === 200)).toBe(true);
    expect(lost).toContain(0);
    expect(acknowledged.length + lost.length).toBe(N);

    // the client retries what got no answer on API 2 with the same key: applied once (or replayed)
    for (const i of lost) {
      const again = await certify(api2, apps[i].id, `multi-${i}`);
      expect('status' in again && again.status).toBe(200);
      const replay = await certify(api2, apps[i].id, `multi-${i}`);
      expect('status' in replay && replay.status).toBe(200);
    }

    // every decision's certificate job is in a worker, stopped at the serial: worker 1 (which must hold some, as
    // each worker runs at most 4 at once) dies with them in their transactions
    expect(await until(async () => (await waitingOf('portal-worker', w1.pid!)) >= 1, 60_000, 50)).toBe(true);
    w1.kill('SIGKILL');
    expect(await exited(w1, 5_000)).toBe(true);
    await serialLock.query('ROLLBACK');

    // worker 2 finishes everything, worker 1's jobs included once their locks lapse
    const settled = await until(
      async () => (await count(`SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL AND available_at <= now()`)) === 0,
      90_000,
      250,
    );
    expect(settled).toBe(true);
    expect(alive(w2)).toBe(true);
    expect(alive(api2.proc)).toBe(true);

    // every decision once
    expect(await count(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1) AND state = 'certified'`, [caseIds])).toBe(N);
    expect(
      (await admin.query(`SELECT case_id FROM case_events WHERE case_id = ANY($1) AND action = 'certify' GROUP BY 1 HAVING count(*) <> 1`, [caseIds])).rows,
    ).toEqual([]);
    expect(await count(`SELECT count(*)::int AS n FROM case_events WHERE case_id = ANY($1) AND action = 'certify'`, [caseIds])).toBe(N);
    // every effect once: certification, subsidy, certificate, the applicant's notice
    expect(await count(`SELECT count(*)::int AS n FROM certifications WHERE level = 'city' AND application_id = ANY($1)`, [apps.map((a) => a.id)])).toBe(N);
    expect(await count(`SELECT count(*)::int AS n FROM subsidies WHERE level = 'city'`)).toBe(N);
    expect((await admin.query(`SELECT case_id FROM documents WHERE kind = 'certificate' GROUP BY 1 HAVING count(*) <> 1`)).rows).toEqual([]);
    expect(await count(`SELECT count(*)::int AS n FROM documents WHERE kind = 'certificate' AND case_id = ANY($1)`, [caseIds])).toBe(N);
    expect(
      (
        await admin.query(`SELECT case_id FROM notifications WHERE case_id = ANY($1) AND kind = 'decided' GROUP BY case_id, user_id HAVING count(*) <> 1`, [
          caseIds,
        ])
      ).rows,
    ).toEqual([]);
    expect(await count(`SELECT count(DISTINCT case_id)::int AS n FROM notifications WHERE case_id = ANY($1) AND kind = 'decided'`, [caseIds])).toBe(N);
    // serials without gaps
    const serials: string[] = (await admin.query(`SELECT serial FROM documents WHERE kind = 'certificate' ORDER BY serial`)).rows.map((r) => r.serial);
    expect(serials.map((s) => Number(s.split('-')[2]))).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE last_error IS NOT NULL`)).toBe(0);
  }, 300_000);
});
