import { act, openTestCase, startTestApp, type TestApp } from '@portal/testing';
import { classAct, draftClass } from '../support/order-classes.js';
import { createUser, getAs, organisationOf } from '../support/people.js';
import { actOn, daysAgo, logRecord, newTeacher } from '../support/practice.js';

/**
 * 我的待办 (`filter.workable`): an admin's or city reviewer's inbox is supervisory (every task of the cases
 * reviewers read); the filter keeps only the tasks they may work themself — assigned to them, or open to their
 * role, jurisdiction, organisation or party — less those separation of duties refuses them. A county reviewer's
 * list is the same with or without it; totals and paging follow the filter.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
});
afterAll(() => t.close());

interface Task {
  id: number;
  caseRef: string;
  state: string;
  claimable: boolean;
  blockedReason: string | null;
}

function ok<R extends { status: number; body?: unknown }>(res: R, status = 200): R {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

const q = (filter: Record<string, unknown>, range?: [number, number]) =>
  `/api/tasks?filter=${encodeURIComponent(JSON.stringify(filter))}&sort=${encodeURIComponent('["id","ASC"]')}${range ? `&range=${encodeURIComponent(JSON.stringify(range))}` : ''}`;

async function list(username: string, filter: Record<string, unknown>, range?: [number, number]): Promise<{ rows: Task[]; total: number }> {
  const res = ok(await getAs(t, username, q(filter, range)));
  return { rows: res.body as Task[], total: Number(String(res.headers['content-range']).split('/')[1]) };
}

/** The open tasks of these cases a user's list shows, by case reference. */
const refs = (rows: Task[], of: string[]) => rows.filter((r) => of.includes(r.caseRef)).map((r) => `${r.caseRef}@${r.state}`);

let atCounty: { ref: string };
let atCity: { ref: string };
let atDecision: { ref: string };
let atEnterprise: { caseRef: string };

beforeAll(async () => {
  atCounty = await openTestCase(t, 'enterprise', { name: '待办筛选：县级' });
  ok(await act(t, 'enterprise', atCounty.ref, { action: 'submit' }));
  atCity = await openTestCase(t, 'enterprise', { name: '待办筛选：市级' });
  ok(await act(t, 'enterprise', atCity.ref, { action: 'submit' }));
  ok(await act(t, 'county', atCity.ref, { action: 'approve' }));
  // to 认定决定 through the panel and 公示: `city` sent it to the panel at 市级复核, so the decision is not theirs
  atDecision = await openTestCase(t, 'enterprise', { name: '待办筛选：认定决定' });
  ok(await act(t, 'enterprise', atDecision.ref, { action: 'submit' }));
  ok(await act(t, 'county', atDecision.ref, { action: 'approve' }));
  const experts = await t.ds.query<Array<{ id: number }>>(`SELECT id FROM users WHERE username IN ('expert1', 'expert2', 'expert3') ORDER BY id`);
  ok(await act(t, 'city', atDecision.ref, { action: 'send_to_panel', panel: experts.map((e) => e.id) }));
  for (const u of ['expert1', 'expert2', 'expert3']) ok(await act(t, u, atDecision.ref, { action: 'score', scores: { cooperation: 40, plan: 40 } }));
  const caseId = Number(atDecision.ref.split(':')[1]);
  await t.ds.query(
    `UPDATE outbox SET available_at = now() WHERE job_name = 'workflow.timer' AND processed_at IS NULL AND (payload->>'timerId')::bigint IN (SELECT id FROM timers WHERE case_id = $1)`,
    [caseId],
  );
  await t.drain();
  expect((await t.ds.query(`SELECT state FROM cases WHERE id = $1`, [caseId]))[0].state).toBe('decision');
  // an order class at 企业确认: the enterprise's stage (a party's)
  const oc = await draftClass(t, { name: '待办筛选订单班' });
  ok(await classAct(t, 'school', oc.id, { action: 'submit' }));
  atEnterprise = oc;
});

