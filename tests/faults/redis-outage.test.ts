import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JobsService } from '@portal/core';
import { act, openTestCase, startTestApp, TestWorkflowModule, userId, type TestApp } from '@portal/testing';
import { WorkerModule } from '@portal/worker';
import { killAll, ownRedis, redisServerInstalled, sleep, until, type OwnRedis } from '../support/processes.js';

/**
 * Redis goes away (SIGKILL of a redis-server of our own) while people work: state changes go on answering
 * at once, their side effects wait in the outbox, and once Redis is back the relay publishes the backlog
 * and the worker runs every job, each effect exactly once.
 */

const describeWithRedis = redisServerInstalled('redis-outage.test.ts') ? describe : describe.skip;

let redis: OwnRedis;
let t: TestApp;
let worker: INestApplicationContext;

const jobs = () => worker.get(JobsService);
const count = async (sql: string, params: unknown[] = []) => Number((await t.ds.query(sql, params))[0].n);
const maxOutboxId = async () => count(`SELECT coalesce(max(id), 0) AS n FROM outbox`);
const state = async (id: number) => (await t.ds.query(`SELECT state FROM cases WHERE id = $1`, [id]))[0].state as string;

/** drain() while Redis may still be coming back: retry until every due job is done, at most `ms`. */
async function drainWhenBack(ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await jobs().drain(Math.max(1_000, deadline - Date.now()));
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(200);
    }
  }
}

async function timedAct(user: string, ref: string, body: Record<string, unknown>) {
  const started = performance.now();
  const res = await act(t, user, ref, body);
  return { res, ms: performance.now() - started };
}

