import { act, openTestCase, openTestPractice, startTestApp, userId, type TestApp } from '@portal/testing';
import { count, organisationOf } from '../support/people.js';

/**
 * Races on one case, in the manner of Camunda's concurrency tests: many identical commands at once, and
 * exactly one of them may change the case. act() locks the case row and checks its version, so the
 * losers see a 409 and nothing of theirs is written. The races run on both shapes of workflow: the
 * certification-shaped test-review (a county reviewer approves) and the practice-shaped test-practice
 * (a co-signing party, the host enterprise, confirms with action data).
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
});
afterAll(() => t.close());

const N = 50;

/** What the database says about a case: its row, its events and its open tasks. */
async function facts(id: number) {
  const [c] = await t.ds.query(`SELECT state, version FROM cases WHERE id = $1`, [id]);
  const events = await count(t, `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1`, [id]);
  const open = await t.ds.query(`SELECT state, kind FROM tasks WHERE case_id = $1 AND status = 'open' ORDER BY id`, [id]);
  const idem = await count(t, `SELECT count(*)::int AS n FROM idempotency_keys WHERE case_id = $1`, [id]);
  return { state: c.state as string, version: c.version as number, events, open, idem };
}

async function submitted(): Promise<{ id: number; ref: string }> {
  const c = await openTestCase(t, 'enterprise', { name: '并发测试' });
  expect((await act(t, 'enterprise', c.ref, { action: 'submit', version: 1 })).status).toBe(200);
  return c;
}

/** A shape of workflow under race: how a case reaches its first judgement, who acts there, and what follows. */
interface Shape {
  name: string;
  submitted: () => Promise<{ id: number; ref: string }>;
  actor: string;
  action: { action: string; data?: Record<string, unknown> };
  from: string;
  to: string;
  /** the role whose assignment notice the next stage writes */
  nextRole: string;
}

const shapes: Shape[] = [
  { name: 'test-review', submitted, actor: 'county', action: { action: 'approve' }, from: 'county_review', to: 'city_review', nextRole: 'city_reviewer' },
  {
    name: 'test-practice',
    submitted: async () => {
      const c = await openTestPractice(t, 'teacher', { organisationId: await organisationOf(t, 'enterprise') }, { name: '并发测试' });
      expect((await act(t, 'teacher', c.ref, { action: 'submit', version: 1 })).status).toBe(200);
      return c;
    },
    actor: 'enterprise',
    action: { action: 'confirm', data: { hours: 16 } },
    from: 'host_confirm',
    to: 'school_approval',
    nextRole: 'school_admin',
  },
];

const statuses = (rs: Array<{ status: number }>) => {
  const byStatus: Record<number, number> = {};
  for (const r of rs) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return byStatus;
};

describe.each(shapes)(`${N} identical actions at once ($name)`, (shape) => {
  it('with the same version: exactly one succeeds, the others get 409; one new event, one open task at the next stage', async () => {
    const { id, ref } = await shape.submitted();
    const before = await facts(id);
    expect(before).toMatchObject({ state: shape.from, version: 2 });
    await t.token(shape.actor);

    const rs = await Promise.all(Array.from({ length: N }, (_, i) => act(t, shape.actor, ref, { ...shape.action, version: 2, comment: `同意 ${i}` })));
    expect(statuses(rs)).toEqual({ 200: 1, 409: N - 1 });
    for (const r of rs.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 3 } });
    const winner = rs.find((r) => r.status === 200)!;
    expect(winner.body).toMatchObject({ state: shape.to, version: 3 });

    const after = await facts(id);
    expect(after.version).toBe(before.version + 1);
    expect(after.events).toBe(before.events + 1);
    expect(after.state).toBe(shape.to);
    expect(after.open).toEqual([{ state: shape.to, kind: 'review' }]);
    const approvals = await t.ds.query(`SELECT comment FROM case_events WHERE case_id = $1 AND action = $2`, [id, shape.action.action]);
    expect(approvals).toEqual([{ comment: expect.stringMatching(/^同意 \d+$/) }]);
    // the first judgement's task was closed once, by the winner
    expect(await t.ds.query(`SELECT status FROM tasks WHERE case_id = $1 AND state = $2`, [id, shape.from])).toEqual([{ status: 'done' }]);
    // the next stage's assignment notice was written once
    expect(
      await count(
        t,
        `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'notify' AND payload->>'caseId' = $1 AND payload->>'kind' = 'task_assigned' AND payload->>'role' = $2`,
        [String(id), shape.nextRole],
      ),
    ).toBe(1);
  });

  it('without a version: still exactly one succeeds; the others find the case already moved on (409)', async () => {
    const { id, ref } = await shape.submitted();
    const before = await facts(id);
    const rs = await Promise.all(Array.from({ length: N }, () => act(t, shape.actor, ref, shape.action)));
    expect(statuses(rs)).toEqual({ 200: 1, 409: N - 1 });
    for (const r of rs.filter((x) => x.status === 409)) expect(r.body.code).toBe('CONFLICT');
    const after = await facts(id);
    expect(after).toMatchObject({
      state: shape.to,
      version: before.version + 1,
      events: before.events + 1,
      open: [{ state: shape.to, kind: 'review' }],
    });
  });
});

