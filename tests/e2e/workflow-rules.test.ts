import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { act, openTestCase, startTestApp, testWorkflow, userId, type TestApp } from '@portal/testing';
import { WorkflowModule, WorkflowProcessors, WorkflowRegistry } from '@portal/workflow';
import pg from 'pg';
import { count, createUser, getAs, organisationId, organisationOf } from '../support/people.js';

/**
 * The engine's rules one by one on the test workflow: separation of duties, jurisdiction, claims and
 * reassignment, delegation, panels (recusal, failure), withdraw and reject, 公示 and objections, the SLA
 * sweep, the audit chain, the definition endpoint and notifications.
 */

let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
  const luchengBureau = await organisationOf(t, 'county');
  // a second county reviewer of 鹿城区 (330302), a county reviewer of 瑞安市 (330381) (the demo data has
  // the second city reviewer, city2), a fourth expert, and a user of the demo enterprise who is also an expert
  ids.county3 = await createUser(t, { username: 'county3', roles: ['county_reviewer'], organisationId: luchengBureau, jurisdiction: '330302' });
  ids.county2 = await createUser(t, {
    username: 'county2',
    roles: ['county_reviewer'],
    organisationId: await organisationId(t, 'authority', '瑞安市教育局'),
    jurisdiction: '330381',
  });
  ids.expert4 = await createUser(t, { username: 'expert4', roles: ['expert'], organisationId: await organisationId(t, 'school', '温州技师学院') });
  ids.entexpert = await createUser(t, {
    username: 'entexpert',
    roles: ['enterprise_applicant', 'expert'],
    organisationId: await organisationOf(t, 'enterprise'),
  });
  for (const u of ['enterprise', 'county', 'city', 'city2', 'expert1', 'expert2', 'expert3', 'admin', 'teacher']) ids[u] = await userId(t, u);
});
afterAll(() => t.close());

const auth = async (u: string) => ({ Authorization: `Bearer ${await t.token(u)}` });
const post = async (u: string, path: string, body: object = {}) =>
  t
    .http()
    .post(path)
    .set(await auth(u))
    .send(body);
const actions = (body: { allowedActions: Array<{ action: string }> }) => body.allowedActions.map((a) => a.action).sort();
const panel3 = () => [ids.expert1, ids.expert2, ids.expert3];

async function caseRow(id: number) {
  const [c] = await t.ds.query(`SELECT state, version, stage_due_at FROM cases WHERE id = $1`, [id]);
  return c as { state: string; version: number; stage_due_at: Date | null };
}
const eventCount = (id: number) => count(t, `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1`, [id]);
async function openTask(id: number, state: string): Promise<{ id: number; assignee_id: number | null; due_at: Date }> {
  const [row] = await t.ds.query(`SELECT id, assignee_id, due_at FROM tasks WHERE case_id = $1 AND state = $2 AND status = 'open'`, [id, state]);
  return row && { ...row, id: Number(row.id) };
}