async function toDecision(name: string): Promise<{ id: number; ref: string }> {
  const c = await openTestCase(t, 'enterprise', { name });
  for (const [u, body] of [
    ['enterprise', { action: 'submit' }],
    ['county', { action: 'approve' }],
    ['city', { action: 'send_to_panel', panel: await Promise.all(['expert1', 'expert2', 'expert3'].map((x) => userId(t, x))) }],
    ['expert1', { action: 'score', scores: { cooperation: 40, plan: 40 } }],
    ['expert2', { action: 'score', scores: { cooperation: 40, plan: 40 } }],
    ['expert3', { action: 'score', scores: { cooperation: 40, plan: 40 } }],
  ] as const) {
    const res = await act(t, u, c.ref, body);
    if (res.status !== 200) throw new Error(`${u} ${body.action}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await t.ds.query(
    `UPDATE outbox SET available_at = now() WHERE job_name = 'workflow.timer' AND processed_at IS NULL AND (payload->>'timerId')::bigint IN (SELECT id FROM timers WHERE case_id = $1)`,
    [c.id],
  );
  await drainWhenBack();
  expect(await state(c.id)).toBe('decision');
  return c;
}

describeWithRedis('Redis down', () => {
  beforeAll(async () => {
    redis = await ownRedis();
    // the API only writes the outbox (REDIS_URL set, API role); a worker context of ours relays and runs jobs
    t = await startTestApp({ REDIS_URL: redis.url }, { testWorkflow: true });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config, [TestWorkflowModule]), { logger: false });
    await worker.init();
    expect(t.app.get(JobsService).mode).toBe('enqueue-only');
    expect(jobs().mode).toBe('bullmq-worker');
    // city2: the demo data's second city reviewer (the decision after city's 市级复核)
    for (const u of ['enterprise', 'county', 'city', 'city2', 'expert1', 'expert2', 'expert3']) await t.token(u);
  }, 60_000);

  afterAll(async () => {
    // Redis must be up for the BullMQ connections to close cleanly
    if (redis) await redis.start().catch(() => {});
    await worker?.close();
    await t?.close();
    await killAll();
  }, 60_000);

  it('state changes answer at once while Redis is dead; the backlog is published and run once it is back', async () => {
    const decided = await toDecision('停机期间认定');
    const others = await Promise.all([openTestCase(t, 'enterprise', { name: '停机期间提交一' }), openTestCase(t, 'enterprise', { name: '停机期间提交二' })]);
    await drainWhenBack();
    const before = await maxOutboxId();
    expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL AND available_at <= now()`)).toBe(0);

    await redis.kill();

    const results = [
      await timedAct('city2', decided.ref, { action: 'certify', comment: '予以认定' }),
      await timedAct('enterprise', others[0].ref, { action: 'submit' }),
      await timedAct('enterprise', others[1].ref, { action: 'submit' }),
      await timedAct('county', others[0].ref, { action: 'approve' }),
      await timedAct('county', others[1].ref, { action: 'return', items: ['补充材料'] }),
    ];
    for (const { res, ms } of results) {
      expect(res.status).toBe(200);
      expect(ms).toBeLessThan(1000);
    }
    expect(await state(decided.id)).toBe('approved');

    // the side effects wait: the relay keeps trying, nothing is published or run
    await sleep(1_000);
    const waiting: Array<{ job_name: string; published_at: Date | null; processed_at: Date | null }> = await t.ds.query(
      `SELECT job_name, published_at, processed_at FROM outbox WHERE id > $1 AND job_name <> 'workflow.sla-sweep' ORDER BY id`,
      [before],
    );
    expect(waiting.length).toBeGreaterThanOrEqual(results.length);
    expect(waiting.map((r) => r.job_name)).toContain('workflow.effect');
    expect(waiting.every((r) => r.published_at === null && r.processed_at === null)).toBe(true);
    const [event] = await t.ds.query(`SELECT id FROM case_events WHERE case_id = $1 AND action = 'certify'`, [decided.id]);
    expect(await count(`SELECT count(*)::int AS n FROM test_effect_starts WHERE event_id = $1`, [event.id])).toBe(0);

    await redis.start();
    await drainWhenBack();
    const after: Array<{ published_at: Date | null; processed_at: Date | null; last_error: string | null }> = await t.ds.query(
      `SELECT published_at, processed_at, last_error FROM outbox WHERE id > $1 ORDER BY id`,
      [before],
    );
    expect(after.length).toBeGreaterThanOrEqual(waiting.length);
    for (const r of after) {
      expect(r.published_at).not.toBeNull();
      expect(r.processed_at).not.toBeNull();
    }
    // the decision's effect ran exactly once for its event
    expect(await t.ds.query(`SELECT event_id::int AS event, runs FROM test_effects WHERE case_id = $1`, [decided.id])).toEqual([
      { event: Number(event.id), runs: 1 },
    ]);
    expect(await count(`SELECT count(*)::int AS n FROM test_effect_starts WHERE event_id = $1`, [event.id])).toBe(1);
    // and the people concerned were told
    const enterpriseId = await userId(t, 'enterprise');
    expect(
      await count(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND case_id = $2 AND kind = 'decided'`, [enterpriseId, decided.id]),
    ).toBe(1);
    expect(
      await count(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND case_id = $2 AND kind = 'returned'`, [enterpriseId, others[1].id]),
    ).toBe(1);
  }, 90_000);

  it('a job that was in Redis when it died (a 公示 timer waiting as a delayed job) is published again and runs', async () => {
    const c = await openTestCase(t, 'enterprise', { name: '停机丢失的定时器' });
    for (const [u, body] of [
      ['enterprise', { action: 'submit' }],
      ['county', { action: 'approve' }],
      ['city', { action: 'send_to_panel', panel: await Promise.all(['expert1', 'expert2', 'expert3'].map((x) => userId(t, x))) }],
      ['expert1', { action: 'score', scores: { cooperation: 45, plan: 45 } }],
      ['expert2', { action: 'score', scores: { cooperation: 45, plan: 45 } }],
      ['expert3', { action: 'score', scores: { cooperation: 45, plan: 45 } }],
    ] as const) {
      expect((await act(t, u, c.ref, body)).status).toBe(200);
    }
    expect(await state(c.id)).toBe('publicity');
    await drainWhenBack();
    // the window closes in 3 s: the relay hands the timer to BullMQ as a delayed job
    const [timer] = await t.ds
      .query(
        `UPDATE outbox SET available_at = now() + interval '3 seconds' WHERE job_name = 'workflow.timer' AND processed_at IS NULL AND (payload->>'timerId')::bigint IN (SELECT id FROM timers WHERE case_id = $1) RETURNING id`,
        [c.id],
      )
      .then((r: [Array<{ id: string }>, number]) => r[0]);
    expect(
      await until(async () => (await count(`SELECT count(*)::int AS n FROM outbox WHERE id = $1 AND published_at IS NOT NULL`, [timer.id])) === 1, 5_000),
    ).toBe(true);

    // Redis dies before the delay is over, and comes back empty (nothing was persisted)
    await redis.kill();
    await redis.start();

    const ran = await until(
      async () => (await count(`SELECT count(*)::int AS n FROM outbox WHERE id = $1 AND processed_at IS NOT NULL`, [timer.id])) === 1,
      30_000,
      250,
    );
    expect(ran).toBe(true);
    expect(await state(c.id)).toBe('decision');
    expect(await count(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND action = 'publicity_end'`, [c.id])).toBe(1);
  }, 90_000);
});