it("a city reviewer's workable list keeps 市级复核, drops 县级初审, the enterprise's 企业确认 and a stage separation of duties bars them", async () => {
  const cases = [atCounty.ref, atCity.ref, atDecision.ref, atEnterprise.caseRef];
  // the supervisory view: every one of them
  const all = await list('city', { status: 'open' }, [0, 499]);
  expect(refs(all.rows, cases).sort()).toEqual(
    [`${atCounty.ref}@county_review`, `${atCity.ref}@city_review`, `${atDecision.ref}@decision`, `${atEnterprise.caseRef}@enterprise_confirm`].sort(),
  );
  expect(all.rows.find((r) => r.caseRef === atDecision.ref)?.blockedReason).toContain('市级复核');

  const mine = await list('city', { status: 'open', workable: true }, [0, 499]);
  expect(refs(mine.rows, cases)).toEqual([`${atCity.ref}@city_review`]);
  // nothing the filter keeps is one the server would refuse them
  expect(mine.rows.every((r) => r.blockedReason === null)).toBe(true);
  expect(mine.total).toBe(mine.rows.length);
  expect(mine.total).toBeLessThan(all.total);
  // `workable: false` is the supervisory view; anything else is a 400 in Chinese
  expect((await list('city', { status: 'open', workable: false }, [0, 499])).total).toBe(all.total);
  const bad = await getAs(t, 'city', q({ workable: 'maybe' }));
  expect(bad.status).toBe(400);
  expect(bad.body.message).toContain('workable');

  // another city reviewer who did not work 市级复核 on it may take the decision
  const city2 = await list('city2', { status: 'open', workable: true }, [0, 499]);
  expect(refs(city2.rows, cases).sort()).toEqual([`${atCity.ref}@city_review`, `${atDecision.ref}@decision`].sort());

  // the admin (no reviewer role) has nothing of these to work; a task assigned to them would be theirs
  expect(refs((await list('admin', { status: 'open', workable: true }, [0, 499])).rows, cases)).toEqual([]);
});

it("a county reviewer's list is the same with the filter; the enterprise's is its 企业确认", async () => {
  const plain = await list('county', { status: 'open' }, [0, 499]);
  const workable = await list('county', { status: 'open', workable: true }, [0, 499]);
  expect(workable.rows.map((r) => r.id)).toEqual(plain.rows.map((r) => r.id));
  expect(workable.total).toBe(plain.total);
  expect(refs(workable.rows, [atCounty.ref])).toEqual([`${atCounty.ref}@county_review`]);
  const ent = await list('enterprise', { status: 'open', workable: true }, [0, 499]);
  expect(refs(ent.rows, [atEnterprise.caseRef])).toEqual([`${atEnterprise.caseRef}@enterprise_confirm`]);
});

it('composes with paging: pages of the workable list add up to it, and the total says so on every page', async () => {
  // a few more 市级复核 tasks so that the city reviewer's workable list spans pages
  for (let i = 0; i < 3; i++) {
    const c = await openTestCase(t, 'enterprise', { name: `待办筛选：分页 ${i}` });
    ok(await act(t, 'enterprise', c.ref, { action: 'submit' }));
    ok(await act(t, 'county', c.ref, { action: 'approve' }));
  }
  const whole = await list('city', { status: 'open', workable: true }, [0, 499]);
  expect(whole.total).toBeGreaterThanOrEqual(4);
  const paged: number[] = [];
  for (let start = 0; start < whole.total; start += 2) {
    const page = await list('city', { status: 'open', workable: true }, [start, start + 1]);
    expect(page.total).toBe(whole.total);
    paged.push(...page.rows.map((r) => r.id));
  }
  expect(paged).toEqual(whole.rows.map((r) => r.id));
  const res = await getAs(t, 'city', q({ status: 'open', workable: true }, [0, 1]));
  expect(res.headers['content-range']).toBe(`tasks 0-1/${whole.total}`);
  // with another filter too: only 市级复核, still all workable
  const cityStage = await list('city', { status: 'open', workable: true, state: 'city_review' }, [0, 499]);
  expect(cityStage.rows.every((r) => r.state === 'city_review' && r.claimable)).toBe(true);
  expect(cityStage.total).toBe(cityStage.rows.length);
});

it("a teacher's 退回修改 is the teacher's alone: an expert or the admin of the same school does not see it in their inbox", async () => {
  const school = await organisationOf(t, 'school');
  const host = await organisationOf(t, 'enterprise');
  const teacher = await newTeacher(t);
  const expert = `tw_expert_${process.pid}`;
  await createUser(t, { username: expert, roles: ['expert'], organisationId: school, displayName: '同校评审专家' });
  const created = await logRecord(t, teacher.username, { hostOrgId: host, startDate: daysAgo(40), endDate: daysAgo(31), hours: 80 });
  expect(created.status).toBe(201);
  const id = created.body.id as number;
  ok(await actOn(t, teacher.username, id, { action: 'submit' }));
  ok(await actOn(t, 'enterprise', id, { action: 'confirm', data: { hours: 80 } }));
  ok(await actOn(t, 'school', id, { action: 'return', items: ['学时请按实际出勤填写'] }));
  const ref = created.body.caseRef as string;
  // the teacher has it, with and without the workable filter
  for (const filter of [{ status: 'open' }, { status: 'open', workable: true }])
    expect(refs((await list(teacher.username, filter, [0, 499])).rows, [ref])).toEqual([`${ref}@returned`]);
  // colleagues of the same school do not: they can neither open the record nor correct it
  for (const other of [expert, 'school'])
    for (const filter of [{ status: 'open' }, { status: 'open', workable: true }]) {
      const { rows, total } = await list(other, filter, [0, 499]);
      expect(refs(rows, [ref])).toEqual([]);
      expect(total).toBe(rows.length);
    }
  expect((await getAs(t, expert, `/api/practice-records/${id}`)).status).toBe(404);
});
