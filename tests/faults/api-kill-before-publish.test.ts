import { editTestCase, openTestCase, startTestApp, userId, act as actHere, type TestApp } from '@portal/testing';
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
 * The API killed between commit and publish (issue 13). A real API process (tests/faults/api-process.mjs)
 * commits a decision and is SIGKILLed before its outbox rows are taken:
 * - embedded default (no REDIS_URL, the API runs the jobs itself): API A is busy in a slow effect of an earlier
 *   decision, so the rows of the next decision it commits are not taken by anyone when it is killed (the drill
 *   checks they are unlocked); the restarted API B runs both within 5 s, each effect exactly once;
 * - the BullMQ topology (REDIS_URL: the API only writes the outbox): API C commits and is killed with no worker
 *   running; a worker started afterwards publishes the rows within 5 s and runs each job once.
 */

const describeWithRedis = redisServerInstalled('api-kill-before-publish.test.ts') ? describe : describe.skip;

let t: TestApp;
let redis: OwnRedis;
const SLOW_EFFECT_MS = 4000;

const count = async (sql: string, params: unknown[] = []) => Number((await t.ds.query(sql, params))[0].n);
const state = async (id: number) => (await t.ds.query(`SELECT state FROM cases WHERE id = $1`, [id]))[0].state as string;

