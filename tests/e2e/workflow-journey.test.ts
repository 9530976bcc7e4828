import { addDays, endOfPortalDay, portalToday } from '@portal/contracts';
import { act, demoPassword, editTestCase, openTestCase, startTestApp, userId, type TestApp } from '@portal/testing';
import { setSetting } from '../support/certification.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
});
afterAll(() => t.close());

const get = async (username: string, path: string) =>
  t
    .http()
    .get(path)
    .set('Authorization', `Bearer ${await t.token(username)}`);
const actions = (body: { allowedActions: Array<{ action: string }> }) => body.allowedActions.map((a) => a.action).sort();

describe('a case through every kind of stage', () => {
  it('goes from draft to certified: county, city, panel (会签), 公示 with an objection, decision', async () => {
    const { id, ref } = await openTestCase(t, 'enterprise', { name: '瓯江电气认定申请', investment: 1000 });
    let res = await get('enterprise', `/api/cases/${ref}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'draft', version: 1, stateLabel: '草稿' });
    expect(actions(res.body)).toEqual(['submit', 'withdraw']);
    // a draft is the enterprise's own until it is submitted: reviewers do not see it at all
    for (const who of ['county', 'city', 'admin']) expect((await get(who, `/api/cases/${ref}`)).status).toBe(404);

    res = await act(t, 'enterprise', ref, { action: 'submit', version: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'county_review', version: 2, submissions: 1 });
    expect(res.body.stageDueAt).not.toBeNull();
    expect(actions(res.body)).toEqual(['withdraw']);

    // the county reviewer finds it in the inbox
    const inbox = await get('county', '/api/tasks?filter={"status":"open"}');
    expect(inbox.body.map((x: { caseRef: string }) => x.caseRef)).toContain(ref);
    expect(actions((await get('county', `/api/cases/${ref}`)).body)).toEqual(['approve', 'reject', 'return']);

    res = await act(t, 'county', ref, { action: 'approve', comment: '同意推荐', version: 2 });
    expect(res.body).toMatchObject({ state: 'city_review', version: 3 });

    const experts = await Promise.all(['expert1', 'expert2', 'expert3'].map((u) => userId(t, u)));
    res = await act(t, 'city', ref, { action: 'send_to_panel', panel: experts, version: 3 });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('panel');
    for (const [i, u] of ['expert1', 'expert2', 'expert3'].entries()) {
      expect(actions((await get(u, `/api/cases/${ref}`)).body)).toEqual(['recuse', 'score']);
      res = await act(t, u, ref, { action: 'score', scores: { cooperation: 40 + i, plan: 35 } });
      expect(res.status).toBe(200);
    }
    // the third score completed the panel: average 76 ≥ 60 moved it to 公示 by itself
    expect(res.body.state).toBe('publicity');
    const events = (await get('city', `/api/cases/${ref}/events`)).body;
    expect(events.at(-1)).toMatchObject({ action: 'panel_pass', actorId: null, actorRole: 'system', payload: { average: 76, passMark: 60, scored: 3 } });

    // an objection during 公示 holds the case when the window closes
    const objection = await t
      .http()
      .post(`/api/cases/${ref}/objections`)
      .send({ name: '张三', phone: '13800000000', idNumber: '330302199001011234', content: '该企业的合作办学材料与实际不符，请核查。' });
    expect(objection.status).toBe(201);
    expect(objection.body.idNumberMasked).toBe('330302********1234');
    // the city reviewers who resolve objections see who objected; the applicant sees what, never the objector's name, and the phone masked
    expect((await get('city', `/api/cases/${ref}/objections`)).body[0]).toMatchObject({ name: '张三', phone: '13800000000' });
    expect((await get('enterprise', `/api/cases/${ref}/objections`)).body[0]).toMatchObject({
      name: '张**',
      phone: '138****0000',
      idNumberMasked: null,
      content: expect.stringContaining('合作办学'),
    });
    const [timer] = await t.ds.query(`SELECT id FROM timers WHERE case_id = $1`, [id]);
    await t.ds.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'workflow.timer'`);
    await t.drain();
    expect((await get('city', `/api/cases/${ref}`)).body.state).toBe('publicity');
    const [{ fired_at }] = await t.ds.query(`SELECT fired_at FROM timers WHERE id = $1`, [timer.id]);
    expect(fired_at).not.toBeNull();
    // resolving the last objection after the window closed ends the 公示
    const resolved = await t
      .http()
      .post(`/api/objections/${objection.body.id}/resolve`)
      .set('Authorization', `Bearer ${await t.token('city')}`)
      .send({ outcome: 'dismissed', resolution: '经核查材料属实' });
    expect(resolved.status).toBe(200);
    res = await get('city', `/api/cases/${ref}`);
    expect(res.body.state).toBe('decision');

    // the city reviewer acted at 市级复核 already: separation of duties keeps them from the decision
    expect(actions(res.body)).toEqual([]);
    const second = await act(t, 'city', ref, { action: 'certify' });
    expect(second.status).toBe(403);
    expect(second.body.message).toContain('市级复核');
    // another city-level reviewer decides
    await t
      .http()
      .post('/api/users')
      .set('Authorization', `Bearer ${await t.token('admin')}`)
      .send({
        username: 'city2',
        displayName: '市级审核二',
        password: demoPassword(),
        organisationId: (await t.ds.query(`SELECT organisation_id FROM users WHERE username = 'city'`))[0].organisation_id,
        roles: ['city_reviewer'],
      });
    res = await act(t, 'city2', ref, { action: 'certify', comment: '予以认定', version: res.body.version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'approved', allowedActions: [] });

    // the decision's effect ran once, through the outbox
    await t.drain();
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM test_effects WHERE case_id = $1`, [id])).toEqual([{ n: 1 }]);
    // the applicant was told
    const notes = (await get('enterprise', '/api/notifications')).body;
    expect(notes.some((n: { kind: string; caseId: number }) => n.kind === 'decided' && n.caseId === id)).toBe(true);
    // the chain of events verifies
    expect((await get('admin', `/api/cases/${ref}/events/verify`)).body).toMatchObject({ valid: true });
  });

  it('offers the 补正 deadline of the setting (today + workflow.correctionDays); a day given alone is the end of that day in Shanghai', async () => {
    const { id, ref } = await openTestCase(t, 'enterprise', { name: '补正期限测试', investment: 10 });
    await act(t, 'enterprise', ref, { action: 'submit' });
    const offered = async () =>
      (await get('county', `/api/cases/${ref}`)).body.allowedActions.find((a: { action: string }) => a.action === 'return').needs.returnDeadline;
    expect(await offered()).toBe(addDays(portalToday(), 10));
    await setSetting(t, 'workflow.correctionDays', 15);
    try {
      expect(await offered()).toBe(addDays(portalToday(), 15));
    } finally {
      await setSetting(t, 'workflow.correctionDays', 10);
    }
    // yesterday (a Shanghai day) is refused and writes nothing; today is accepted, due at the end of the day (not
    // at 08:00 Shanghai, where `new Date('YYYY-MM-DD')` puts a bare day)
    const refused = await act(t, 'county', ref, { action: 'return', items: ['补充材料'], deadline: addDays(portalToday(), -1) });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'deadline', messages: ['补正期限应为将来的日期'] }]);
    const res = await act(t, 'county', ref, { action: 'return', items: ['补充材料'], deadline: portalToday() });
    expect(res.status).toBe(200);
    expect(res.body.openReturn.deadline).toBe(endOfPortalDay(portalToday()).toISOString());
    // the applicant's 补正 task is due then too
    const [task] = await t.ds.query(`SELECT due_at FROM tasks WHERE case_id = $1 AND status = 'open'`, [id]);
    expect(new Date(task.due_at).toISOString()).toBe(endOfPortalDay(portalToday()).toISOString());
  });

  it('returns for 补正 with a list and a deadline; the resubmission goes back to the stage that returned it, with a diff', async () => {
    const { id, ref } = await openTestCase(t, 'enterprise', { name: '补正测试', investment: 10 });
    await act(t, 'enterprise', ref, { action: 'submit' });
    await act(t, 'county', ref, { action: 'approve' });
    const deadline = new Date(Date.now() + 10 * 86400_000).toISOString();
    // a return must list what to fix
    expect((await act(t, 'city', ref, { action: 'return', items: [] })).status).toBe(400);
    let res = await act(t, 'city', ref, { action: 'return', items: ['补充近三年合作协议', '投资额需附凭证'], deadline, comment: '材料不全' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'returned', openReturn: { items: ['补充近三年合作协议', '投资额需附凭证'], fromState: 'city_review' } });
    // the applicant sees the items and its own 补正 task
    const mine = await get('enterprise', `/api/cases/${ref}`);
    expect(mine.body.openReturn.deadline).toBe(deadline);
    expect(actions(mine.body)).toEqual(['resubmit', 'withdraw']);
    await editTestCase(t, id, { name: '补正测试', investment: 25 });
    res = await act(t, 'enterprise', ref, { action: 'resubmit' });
    expect(res.body).toMatchObject({ state: 'city_review', submissions: 2, openReturn: null });
    const diff = await get('city', `/api/cases/${ref}/diff`);
    expect(diff.body).toEqual({ from: 1, to: 2, changes: [{ path: 'investment', change: 'changed', before: 10, after: 25 }] });
    // what was submitted first is still recoverable exactly
    const snaps = (await get('city', `/api/cases/${ref}/snapshots`)).body;
    expect(snaps.map((s: { data: { investment: number } }) => s.data.investment)).toEqual([10, 25]);
    // a new review task with a fresh due time replaced the cancelled one
    const tasks = await t.ds.query(`SELECT state, status FROM tasks WHERE case_id = $1 AND kind = 'review' ORDER BY id`, [id]);
    expect(tasks).toEqual([
      { state: 'county_review', status: 'done' },
      { state: 'city_review', status: 'done' },
      { state: 'city_review', status: 'open' },
    ]);
  });

  it('answers 409 with the current version for a stale version and for an action the state does not allow', async () => {
    const { ref } = await openTestCase(t, 'enterprise');
    await act(t, 'enterprise', ref, { action: 'submit', version: 1 });
    const stale = await act(t, 'county', ref, { action: 'approve', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
    const wrong = await act(t, 'county', ref, { action: 'certify' });
    expect(wrong.status).toBe(409);
    expect(wrong.body.message).toContain('县级初审');
  });
});
