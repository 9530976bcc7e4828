import { addDays, addYears, portalToday } from '@portal/contracts';
import { startTestApp, type TestApp } from '@portal/testing';
import { draft } from '../support/certification.js';
import { classAct, draftClass } from '../support/order-classes.js';
import { organisationOf, registerEnterprise } from '../support/people.js';
import { actOn, daysAgo, logRecord, newTeacher } from '../support/practice.js';

/**
 * The lists an enterprise's home page reads and links to (issue 12: its certification, and its pending work first):
 * order classes awaiting its confirmation and practice records awaiting its confirmation of the hours, most urgent
 * first (sort stageDueAt) with when each entered its stage (case.stageEnteredAt); its certifications by status; its
 * application in progress (state: the workflow's stages that are not final). A filter value the list does not know is
 * a 400 in Chinese naming it, never ignored (an ignored filter would answer a wrong total).
 */

let t: TestApp;
let enterpriseId: number;
beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  enterpriseId = await organisationOf(t, 'enterprise');
});
afterAll(() => t.close());

const list = async (user: string | { username: string; password: string }, path: string, q: Record<string, unknown> = {}) =>
  t
    .http()
    .get(path)
    .set('Authorization', `Bearer ${typeof user === 'string' ? await t.token(user) : await t.token(user.username, user.password)}`)
    .query(Object.fromEntries(Object.entries(q).map(([k, v]) => [k, JSON.stringify(v)])));
const ids = (body: Array<{ id: number }>) => body.map((r) => r.id);

/** Move a case back in time: it entered its stage `days` ago and its deadline is `dueIn` days from now (negative: past). */
const backdate = (caseId: number, days: number, dueIn: number) =>
  t.ds.query(`UPDATE cases SET stage_entered_at = now() - $2 * interval '1 day', stage_due_at = now() + $3 * interval '1 day' WHERE id = $1`, [
    caseId,
    days,
    dueIn,
  ]);

it('order classes awaiting the enterprise: by stage and partner, most urgent first, each with when it entered the stage', async () => {
  const [older, newer, draftOnly] = [
    await draftClass(t, { name: '待确认甲班' }),
    await draftClass(t, { name: '待确认乙班' }),
    await draftClass(t, { name: '草稿丙班' }),
  ];
  for (const c of [newer, older]) expect((await classAct(t, 'school', c.id, { action: 'submit' })).status).toBe(200);
  const [{ case_id: olderCase }] = await t.ds.query(`SELECT case_id FROM order_classes WHERE id = $1`, [older.id]);
  await backdate(Number(olderCase), 9, -2);

  const filter = { state: 'enterprise_confirm', enterpriseId };
  let res = await list('enterprise', '/api/order-classes', { filter, sort: ['stageDueAt', 'ASC'], range: [0, 2] });
  expect(res.status).toBe(200);
  expect(ids(res.body)).toEqual([older.id, newer.id]);
  expect(res.headers['content-range']).toBe('order-classes 0-1/2');
  const [{ stage_entered_at: entered, stage_due_at: due }] = await t.ds.query(`SELECT stage_entered_at, stage_due_at FROM cases WHERE id = $1`, [olderCase]);
  expect(res.body[0].case).toMatchObject({ state: 'enterprise_confirm', stageEnteredAt: entered.toISOString(), stageDueAt: due.toISOString() });
  res = await list('enterprise', '/api/order-classes', { filter, sort: ['stageDueAt', 'DESC'] });
  expect(ids(res.body)).toEqual([newer.id, older.id]);
  // a class without a stage deadline (the draft) comes after those with one, whichever the direction
  for (const order of ['ASC', 'DESC']) {
    res = await list('school', '/api/order-classes', { filter: { enterpriseId }, sort: ['stageDueAt', order] });
    expect(ids(res.body).at(-1)).toBe(draftOnly.id);
  }
  // the stage alone (the home page's count and the menu's 待确认订单班) answers the same: an enterprise reads the classes it partners
  res = await list('enterprise', '/api/order-classes', { filter: { state: 'enterprise_confirm' }, sort: ['stageDueAt', 'ASC'] });
  expect([ids(res.body), res.headers['content-range']]).toEqual([[older.id, newer.id], 'order-classes 0-1/2']);
  // another enterprise sees none of them, by the stage or asking for this one's
  const other = await registerEnterprise(t, '330302');
  for (const f of [filter, { state: 'enterprise_confirm' }]) {
    res = await list(other, '/api/order-classes', { filter: f });
    expect([res.status, res.body]).toEqual([200, []]);
  }
  // a stage the workflow does not have is refused, in Chinese, naming the filter
  res = await list('enterprise', '/api/order-classes', { filter: { state: 'confirm' } });
  expect(res.status).toBe(400);
  expect(res.body.message).toContain('筛选条件 state');
});