/** POST an action to an API process, as a user (the token of the in-process app: the secret is in the database). */
async function actOn(api: ApiProcess, user: string, ref: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api.url}/api/cases/${ref}/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token(user)}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A test case through review, panel and 公示 (its timer made due): at the decision. Jobs run elsewhere. */
async function toDecision(name: string, data: Record<string, unknown> = {}): Promise<{ id: number; ref: string }> {
  const c = await openTestCase(t, 'enterprise', { name, ...data });
  const panel = await Promise.all(['expert1', 'expert2', 'expert3'].map((x) => userId(t, x)));
  for (const [u, body] of [
    ['enterprise', { action: 'submit' }],
    ['county', { action: 'approve' }],
    ['city', { action: 'send_to_panel', panel }],
    ['expert1', { action: 'score', scores: { cooperation: 40, plan: 40 } }],
    ['expert2', { action: 'score', scores: { cooperation: 40, plan: 40 } }],
    ['expert3', { action: 'score', scores: { cooperation: 40, plan: 40 } }],
  ] as const) {
    const res = await actHere(t, u, c.ref, body);
    if (res.status !== 200) throw new Error(`${u} ${body.action}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await t.ds.query(
    `UPDATE outbox SET available_at = now() WHERE job_name = 'workflow.timer' AND processed_at IS NULL AND (payload->>'timerId')::bigint IN (SELECT id FROM timers WHERE case_id = $1)`,
    [c.id],
  );
  if (!(await until(async () => (await state(c.id)) === 'decision', 30_000, 100))) throw new Error(`${name} did not reach the decision`);
  return c;
}

/** The outbox rows a decision's event wrote: its effect, and the applicant's notice. */
async function rowsOf(caseId: number): Promise<Array<{ id: string; job_name: string; published_at: Date | null; processed_at: Date | null }>> {
  return t.ds.query(
    `SELECT id, job_name, published_at, processed_at FROM outbox
      WHERE (job_name = 'workflow.effect' AND (payload->>'caseId')::bigint = $1) OR (job_name = 'notify' AND payload->>'kind' = 'decided' AND (payload->>'caseId')::bigint = $1)
      ORDER BY id`,
    [caseId],
  );
}
const done = async (caseId: number) => {
  const rows = await rowsOf(caseId);
  return rows.length === 2 && rows.every((r) => r.processed_at !== null);
};
/** Whether a row is free (no runner holds it): a SKIP LOCKED read of it finds it. */
async function unlocked(ids: string[]): Promise<boolean> {
  return t.ds.transaction(async (em) => (await em.query(`SELECT id FROM outbox WHERE id = ANY($1) FOR UPDATE SKIP LOCKED`, [ids])).length === ids.length);
}
/** The decision's effect: how often it began, and its one result row (runs = executions that finished). */
async function effectOf(caseId: number) {
  const [{ starts }] = await t.ds.query(`SELECT count(*)::int AS starts FROM test_effect_starts WHERE case_id = $1`, [caseId]);
  const results: Array<{ runs: number }> = await t.ds.query(`SELECT runs FROM test_effects WHERE case_id = $1`, [caseId]);
  return { starts: Number(starts), results };
}
const decidedNotices = (caseId: number) => count(`SELECT count(*)::int AS n FROM notifications WHERE case_id = $1 AND kind = 'decided'`, [caseId]);

describeWithRedis('the API killed between commit and publish', () => {
  const cases: Record<'x' | 'y' | 'z', { id: number; ref: string }> = {} as never;
  let b: ApiProcess;

  beforeAll(async () => {
    buildProcesses();
    redis = await ownRedis();
    // this process runs no jobs: the API processes do (or a worker)
    t = await startTestApp({ JOBS_ENABLED: 'false' }, { testWorkflow: true });
    for (const u of ['enterprise', 'county', 'city', 'city2', 'expert1', 'expert2', 'expert3']) await t.token(u);
  }, 300_000);

  afterAll(async () => {
    await killAll(10_000);
    await t?.close();
  }, 60_000);

  it('embedded default: a decision committed by API A, killed before it took the rows, is run by the restarted API within 5 s, once', async () => {
    const a = await startApiProcess('A', { DATABASE_URL: t.config.databaseUrl! });
    cases.x = await toDecision('慢效果的认定', { slowEffectMs: SLOW_EFFECT_MS });
    cases.y = await toDecision('提交后被杀的认定');
    cases.z = await toDecision('队列拓扑中被杀的认定');

    // A takes X's effect and sleeps in it...
    expect((await actOn(a, 'city2', cases.x.ref, { action: 'certify', comment: '予以认定' })).status).toBe(200);
    expect(await until(async () => (await effectOf(cases.x.id)).starts === 1, 20_000, 20)).toBe(true);
    // ...while it commits Y's decision: Y's rows are committed, and no runner holds them
    const certified = await actOn(a, 'city2', cases.y.ref, { action: 'certify', comment: '予以认定' });
    expect(certified.status).toBe(200);
    expect(certified.body.state).toBe('approved');
    const yRows = await rowsOf(cases.y.id);
    expect(yRows.map((r) => r.job_name).sort()).toEqual(['notify', 'workflow.effect']);
    expect(yRows.every((r) => r.processed_at === null)).toBe(true);
    expect(await unlocked(yRows.map((r) => r.id))).toBe(true);

    a.proc.kill('SIGKILL');
    expect(await exited(a.proc, 5_000)).toBe(true);
    expect(a.proc.signalCode).toBe('SIGKILL');
    expect(await effectOf(cases.x.id)).toEqual({ starts: 1, results: [] });
    expect(await effectOf(cases.y.id)).toEqual({ starts: 0, results: [] });
    expect(await done(cases.y.id)).toBe(false);

    // the restarted API runs X's interrupted effect (now quick) and Y's untouched rows within 5 s
    await editTestCase(t, cases.x.id, { name: '慢效果的认定' });
    b = await startApiProcess('B', { DATABASE_URL: t.config.databaseUrl! });
    expect(await until(async () => (await done(cases.x.id)) && (await done(cases.y.id)), 5_000, 50)).toBe(true);
    expect(await effectOf(cases.x.id)).toEqual({ starts: 2, results: [{ runs: 1 }] });
    expect(await effectOf(cases.y.id)).toEqual({ starts: 1, results: [{ runs: 1 }] });
    expect(await decidedNotices(cases.x.id)).toBe(1);
    expect(await decidedNotices(cases.y.id)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM case_events WHERE case_id = ANY($1) AND action = 'certify'`, [[cases.x.id, cases.y.id]])).toBe(2);
  }, 240_000);

  it('BullMQ topology: API C commits and is killed with no worker up; a worker publishes the rows within 5 s and runs them once', async () => {
    // B has run everything due (asserted above): it goes at once
    b.proc.kill('SIGKILL');
    expect(await exited(b.proc, 5_000)).toBe(true);
    const c = await startApiProcess('C', { DATABASE_URL: t.config.databaseUrl!, REDIS_URL: redis.url });
    expect((await actOn(c, 'city2', cases.z.ref, { action: 'certify', comment: '予以认定' })).status).toBe(200);
    c.proc.kill('SIGKILL');
    expect(await exited(c.proc, 5_000)).toBe(true);
    const rows = await rowsOf(cases.z.id);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.published_at === null && r.processed_at === null)).toBe(true);

    const w = await startWorkerProcess('W', { DATABASE_URL: t.config.databaseUrl!, REDIS_URL: redis.url, JOB_LOCK_MS: '2000' });
    expect(await until(async () => (await rowsOf(cases.z.id)).every((r) => r.published_at !== null), 5_000, 50)).toBe(true);
    expect(await until(() => done(cases.z.id), 20_000, 100)).toBe(true);
    expect(alive(w)).toBe(true);
    expect(await effectOf(cases.z.id)).toEqual({ starts: 1, results: [{ runs: 1 }] });
    expect(await decidedNotices(cases.z.id)).toBe(1);
    expect(await state(cases.z.id)).toBe('approved');
  }, 120_000);
});