describe('a pool of two connections', () => {
  // The lock holder must never need a second pooled connection: with the settings cache (2 s) expired,
  // a winner that read settings outside its transaction waited forever for a connection held by the
  // requests queued on its lock, and the whole API hung.
  let small: TestApp;
  beforeAll(async () => {
    small = await startTestApp({ DATABASE_POOL_SIZE: '2' }, { testWorkflow: true });
  });
  afterAll(() => small.close());
  const cacheExpired = () => new Promise((r) => setTimeout(r, 2100));

  it('20 racing approvals with expired caches: one succeeds, the rest 409, nobody hangs', async () => {
    const { id, ref } = await openTestCase(small, 'enterprise');
    expect((await act(small, 'enterprise', ref, { action: 'submit' })).status).toBe(200);
    await small.token('county');
    await cacheExpired();
    const rs = await Promise.all(Array.from({ length: 20 }, () => act(small, 'county', ref, { action: 'approve', version: 2 })));
    expect(statuses(rs)).toEqual({ 200: 1, 409: 19 });
    const [c] = await small.ds.query(`SELECT state, version FROM cases WHERE id = $1`, [id]);
    expect(c).toEqual({ state: 'city_review', version: 3 });
  });

  it('three experts completing a panel at once with expired caches (the pass mark is a setting)', async () => {
    const { id, ref } = await openTestCase(small, 'enterprise');
    await act(small, 'enterprise', ref, { action: 'submit' });
    await act(small, 'county', ref, { action: 'approve' });
    const experts = ['expert1', 'expert2', 'expert3'];
    const ids = await Promise.all(experts.map((u) => userId(small, u)));
    expect((await act(small, 'city', ref, { action: 'send_to_panel', panel: ids })).status).toBe(200);
    await Promise.all(experts.map((u) => small.token(u)));
    await cacheExpired();
    const rs = await Promise.all(experts.map((u) => act(small, u, ref, { action: 'score', scores: { cooperation: 30, plan: 30 } })));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    const [c] = await small.ds.query(`SELECT state FROM cases WHERE id = $1`, [id]);
    expect(c.state).toBe('publicity');
  });
});