function ok<R extends { status: number; body?: unknown }>(res: R, status = 200): R {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

async function atCountyReview(name = '规则测试') {
  const c = await openTestCase(t, 'enterprise', { name });
  ok(await act(t, 'enterprise', c.ref, { action: 'submit' }));
  return c;
}
async function atCityReview(name?: string) {
  const c = await atCountyReview(name);
  ok(await act(t, 'county', c.ref, { action: 'approve' }));
  return c;
}
async function atPanel(name?: string) {
  const c = await atCityReview(name);
  ok(await act(t, 'city', c.ref, { action: 'send_to_panel', panel: panel3() }));
  return c;
}
async function fireTimers(id: number) {
  await t.ds.query(
    `UPDATE outbox SET available_at = now() WHERE job_name = 'workflow.timer' AND processed_at IS NULL AND (payload->>'timerId')::bigint IN (SELECT id FROM timers WHERE case_id = $1)`,
    [id],
  );
  await t.drain();
}
async function atDecision(name?: string) {
  const c = await atPanel(name);
  for (const u of ['expert1', 'expert2', 'expert3']) ok(await act(t, u, c.ref, { action: 'score', scores: { cooperation: 40, plan: 40 } }));
  expect((await caseRow(c.id)).state).toBe('publicity');
  await fireTimers(c.id);
  expect((await caseRow(c.id)).state).toBe('decision');
  return c;
}

describe('separation of duties', () => {
  it('a reviewer of the owner organisation is refused: not appointed (400 naming 回避), no seat by reassignment, no score', async () => {
    const c = await atCityReview();
    const before = await caseRow(c.id);
    const res = await act(t, 'city', c.ref, { action: 'send_to_panel', panel: [ids.expert1, ids.expert2, ids.entexpert] });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('回避');
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'panel' })]);
    expect(await caseRow(c.id)).toEqual(before);

    ok(await act(t, 'city', c.ref, { action: 'send_to_panel', panel: panel3() }));
    const appoint = await act(t, 'city', c.ref, { action: 'appoint', panel: [ids.entexpert] });
    expect(appoint.status).toBe(400);
    expect(appoint.body.message).toContain('回避');
    // a seat handed to him by reassignment is refused too
    const seat = await t.ds.query(`SELECT id FROM tasks WHERE case_id = $1 AND kind = 'panel' AND assignee_id = $2`, [c.id, ids.expert3]);
    const reassign = await post('city', `/api/tasks/${seat[0].id}/reassign`, { userId: ids.entexpert });
    expect(reassign.status).toBe(400);
    expect(reassign.body.message).toContain('回避');
    // and he cannot score: he reads his own organisation's case, but may not review it
    const score = await act(t, 'entexpert', c.ref, { action: 'score', scores: { cooperation: 50, plan: 50 } });
    expect(score.status).toBe(403);
    expect(score.body.message).toContain('回避');
    expect(await count(t, `SELECT count(*)::int AS n FROM tasks WHERE case_id = $1 AND assignee_id = $2`, [c.id, ids.entexpert])).toBe(0);
  });

  it('a county reviewer may not act at the city stages, even one who never saw the case', async () => {
    const c = await atCityReview();
    const before = await caseRow(c.id);
    for (const body of [
      { action: 'return', items: ['补充材料'] },
      { action: 'reject', comment: '不符合条件' },
    ]) {
      const res = await act(t, 'county3', c.ref, body);
      expect(res.status).toBe(403);
    }
    expect(actions((await getAs(t, 'county3', `/api/cases/${c.ref}`)).body)).toEqual([]);
    expect(await caseRow(c.id)).toEqual(before);
  });

  it('the city reviewer of 市级复核 may not decide; one who only supervised the panel (appointing a member) may', async () => {
    const c = await atPanel();
    ok(await act(t, 'expert3', c.ref, { action: 'recuse', comment: '曾为申请单位提供咨询' }));
    ok(await act(t, 'city2', c.ref, { action: 'appoint', panel: [ids.expert4] }));
    for (const u of ['expert1', 'expert2', 'expert4']) ok(await act(t, u, c.ref, { action: 'score', scores: { cooperation: 40, plan: 40 } }));
    await fireTimers(c.id);
    expect((await caseRow(c.id)).state).toBe('decision');
    const res = await act(t, 'city', c.ref, { action: 'certify' });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('市级复核');
    // appointing is supervision, not sitting on the panel: city2 is free to decide (else nobody could)
    expect(actions((await getAs(t, 'city2', `/api/cases/${c.ref}`)).body)).toEqual(['certify', 'decline', 'return']);
    ok(await act(t, 'city2', c.ref, { action: 'certify', comment: '予以认定' }));
    expect((await caseRow(c.id)).state).toBe('approved');
  });
});

describe('jurisdiction', () => {
  it('a county reviewer of another county: 404 on read and on act, and no trace in the inbox', async () => {
    const c = await atCountyReview();
    const before = await caseRow(c.id);
    expect((await getAs(t, 'county2', `/api/cases/${c.ref}`)).status).toBe(404);
    expect((await getAs(t, 'county2', `/api/cases/${c.ref}/events`)).status).toBe(404);
    const res = await act(t, 'county2', c.ref, { action: 'approve' });
    expect(res.status).toBe(404);
    const inbox = (await getAs(t, 'county2', '/api/tasks?filter={"status":"open"}')).body as Array<{ caseId: number }>;
    expect(inbox.some((x) => x.caseId === c.id)).toBe(false);
    expect(await caseRow(c.id)).toEqual(before);
    expect(await eventCount(c.id)).toBe(2);
  });
});