it('practice records awaiting the host: by stage and host, most urgent first, each with when it entered the stage', async () => {
  const teacher = await newTeacher(t, 'school');
  const submitted: number[] = [];
  for (const [i, start] of [20, 30].entries()) {
    const r = await logRecord(t, teacher.username, { hostOrgId: enterpriseId, startDate: daysAgo(start), endDate: daysAgo(start - 2), hours: 16 + i });
    expect(r.status).toBe(201);
    expect((await actOn(t, teacher.username, r.body.id, { action: 'submit' })).status).toBe(200);
    submitted.push(r.body.id);
  }
  const kept = await logRecord(t, teacher.username, { hostOrgId: enterpriseId, startDate: daysAgo(50), endDate: daysAgo(48), hours: 8 });
  // the second submitted has waited longest and is overdue
  const [{ case_id: caseId }] = await t.ds.query(`SELECT case_id FROM practice_records WHERE id = $1`, [submitted[1]]);
  await backdate(Number(caseId), 6, -1);

  for (const filter of [{ state: 'host_confirm', hostOrgId: enterpriseId }, { state: 'host_confirm' }]) {
    const res = await list('enterprise', '/api/practice-records', { filter, sort: ['stageDueAt', 'ASC'], range: [0, 24] });
    expect([filter, res.status, ids(res.body), res.headers['content-range']]).toEqual([filter, 200, [submitted[1], submitted[0]], 'practice-records 0-1/2']);
  }
  let res = await list('enterprise', '/api/practice-records', { filter: { state: 'host_confirm' }, sort: ['stageDueAt', 'ASC'] });
  const [{ stage_entered_at: entered }] = await t.ds.query(`SELECT stage_entered_at FROM cases WHERE id = $1`, [caseId]);
  expect(res.body[0].case.stageEnteredAt).toBe(entered.toISOString());
  expect(new Date(res.body[0].case.stageDueAt).getTime()).toBeLessThan(Date.now());
  // the teacher's draft has no stage deadline: last, whichever the direction
  for (const order of ['ASC', 'DESC']) {
    res = await list(teacher.username, '/api/practice-records', { sort: ['stageDueAt', order] });
    expect(ids(res.body)).toEqual([...(order === 'ASC' ? [submitted[1], submitted[0]] : [submitted[0], submitted[1]]), kept.body.id]);
  }
  res = await list('enterprise', '/api/practice-records', { sort: ['due', 'ASC'] });
  expect(res.status).toBe(400);
  expect(res.body.message).toContain('不能按字段 due 排序');
});

it('certifications: by status 有效 / 已过期 / 已撤销 only, the enterprise by its id only', async () => {
  const today = portalToday();
  const [{ id: expired }] = await t.ds.query(
    `INSERT INTO certifications (enterprise_id, level, source, certified_at, valid_until) VALUES ($1, 'city', 'portal', $2, $3) RETURNING id`,
    [enterpriseId, addYears(today, -4), addDays(today, -30)],
  );
  const recorded = await t
    .http()
    .post('/api/certifications')
    .set('Authorization', `Bearer ${await t.token('city')}`)
    .send({ enterpriseId, level: 'provincial', documentNo: '浙发改社会〔2025〕8号', certifiedAt: addDays(today, -10) });
  expect(recorded.status).toBe(201);
  const byStatus = async (status?: string) =>
    ids((await list('enterprise', '/api/certifications', { filter: { enterpriseId, ...(status ? { status } : {}) } })).body);
  expect(await byStatus('active')).toEqual([recorded.body.id]);
  expect(await byStatus('expired')).toEqual([Number(expired)]);
  expect(await byStatus('revoked')).toEqual([]);
  expect(await byStatus()).toEqual([recorded.body.id, Number(expired)]);

  for (const [filter, field] of [
    [{ status: 'valid' }, 'filter.status'],
    [{ status: ['active', 'expired'] }, 'filter.status'],
    [{ enterpriseId: 'abc' }, 'filter.enterpriseId'],
    [{ enterpriseId: 0 }, 'filter.enterpriseId'],
  ] as const) {
    const res = await list('enterprise', '/api/certifications', { filter });
    expect([filter, res.status]).toEqual([filter, 400]);
    expect(res.body.message).toMatch(/^筛选条件 /);
    expect(JSON.stringify(res.body)).toContain(field);
  }
});

it('certification applications: the application in progress by the workflow’s open stages; an unknown stage is refused', async () => {
  const app = await draft(t, 'enterprise');
  const open = ['draft', 'returned', 'county_review', 'city_review', 'panel', 'publicity_pending', 'publicity', 'decision'];
  let res = await list('enterprise', '/api/certification-applications', { filter: { enterpriseId, state: open }, range: [0, 0] });
  expect([res.status, ids(res.body)]).toEqual([200, [app.id]]);
  res = await list('enterprise', '/api/certification-applications', { filter: { state: ['certified', 'not_certified', 'rejected', 'withdrawn'] } });
  expect([res.status, res.body]).toEqual([200, []]);
  for (const state of ['bogus', ['draft', 'in_progress']]) {
    res = await list('enterprise', '/api/certification-applications', { filter: { state } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('筛选条件 state');
  }
});
