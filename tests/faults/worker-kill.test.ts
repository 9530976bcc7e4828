import { execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { JobsService } from '@portal/core';
import { act, openTestCase, startTestApp, userId, type TestApp } from '@portal/testing';
import { alive, exited, killAll, ownRedis, redisServerInstalled, startWorkerProcess, stop, until, type OwnRedis } from '../support/processes.js';

/**
 * A BullMQ worker killed in the middle of an effect: worker A (a real process, tests/faults/worker-process.mjs)
 * is SIGKILLed while the decision's effect sleeps; once A's lock (JOB_LOCK_MS = 2 s) lapses, worker B
 * takes the job again. The effect ran twice, and left exactly one result.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const JOB_LOCK_MS = '2000';
const SLOW_EFFECT_MS = 3000;

const describeWithRedis = redisServerInstalled('worker-kill.test.ts') ? describe : describe.skip;

let redis: OwnRedis;
let t: TestApp;
const workers: ChildProcess[] = [];

const count = async (sql: string, params: unknown[] = []) => Number((await t.ds.query(sql, params))[0].n);
const state = async (id: number) => (await t.ds.query(`SELECT state FROM cases WHERE id = $1`, [id]))[0].state as string;

/** Start a worker process on the test database and our Redis. */
async function startWorker(name: string): Promise<ChildProcess> {
  const p = await startWorkerProcess(name, { DATABASE_URL: t.config.databaseUrl!, REDIS_URL: redis.url, JOB_LOCK_MS });
  workers.push(p);
  return p;
}

describeWithRedis('a worker SIGKILLed mid-effect', () => {
  beforeAll(async () => {
    // the workers run the built code: make sure dist matches the sources under test
    execFileSync('npx', ['tsc', '-b', 'apps/api', 'apps/worker', 'libs/server/testing'], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
    redis = await ownRedis();
    // REDIS_URL makes this API process enqueue-only: it writes outbox rows, the worker processes run them
    t = await startTestApp({ REDIS_URL: redis.url, JOB_LOCK_MS }, { testWorkflow: true });
    expect(t.app.get(JobsService).mode).toBe('enqueue-only');
    // city2: the demo data's second city reviewer (the decision after city's 市级复核)
  }, 300_000);

  afterAll(async () => {
    // workers first, while their Redis still answers; then the Redis itself
    for (const w of workers) await stop(w, 10_000);
    await t?.close();
    await killAll();
    expect(workers.every((w) => !alive(w))).toBe(true);
  }, 60_000);

  it('the effect runs again on worker B and leaves exactly one result', async () => {
    const a = await startWorker('A');
    const { id, ref } = await openTestCase(t, 'enterprise', { name: '进程被杀的认定', slowEffectMs: SLOW_EFFECT_MS });
    const experts = await Promise.all(['expert1', 'expert2', 'expert3'].map((u) => userId(t, u)));
    for (const [u, body] of [
      ['enterprise', { action: 'submit' }],
      ['county', { action: 'approve' }],
      ['city', { action: 'send_to_panel', panel: experts }],
      ['expert1', { action: 'score', scores: { cooperation: 40, plan: 40 } }],
      ['expert2', { action: 'score', scores: { cooperation: 40, plan: 40 } }],
      ['expert3', { action: 'score', scores: { cooperation: 40, plan: 40 } }],
    ] as const) {
      expect((await act(t, u, ref, body)).status).toBe(200);
    }
    // the 公示 window closes now: worker A runs the timer
    await t.ds.query(
      `UPDATE outbox SET available_at = now() WHERE job_name = 'workflow.timer' AND processed_at IS NULL AND (payload->>'timerId')::bigint IN (SELECT id FROM timers WHERE case_id = $1)`,
      [id],
    );
    expect(await until(async () => (await state(id)) === 'decision', 20_000, 100)).toBe(true);

    const certified = await act(t, 'city2', ref, { action: 'certify', comment: '予以认定' });
    expect(certified.status).toBe(200);
    const [event] = await t.ds.query(`SELECT id FROM case_events WHERE case_id = $1 AND action = 'certify'`, [id]);
    const eventId = Number(event.id);
    const [job] = await t.ds.query(`SELECT id FROM outbox WHERE job_name = 'workflow.effect' AND (payload->>'eventId')::bigint = $1`, [eventId]);
    const starts = () => count(`SELECT count(*)::int AS n FROM test_effect_starts WHERE case_id = $1 AND event_id = $2`, [id, eventId]);
    const results = () => count(`SELECT count(*)::int AS n FROM test_effects WHERE case_id = $1 AND event_id = $2`, [id, eventId]);
    const processed = async () => (await count(`SELECT count(*)::int AS n FROM outbox WHERE id = $1 AND processed_at IS NOT NULL`, [job.id])) === 1;

    // A has begun the effect (it sleeps 3 s before writing its result): kill it there
    expect(await until(async () => (await starts()) >= 1, 20_000, 20)).toBe(true);
    a.kill('SIGKILL');
    expect(await exited(a, 5_000)).toBe(true);
    expect(a.signalCode).toBe('SIGKILL');
    expect(await results()).toBe(0);
    expect(await processed()).toBe(false);
    expect((await t.ds.query(`SELECT published_at FROM outbox WHERE id = $1`, [job.id]))[0].published_at).not.toBeNull();

    // B takes the job over once A's lock has lapsed, and finishes it
    const b = await startWorker('B');
    expect(await until(processed, 60_000, 200)).toBe(true);
    expect(alive(b)).toBe(true);

    expect(await starts()).toBeGreaterThanOrEqual(2);
    expect(await results()).toBe(1);
    expect(await t.ds.query(`SELECT runs FROM test_effects WHERE case_id = $1 AND event_id = $2`, [id, eventId])).toEqual([{ runs: 1 }]);
    const [row] = await t.ds.query(`SELECT attempts, last_error FROM outbox WHERE id = $1`, [job.id]);
    expect(row.last_error).toBeNull();
    expect(await state(id)).toBe('approved');
    // the rest of the decision's jobs were done too (the applicant was told)
    expect(
      await until(async () => (await count(`SELECT count(*)::int AS n FROM notifications WHERE case_id = $1 AND kind = 'decided'`, [id])) >= 1, 20_000, 100),
    ).toBe(true);
  }, 180_000);
});