describe('claims, release and reassignment', () => {
  it('a claimed task is its holder’s until a city reviewer reassigns it', async () => {
    const c = await atCountyReview();
    const task = await openTask(c.id, 'county_review');
    const claim = await post('county', `/api/tasks/${task.id}/claim`);
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({ assigneeId: ids.county, status: 'open' });

    // a colleague of the same county is refused while it is claimed
    const refused = await act(t, 'county3', c.ref, { action: 'approve' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('认领');
    expect(actions((await getAs(t, 'county3', `/api/cases/${c.ref}`)).body)).toEqual([]);
    // nor can they take it: a task claimed by someone else is not in their view at all
    expect((await post('county3', `/api/tasks/${task.id}/claim`)).status).toBe(404);
    // only a supervisor reassigns, and only to someone who works the stage
    expect((await post('county3', `/api/tasks/${task.id}/reassign`, { userId: ids.county3 })).status).toBe(403);
    expect((await post('city', `/api/tasks/${task.id}/reassign`, { userId: ids.county2 })).status).toBe(400);
    expect((await post('city', `/api/tasks/${task.id}/reassign`, { userId: ids.expert1 })).status).toBe(400);
    const reassigned = await post('city', `/api/tasks/${task.id}/reassign`, { userId: ids.county3 });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.assigneeId).toBe(ids.county3);
    await t.drain();
    expect(
      await count(t, `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND case_id = $2 AND kind = 'task_assigned' AND title LIKE '改派%'`, [
        ids.county3,
        c.id,
      ]),
    ).toBe(1);

    // now the first holder is the one refused
    expect((await act(t, 'county', c.ref, { action: 'approve' })).status).toBe(403);
    const done = await act(t, 'county3', c.ref, { action: 'approve', comment: '改派后办理' });
    expect(done.status).toBe(200);
    expect(done.body.state).toBe('city_review');
    const [closed] = await t.ds.query(`SELECT status, completed_by FROM tasks WHERE id = $1`, [task.id]);
    expect(closed).toEqual({ status: 'done', completed_by: ids.county3 });
  });

  it('release gives the task back to the pool (its holder only)', async () => {
    const c = await atCountyReview();
    const task = await openTask(c.id, 'county_review');
    ok(await post('county', `/api/tasks/${task.id}/claim`));
    expect((await post('county3', `/api/tasks/${task.id}/release`)).status).toBe(409);
    const released = await post('county', `/api/tasks/${task.id}/release`);
    expect(released.status).toBe(200);
    expect(released.body.assigneeId).toBeNull();
    // back in the pool: the colleague sees it in the inbox and may act
    const inbox = (await getAs(t, 'county3', '/api/tasks?filter={"status":"open"}')).body as Array<{ id: number }>;
    expect(inbox.map((x) => x.id)).toContain(task.id);
    expect((await act(t, 'county3', c.ref, { action: 'approve' })).status).toBe(200);
  });
  it('claim, release and reassignment are events on the case’s hash chain: who, what, and why', async () => {
    const c = await atCountyReview('认领留痕');
    const task = await openTask(c.id, 'county_review');
    ok(await post('county', `/api/tasks/${task.id}/claim`));
    ok(await post('county', `/api/tasks/${task.id}/release`));
    ok(await post('county3', `/api/tasks/${task.id}/claim`));
    ok(await post('city', `/api/tasks/${task.id}/reassign`, { userId: ids.county, reason: '原审核人休假' }));
    const events = (await getAs(t, 'admin', `/api/cases/${c.ref}/events`)).body as Array<Record<string, unknown>>;
    const taskEvents = events.filter((e) => String(e.action).startsWith('task_'));
    expect(taskEvents.map((e) => [e.action, e.actorId, e.fromState, e.toState])).toEqual([
      ['task_claim', ids.county, 'county_review', 'county_review'],
      ['task_release', ids.county, 'county_review', 'county_review'],
      ['task_claim', ids.county3, 'county_review', 'county_review'],
      ['task_reassign', ids.city, 'county_review', 'county_review'],
    ]);
    expect(taskEvents[3]).toMatchObject({ comment: '原审核人休假', payload: { taskId: task.id, from: ids.county3, to: ids.county } });
    expect(taskEvents[0].payload).toMatchObject({ taskId: task.id, to: ids.county });
    // the version stays: a claim changes who works the case, not its state
    expect((await caseRow(c.id)).version).toBe(2);
    expect((await getAs(t, 'admin', `/api/cases/${c.ref}/events/verify`)).body).toEqual({ valid: true, events: 6 });
    // a refused claim leaves nothing on the chain
    expect((await post('county3', `/api/tasks/${task.id}/release`)).status).toBe(409);
    expect(await eventCount(c.id)).toBe(6);
  });
});

describe('delegation ("X for Y")', () => {
  it('a city reviewer delegates to a colleague, who acts for them; the event records both', async () => {
    const c = await atCityReview();
    const task = await openTask(c.id, 'city_review');
    ok(await post('city', `/api/tasks/${task.id}/claim`));
    // claimed by city: city2 on their own is refused
    expect((await act(t, 'city2', c.ref, { action: 'send_to_panel', panel: panel3() })).status).toBe(403);
    // without a delegation, acting for city is refused
    const none = await act(t, 'city2', c.ref, { action: 'send_to_panel', panel: panel3(), onBehalfOf: ids.city });
    expect(none.status).toBe(403);
    expect(none.body.message).toContain('代理');

    const d = await post('city', '/api/delegations', {
      delegateId: ids.city2,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      reason: '出差',
    });
    expect(d.status).toBe(201);
    const listed = await getAs(t, 'city2', '/api/delegations');
    expect(listed.body.map((x: { id: number }) => x.id)).toContain(d.body.id);
    // the delegate finds the principal's task in the inbox and acts for them
    const inbox = (await getAs(t, 'city2', '/api/tasks?filter={"status":"open","state":"city_review"}')).body as Array<{ id: number; assigneeId: number }>;
    expect(inbox.find((x) => x.id === task.id)).toMatchObject({ assigneeId: ids.city });
    const res = await act(t, 'city2', c.ref, { action: 'send_to_panel', panel: panel3(), onBehalfOf: ids.city, comment: '代为提交' });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('panel');
    const events = (await getAs(t, 'admin', `/api/cases/${c.ref}/events`)).body;
    expect(events.at(-1)).toMatchObject({
      action: 'send_to_panel',
      actorId: ids.city2,
      onBehalfOf: ids.city,
      onBehalfOfName: '市教育局审核员',
      actorRole: 'city_reviewer',
    });
    // the principal's task was done by the delegate's act
    expect((await t.ds.query(`SELECT status, completed_by FROM tasks WHERE id = $1`, [task.id]))[0]).toEqual({ status: 'done', completed_by: ids.city });
    // the principal ends it: the delegate no longer acts for them
    expect(
      (
        await t
          .http()
          .delete(`/api/delegations/${d.body.id}`)
          .set(await auth('city'))
      ).status,
    ).toBe(200);
    expect((await getAs(t, 'city2', '/api/delegations')).body).toEqual([]);
  });

  it('an ended or absent delegation is refused (403) and changes nothing', async () => {
    const c = await atCityReview();
    const d = await post('city', '/api/delegations', {
      delegateId: ids.city2,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(d.status).toBe(201);
    expect(
      (
        await t
          .http()
          .delete(`/api/delegations/${d.body.id}`)
          .set(await auth('city'))
      ).status,
    ).toBe(200);
    const before = await caseRow(c.id);
    const ended = await act(t, 'city2', c.ref, { action: 'return', items: ['补充材料'], onBehalfOf: ids.city });
    expect(ended.status).toBe(403);
    // nobody delegated to county3 for county
    const c2 = await atCountyReview();
    expect((await act(t, 'county3', c2.ref, { action: 'approve', onBehalfOf: ids.county })).status).toBe(403);
    expect(await caseRow(c.id)).toEqual(before);
    expect((await caseRow(c2.id)).state).toBe('county_review');
    // a delegation to someone without the same role is refused at creation
    expect(
      (
        await post('city', '/api/delegations', {
          delegateId: ids.county,
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        })
      ).status,
    ).toBe(400);
  });
});

describe('panels', () => {
  it('a recusal leaves the panel short: no completion until another member is appointed and scores', async () => {
    const c = await atPanel();
    const noReason = await act(t, 'expert3', c.ref, { action: 'recuse' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details[0].field).toBe('comment');
    ok(await act(t, 'expert3', c.ref, { action: 'recuse', comment: '与申请单位有合作关系' }));
    ok(await act(t, 'expert1', c.ref, { action: 'score', scores: { cooperation: 40, plan: 40 } }));
    const second = ok(await act(t, 'expert2', c.ref, { action: 'score', scores: { cooperation: 35, plan: 35 } }));
    // two scores, no open seat, below the minimum of three: the panel waits
    expect(second.body.state).toBe('panel');
    expect(await count(t, `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND action IN ('panel_pass', 'panel_fail')`, [c.id])).toBe(0);
    // the recused expert has no seat left to score with
    expect((await act(t, 'expert3', c.ref, { action: 'score', scores: { cooperation: 50, plan: 50 } })).status).toBe(403);
    // members already on this sitting (scored or recused) cannot be appointed again
    for (const again of [ids.expert1, ids.expert3]) {
      const dup = await act(t, 'city', c.ref, { action: 'appoint', panel: [again] });
      expect(dup.status).toBe(400);
      expect(dup.body.details[0].field).toBe('panel');
    }
    // the city reviewer who composed the panel supplements it
    const appoint = await act(t, 'city', c.ref, { action: 'appoint', panel: [ids.expert4] });
    expect(appoint.status).toBe(200);
    expect(appoint.body.state).toBe('panel');
    expect(actions((await getAs(t, 'expert4', `/api/cases/${c.ref}`)).body)).toEqual(['recuse', 'score']);
    const last = ok(await act(t, 'expert4', c.ref, { action: 'score', scores: { cooperation: 30, plan: 30 } }));
    expect(last.body.state).toBe('publicity');
    const [pass] = await t.ds.query(`SELECT action, payload FROM case_events WHERE case_id = $1 AND action IN ('panel_pass', 'panel_fail')`, [c.id]);
    expect(pass).toEqual({ action: 'panel_pass', payload: { average: 70, passMark: 60, scored: 3 } });
  });

  it('a failing panel sends the case back to 市级复核; a new panel decides on its own scores', async () => {
    const c = await atPanel();
    for (const u of ['expert1', 'expert2', 'expert3']) ok(await act(t, u, c.ref, { action: 'score', scores: { cooperation: 10, plan: 15 } }));
    const row = await caseRow(c.id);
    expect(row.state).toBe('city_review');
    const events = await t.ds.query(`SELECT action, actor_role, payload FROM case_events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [c.id]);
    expect(events).toEqual([{ action: 'panel_fail', actor_role: 'system', payload: { average: 25, passMark: 60, scored: 3 } }]);
    expect(await openTask(c.id, 'city_review')).toBeDefined();
    // the same city reviewer (same stage) sends it to a second sitting, which passes on its own scores
    ok(await act(t, 'city', c.ref, { action: 'send_to_panel', panel: [ids.expert2, ids.expert3, ids.expert4] }));
    for (const u of ['expert2', 'expert3', 'expert4']) ok(await act(t, u, c.ref, { action: 'score', scores: { cooperation: 35, plan: 35 } }));
    expect((await caseRow(c.id)).state).toBe('publicity');
    const [last] = await t.ds.query(`SELECT action, payload FROM case_events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [c.id]);
    expect(last).toEqual({ action: 'panel_pass', payload: { average: 70, passMark: 60, scored: 3 } });
  });
});

describe('withdraw and reject', () => {
  it('the owner withdraws before the decision; not at the decision; nobody else withdraws', async () => {
    const c = await atCityReview();
    expect((await act(t, 'city', c.ref, { action: 'withdraw' })).status).toBe(403);
    const w = await act(t, 'enterprise', c.ref, { action: 'withdraw', comment: '暂不申报' });
    expect(w.status).toBe(200);
    expect(w.body).toMatchObject({ state: 'withdrawn', allowedActions: [] });
    expect(await count(t, `SELECT count(*)::int AS n FROM tasks WHERE case_id = $1 AND status = 'open'`, [c.id])).toBe(0);
    // the reviewer's task was cancelled by the withdrawal, not "done" by the applicant
    expect(await t.ds.query(`SELECT state, status, outcome FROM tasks WHERE case_id = $1 ORDER BY id`, [c.id])).toEqual([
      { state: 'county_review', status: 'done', outcome: 'approve' },
      { state: 'city_review', status: 'cancelled', outcome: 'withdraw' },
    ]);

    const d = await atDecision();
    const late = await act(t, 'enterprise', d.ref, { action: 'withdraw' });
    expect(late.status).toBe(409);
    expect((await caseRow(d.id)).state).toBe('decision');
  });

  it('reject needs a comment (400 without, nothing written), then ends the case and tells the applicant', async () => {
    const c = await atCountyReview();
    const before = await caseRow(c.id);
    for (const body of [{ action: 'reject' }, { action: 'reject', comment: '   ' }]) {
      const res = await act(t, 'county', c.ref, body);
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('comment');
    }
    expect(await caseRow(c.id)).toEqual(before);
    const res = await act(t, 'county', c.ref, { action: 'reject', comment: '不符合申报条件' });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('rejected');
    const [ev] = await t.ds.query(`SELECT action, comment, actor_role FROM case_events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [c.id]);
    expect(ev).toEqual({ action: 'reject', comment: '不符合申报条件', actor_role: 'county_reviewer' });
    await t.drain();
    expect(
      await count(t, `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND case_id = $2 AND kind = 'decided'`, [ids.enterprise, c.id]),
    ).toBe(1);
  });
});

describe('公示 and objections', () => {
  it('the timer firing with no objection moves the case to the decision, once', async () => {
    const c = await atPanel();
    for (const u of ['expert1', 'expert2', 'expert3']) ok(await act(t, u, c.ref, { action: 'score', scores: { cooperation: 45, plan: 45 } }));
    const row = await caseRow(c.id);
    expect(row.state).toBe('publicity');
    expect(row.stage_due_at).not.toBeNull();
    const [timer] = await t.ds.query(`SELECT id, due_at, fired_at FROM timers WHERE case_id = $1`, [c.id]);
    expect(timer.fired_at).toBeNull();
    expect(timer.due_at.getTime()).toBe(row.stage_due_at!.getTime());
    // not due yet: a drain does nothing
    await t.drain();
    expect((await caseRow(c.id)).state).toBe('publicity');
    await fireTimers(c.id);
    expect((await caseRow(c.id)).state).toBe('decision');
    const [ev] = await t.ds.query(`SELECT action, actor_id, payload FROM case_events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [c.id]);
    expect(ev).toEqual({ action: 'publicity_end', actor_id: null, payload: { timer: Number(timer.id) } });
    // firing it again is a no-op
    const events = await eventCount(c.id);
    await t.app.get(WorkflowProcessors).fireTimer(Number(timer.id));
    expect(await eventCount(c.id)).toBe(events);
    expect(await openTask(c.id, 'decision')).toBeDefined();
  });

  it('objections outside 公示 are refused with 409', async () => {
    const body = { name: '李四', phone: '13900000000', content: '该企业材料存在问题，请予核查。' };
    const c = await atCountyReview();
    const res = await t.http().post(`/api/cases/${c.ref}/objections`).send(body);
    expect(res.status).toBe(409);
    const d = await atDecision();
    expect((await t.http().post(`/api/cases/${d.ref}/objections`).send(body)).status).toBe(409);
    expect(await count(t, `SELECT count(*)::int AS n FROM objections WHERE case_id = ANY($1)`, [[c.id, d.id]])).toBe(0);
  });
});

describe('SLA sweep', () => {
  const sweep = async () => {
    await t.ds.query(`INSERT INTO outbox (job_name, payload) VALUES ('workflow.sla-sweep', '{}')`);
    await t.drain();
  };
  const notes = (id: number, kind: string) =>
    t.ds
      .query(`SELECT user_id FROM notifications WHERE case_id = $1 AND kind = $2 ORDER BY user_id`, [id, kind])
      .then((r: Array<{ user_id: number }>) => r.map((x) => x.user_id));
  const holders = async (role: string, county: string | null) =>
    (await t.ds.query(`SELECT id FROM users WHERE active AND $1 = ANY(roles) AND jurisdiction IS NOT DISTINCT FROM $2 ORDER BY id`, [role, county])).map(
      (r: { id: number }) => r.id,
    );

  it('reminds the role holders before the due time, escalates after it, and never twice', async () => {
    const c = await atCountyReview();
    const task = await openTask(c.id, 'county_review');
    await t.drain();
    await t.ds.query(`UPDATE tasks SET due_at = now() + interval '1 hour' WHERE id = $1`, [task.id]);
    await sweep();
    const countyHolders = await holders('county_reviewer', '330302');
    expect(countyHolders).toEqual([ids.county, ids.county3].sort((a, b) => a - b));
    expect(await notes(c.id, 'reminder')).toEqual(countyHolders);
    expect(await notes(c.id, 'overdue')).toEqual([]);
    await sweep();
    expect(await notes(c.id, 'reminder')).toEqual(countyHolders);

    await t.ds.query(`UPDATE tasks SET due_at = now() - interval '1 hour' WHERE id = $1`, [task.id]);
    await sweep();
    expect(await notes(c.id, 'overdue')).toEqual(countyHolders);
    // the stage's supervisor: city-level reviewers
    expect(await notes(c.id, 'escalation')).toEqual(await holders('city_reviewer', null));
    expect(await notes(c.id, 'escalation')).toEqual([ids.city, ids.city2].sort((a, b) => a - b));

    const total = await count(t, `SELECT count(*)::int AS n FROM notifications WHERE case_id = $1`, [c.id]);
    await sweep();
    expect(await count(t, `SELECT count(*)::int AS n FROM notifications WHERE case_id = $1`, [c.id])).toBe(total);
    // the inbox shows it overdue
    const inbox = (await getAs(t, 'county', '/api/tasks?filter={"overdue":true}')).body as Array<{ id: number; overdue: boolean }>;
    expect(inbox.find((x) => x.id === task.id)).toMatchObject({ overdue: true });
  });

  it('a claimed task reminds its holder only', async () => {
    const c = await atCountyReview();
    const task = await openTask(c.id, 'county_review');
    ok(await post('county3', `/api/tasks/${task.id}/claim`));
    await t.ds.query(`UPDATE tasks SET due_at = now() + interval '1 hour' WHERE id = $1`, [task.id]);
    await sweep();
    expect(await notes(c.id, 'reminder')).toEqual([ids.county3]);
  });

  it('timers are re-armed after a return: the new stage task has a new due time, the old one is not chased', async () => {
    const c = await atCityReview();
    const old = await openTask(c.id, 'city_review');
    expect(old.due_at).not.toBeNull();
    // time passes: the old task is overdue by the time the case is returned
    await t.ds.query(`UPDATE tasks SET due_at = now() - interval '2 days' WHERE id = $1`, [old.id]);
    ok(await act(t, 'city', c.ref, { action: 'return', items: ['补充合作协议'] }));
    ok(await act(t, 'enterprise', c.ref, { action: 'resubmit' }));
    const fresh = await openTask(c.id, 'city_review');
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.due_at.getTime()).toBeGreaterThan(Date.now());
    expect((await caseRow(c.id)).stage_due_at!.getTime()).toBe(fresh.due_at.getTime());
    await sweep();
    expect(await notes(c.id, 'overdue')).toEqual([]);
    expect(await notes(c.id, 'escalation')).toEqual([]);
  });
  it('goes through every due task page by page (more than two pages of them), each escalated exactly once', async () => {
    const c = await atCountyReview();
    await t.drain();
    // 1,101 overdue tasks of the stage, held by county3 (the sweep reads 500 at a time)
    await t.ds.query(
      `INSERT INTO tasks (case_id, state, kind, role, county_code, assignee_id, due_at, claimed_at)
       SELECT $1, 'county_review', 'review', 'county_reviewer', '330302', $2, now() - interval '1 day', now() FROM generate_series(1, 1101)`,
      [c.id, ids.county3],
    );
    const processors = t.app.get(WorkflowProcessors);
    expect(await processors.sweep()).toMatchObject({ escalated: 1101 });
    expect(
      await count(t, `SELECT count(*)::int AS n FROM tasks WHERE case_id = $1 AND status = 'open' AND escalated_at IS NULL AND due_at < now()`, [c.id]),
    ).toBe(0);
    // one notice to the holder per task (the notices themselves are the job's, tested above)
    expect(
      await count(t, `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'notify' AND payload->>'kind' = 'overdue' AND (payload->>'caseId')::int = $1`, [
        c.id,
      ]),
    ).toBe(1101);
    expect(await processors.sweep()).toEqual({ reminded: 0, escalated: 0 });
    // the 2,202 notices are not this test's to deliver
    await t.ds.query(`UPDATE outbox SET processed_at = now() WHERE job_name = 'notify' AND (payload->>'caseId')::int = $1 AND processed_at IS NULL`, [c.id]);
    await t.ds.query(`UPDATE tasks SET status = 'cancelled' WHERE case_id = $1 AND assignee_id = $2`, [c.id, ids.county3]);
  });
});

describe('the audit chain', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on case_events', async () => {
    const c = await atCountyReview();
    await expect(t.ds.query(`UPDATE case_events SET comment = '改' WHERE case_id = $1`, [c.id])).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`DELETE FROM case_events WHERE case_id = $1`, [c.id])).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`TRUNCATE case_events CASCADE`)).rejects.toThrow(/append-only/);
    expect(await eventCount(c.id)).toBe(2);
  });

  it('detects a change made behind the trigger’s back: verify answers valid:false with the seq', async () => {
    const c = await atCityReview();
    expect((await getAs(t, 'admin', `/api/cases/${c.ref}/events/verify`)).body).toEqual({ valid: true, events: 3 });
    const client = new pg.Client({ connectionString: t.config.databaseUrl });
    await client.connect();
    try {
      await client.query(`ALTER TABLE case_events DISABLE TRIGGER case_events_no_update`);
      await client.query(`UPDATE case_events SET comment = '篡改的意见' WHERE case_id = $1 AND seq = 2`, [c.id]);
    } finally {
      await client.query(`ALTER TABLE case_events ENABLE TRIGGER case_events_no_update`);
      await client.end();
    }
    const res = await getAs(t, 'admin', `/api/cases/${c.ref}/events/verify`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: false, events: 3, brokenAt: { seq: 2 } });
    // the trigger is back on
    await expect(t.ds.query(`UPDATE case_events SET comment = NULL WHERE case_id = $1`, [c.id])).rejects.toThrow(/append-only/);
  });
  /** Delete a case's latest event as a superuser would: behind the append-only trigger's back. */
  async function deleteLatestEvent(caseId: number): Promise<void> {
    const client = new pg.Client({ connectionString: t.config.databaseUrl });
    await client.connect();
    try {
      await client.query(`ALTER TABLE case_events DISABLE TRIGGER case_events_no_update`);
      await client.query(`DELETE FROM case_events WHERE case_id = $1 AND seq = (SELECT max(seq) FROM case_events WHERE case_id = $1)`, [caseId]);
    } finally {
      await client.query(`ALTER TABLE case_events ENABLE TRIGGER case_events_no_update`);
      await client.end();
    }
  }

  it('detects a deleted latest event: the case’s state and version no longer agree with its chain', async () => {
    const c = await atCityReview('删除最新事件');
    expect((await getAs(t, 'admin', `/api/cases/${c.ref}/events/verify`)).body).toEqual({ valid: true, events: 3 });
    await deleteLatestEvent(c.id);
    const res = await getAs(t, 'admin', `/api/cases/${c.ref}/events/verify`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: false, events: 2, brokenAt: { seq: 3 } });
    expect(res.body.brokenAt.reason).toMatch(/最新事件/);
  });

  it('detects a deleted latest event that changed no state (a task claim)', async () => {
    const c = await atCountyReview('删除认领事件');
    const task = await openTask(c.id, 'county_review');
    ok(await post('county', `/api/tasks/${task.id}/claim`));
    expect((await getAs(t, 'admin', `/api/cases/${c.ref}/events/verify`)).body).toEqual({ valid: true, events: 3 });
    await deleteLatestEvent(c.id);
    const res = await getAs(t, 'admin', `/api/cases/${c.ref}/events/verify`);
    expect(res.body).toMatchObject({ valid: false, events: 2, brokenAt: { seq: 3 } });
  });
});