describe('Idempotency-Key', () => {
  it.each(shapes)('a replay (sequential, then 10 at once) answers the first answer and changes nothing ($name)', async (shape) => {
    const { id, ref } = await shape.submitted();
    const key = `approve-${id}-once`;
    const body = { ...shape.action, comment: '首次' };
    const first = await act(t, shape.actor, ref, body, { 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: shape.to, version: 3 });
    const after = await facts(id);

    const again = await act(t, shape.actor, ref, body, { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await facts(id)).toEqual(after);

    const burst = await Promise.all(Array.from({ length: 10 }, () => act(t, shape.actor, ref, body, { 'Idempotency-Key': key })));
    for (const r of burst) {
      expect(r.status).toBe(200);
      expect(r.body).toEqual(first.body);
    }
    expect(await facts(id)).toEqual(after);
    expect(await count(t, `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND action = $2`, [id, shape.action.action])).toBe(1);
  });

  it('10 first requests with one new key at once: one transition, ten identical answers', async () => {
    const { id, ref } = await submitted();
    const before = await facts(id);
    const key = `burst-${id}`;
    const burst = await Promise.all(Array.from({ length: 10 }, () => act(t, 'county', ref, { action: 'approve', version: 2 }, { 'Idempotency-Key': key })));
    expect(statuses(burst)).toEqual({ 200: 10 });
    for (const r of burst) expect(r.body).toEqual(burst[0].body);
    expect(burst[0].body).toMatchObject({ state: 'city_review', version: 3 });
    const after = await facts(id);
    expect(after).toMatchObject({ version: before.version + 1, events: before.events + 1, idem: 1 });
  });

  it('the same key on another case is a 409 and changes neither case', async () => {
    const a = await submitted();
    const b = await submitted();
    const key = `shared-${a.id}`;
    expect((await act(t, 'county', a.ref, { action: 'approve' }, { 'Idempotency-Key': key })).status).toBe(200);
    const before = await facts(b.id);
    const other = await act(t, 'county', b.ref, { action: 'approve' }, { 'Idempotency-Key': key });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('CONFLICT');
    expect(await facts(b.id)).toEqual(before);
    expect(await facts(a.id)).toMatchObject({ state: 'city_review', version: 3 });
  });

  it('a key is per user: the same key from another user is that user’s own request', async () => {
    const { id, ref } = await submitted();
    const key = `per-user-${id}`;
    expect((await act(t, 'county', ref, { action: 'approve' }, { 'Idempotency-Key': key })).status).toBe(200);
    // the owner withdraws with the same key string: not a replay of the county's answer
    const w = await act(t, 'enterprise', ref, { action: 'withdraw' }, { 'Idempotency-Key': key });
    expect(w.status).toBe(200);
    expect(w.body.state).toBe('withdrawn');
  });

  it('a malformed key is a 400 and nothing is written', async () => {
    const { id, ref } = await submitted();
    const before = await facts(id);
    const r = await act(t, 'county', ref, { action: 'approve' }, { 'Idempotency-Key': 'bad key with spaces' });
    expect(r.status).toBe(400);
    expect(await facts(id)).toEqual(before);
  });
});

describe('a panel scored by three experts at once', () => {
  it('all three scores succeed (the case row serialises them) and the panel completes exactly once', async () => {
    const { id, ref } = await submitted();
    expect((await act(t, 'county', ref, { action: 'approve' })).status).toBe(200);
    const experts = ['expert1', 'expert2', 'expert3'];
    const ids = await Promise.all(experts.map((u) => userId(t, u)));
    expect((await act(t, 'city', ref, { action: 'send_to_panel', panel: ids })).status).toBe(200);
    await Promise.all(experts.map((u) => t.token(u)));
    const before = await facts(id);

    const rs = await Promise.all(experts.map((u, i) => act(t, u, ref, { action: 'score', scores: { cooperation: 40 + i, plan: 30 } })));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    const after = await facts(id);
    expect(after.state).toBe('publicity');
    // three scores and one panel_pass
    expect(after.events).toBe(before.events + 4);
    expect(after.version).toBe(before.version + 4);
    const passes = await t.ds.query(`SELECT actor_role, payload FROM case_events WHERE case_id = $1 AND action IN ('panel_pass', 'panel_fail')`, [id]);
    expect(passes).toEqual([{ actor_role: 'system', payload: { average: 71, passMark: 60, scored: 3 } }]);
    expect(
      await t.ds.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'done')::int AS done FROM tasks WHERE case_id = $1 AND kind = 'panel'`, [
        id,
      ]),
    ).toEqual([{ n: 3, done: 3 }]);
    expect(after.open).toEqual([]);
    // exactly one 公示 timer was armed
    expect(await count(t, `SELECT count(*)::int AS n FROM timers WHERE case_id = $1 AND state = 'publicity'`, [id])).toBe(1);
    // and the chain is intact after the race
    const verify = await t
      .http()
      .get(`/api/cases/${ref}/events/verify`)
      .set('Authorization', `Bearer ${await t.token('admin')}`);
    expect(verify.body).toMatchObject({ valid: true, events: after.events });
  });
});