describe('definitions and notifications', () => {
  it('GET /api/workflows/test-review answers the definition as data', async () => {
    const res = await getAs(t, 'admin', '/api/workflows/test-review');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'test-review', key: 'test-review', title: '测试审批', initial: 'draft' });
    expect(res.body.states.map((s: { key: string }) => s.key)).toEqual([
      'draft',
      'returned',
      'county_review',
      'city_review',
      'panel',
      'publicity',
      'decision',
      'approved',
      'rejected',
      'withdrawn',
    ]);
    expect(res.body.states.find((s: { key: string }) => s.key === 'county_review')).toEqual({
      key: 'county_review',
      label: '县级初审',
      kind: 'review',
      role: 'county_reviewer',
      scope: 'county',
    });
    expect(res.body.transitions).toContainEqual({
      from: 'decision',
      action: 'certify',
      to: 'approved',
      label: '认定',
      kind: 'approve',
      roles: ['city_reviewer'],
    });
    // a multi-source transition is one edge per source
    expect(res.body.transitions.filter((x: { action: string }) => x.action === 'withdraw').map((x: { from: string }) => x.from)).toEqual([
      'draft',
      'returned',
      'county_review',
      'city_review',
    ]);
    expect((await getAs(t, 'admin', '/api/workflows/no-such-flow')).status).toBe(404);
  });

  it('lists a user’s notifications, counts the unread, marks one and all read', async () => {
    await createUser(t, { username: 'notes_applicant', roles: ['enterprise_applicant'], organisationId: await organisationOf(t, 'enterprise') });
    await t.drain();
    const unread = async () => (await getAs(t, 'notes_applicant', '/api/notifications/unread-count')).body.count as number;
    const start = await unread();
    const c = await atCityReview('通知测试');
    ok(await act(t, 'city', c.ref, { action: 'return', items: ['补充材料'] }));
    ok(await act(t, 'enterprise', c.ref, { action: 'withdraw' }));
    await t.drain();
    const list = await getAs(t, 'notes_applicant', `/api/notifications?filter=${encodeURIComponent(JSON.stringify({ caseId: c.id }))}`);
    expect(list.status).toBe(200);
    expect(list.headers['content-range']).toMatch(/^notifications \d+-\d+\/2$/);
    expect(list.body.map((n: { kind: string }) => n.kind).sort()).toEqual(['decided', 'returned']);
    expect(list.body.every((n: { readAt: string | null }) => n.readAt === null)).toBe(true);
    expect(await unread()).toBe(start + 2);

    const one = await post('notes_applicant', `/api/notifications/${list.body[0].id}/read`);
    expect(one.status).toBe(200);
    expect(one.body.readAt).not.toBeNull();
    expect(await unread()).toBe(start + 1);
    // another user's notification is not theirs to mark
    expect((await post('teacher', `/api/notifications/${list.body[1].id}/read`)).status).toBe(404);
    const all = await post('notes_applicant', '/api/notifications/read-all');
    expect(all.status).toBe(200);
    expect(all.body.marked).toBe(start + 1);
    expect(await unread()).toBe(0);
    const unreadList = await getAs(t, 'notes_applicant', '/api/notifications?filter={"unread":true}');
    expect(unreadList.body).toEqual([]);
  });
});

describe('a bad definition fails the boot', () => {
  @Injectable()
  class BadDefinition implements OnModuleInit {
    constructor(private readonly registry: WorkflowRegistry) {}
    onModuleInit(): void {
      // the test workflow with a state nothing leads to and an effect nobody handles
      this.registry.define({
        ...testWorkflow,
        key: 'bad-review',
        states: { ...testWorkflow.states, archived: { label: '归档', kind: 'final' } },
        transitions: testWorkflow.transitions.map((x) => (x.action === 'certify' ? { ...x, effects: ['bad.no-handler'] } : x)),
      });
    }
  }
  @Module({ imports: [WorkflowModule], providers: [BadDefinition] })
  class BadDefinitionModule {}

  it('startTestApp with a module registering a bad definition rejects, naming each problem', async () => {
    const boot = startTestApp({}, { testWorkflow: true, modules: [BadDefinitionModule] });
    await expect(boot).rejects.toThrow(
      /invalid workflow definitions:[\s\S]*bad-review: certify: effect bad.no-handler has no handler[\s\S]*bad-review: state archived cannot be reached from draft/,
    );
  });
});
