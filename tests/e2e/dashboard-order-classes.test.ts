import {
  addDays,
  addMonths,
  COUNTY_CODES,
  INDUSTRY_CODES,
  portalDate,
  portalToday,
  startOfPortalDay,
  type KpiBucketDto,
  type KpiDto,
  type KpisDto,
  type OrderClassProgressDto,
} from '@portal/contracts';
import { monthEnd } from '@portal/reporting';
import { makeCreditCode, startTestApp, type TestApp } from '@portal/testing';
import { auth } from '../support/certification.js';
import { addCountyTarget, cityTarget } from '../support/targets.js';
import { makeIdNumber, studentName } from '../support/id-numbers.js';
import { classAct, draftClass } from '../support/order-classes.js';
import { createUser, organisationId, organisationOf } from '../support/people.js';

/**
 * The order-class indicator of the dashboard (issue 12, seed task 30): classes in every state, built through the
 * real API across two counties (鹿城区, 瓯海区), two schools and two industries, plus a few filed in past months
 * (their audit events written with past instants, as no API backdates them); then for the city, one county, one
 * school and one enterprise, GET /api/kpis against the test's own count from the raw rows — the figure, every
 * county, industry and school bar, the trend by month — and each link's list, opened by whoever reads that scope,
 * answering the same total. Who may ask for which scope.
 */

let t: TestApp;
let today: string;
let schoolA: number; // 浙江工贸职业技术学院, 鹿城区 (demo admin `school`)
let schoolB: number; // 温州职业技术学院, 瓯海区 (admin `oc_school_b`)
let entA: number; // the demo enterprise, 电气 (applicant `enterprise`)
let entB: number; // a 数字经济 enterprise of 龙湾区 (applicant `oc_ent_b`)

type Target = 'draft' | 'enterprise_confirm' | 'returned' | 'withdrawn' | 'not_filed' | 'active' | 'terminated' | 'reporting' | 'closed';
let studentSeq = 700;

/** A class of `school` with `enterprise` taken through the real API to `to`, each step by the persona whose step it is. */
async function classIn(school: string, enterprise: string, county: string, name: string, to: Target): Promise<number> {
  const { id } = await draftClass(t, { school, enterpriseUser: enterprise, name });
  const step = async (user: string, body: { action: string; [k: string]: unknown }) => {
    const res = await classAct(t, user, id, body);
    if (res.status !== 200) throw new Error(`${body.action} as ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  if (to === 'reporting' || to === 'closed') {
    const res = await t
      .http()
      .post(`/api/order-classes/${id}/students`)
      .set('Authorization', await auth(t, school))
      .send({ name: studentName(studentSeq), idNumber: makeIdNumber({ seq: studentSeq++ }), gender: 'male' });
    if (res.status !== 201) throw new Error(`adding a student: ${res.status} ${JSON.stringify(res.body)}`);
  }
  if (to === 'draft') return id;
  await step(school, { action: 'submit' });
  if (to === 'withdrawn') {
    await step(school, { action: 'withdraw', comment: '企业调整计划' });
    return id;
  }
  if (to === 'enterprise_confirm') return id;
  await step(enterprise, { action: 'confirm' });
  if (to === 'returned') {
    await step(county, { action: 'return', comment: '请补充', items: ['合作协议未盖章'] });
    return id;
  }
  if (to === 'not_filed') {
    await step(county, { action: 'refuse', comment: '不符合备案条件' });
    return id;
  }
  await step(county, { action: 'file' });
  if (to === 'active') return id;
  if (to === 'terminated') {
    await step(school, { action: 'terminate', comment: '企业停产' });
    return id;
  }
  await step(school, { action: 'finish' });
  if (to === 'reporting') return id;
  const roster = (
    await t
      .http()
      .get(`/api/order-classes/${id}/students`)
      .set('Authorization', await auth(t, school))
  ).body as Array<{ id: number }>;
  for (const s of roster) {
    const res = await t
      .http()
      .put(`/api/order-classes/${id}/students/${s.id}/outcome`)
      .set('Authorization', await auth(t, school))
      .send({ graduated: true, destination: 'enterprise' });
    if (res.status !== 200) throw new Error(`outcome: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await step(school, { action: 'report', comment: '结业报告' });
  return id;
}

/**
 * A class filed in the past, written straight into the tables with its audit events at the given instants (the
 * API stamps events with the present): `filed` enters active; `ended` terminates it or `closed` completes it.
 */
async function pastClass(p: { school: number; enterprise: number; county: string; name: string; filed: Date; ended?: Date; closed?: Date }): Promise<void> {
  const [{ id: creator }] = await t.ds.query(`SELECT id FROM users WHERE username = 'school'`);
  const state = p.ended ? 'terminated' : p.closed ? 'closed' : 'active';
  const created = new Date(p.filed.getTime() - 20 * 86_400_000);
  const moves: Array<[string | null, string, string, Date]> = [
    [null, 'draft', 'open', created],
    ['draft', 'enterprise_confirm', 'submit', new Date(created.getTime() + 86_400_000)],
    ['enterprise_confirm', 'county_filing', 'confirm', new Date(created.getTime() + 2 * 86_400_000)],
    ['county_filing', 'active', 'file', p.filed],
    // a roster change inside the stage: not a new filing
    ['active', 'active', 'record_leave', new Date(p.filed.getTime() + 86_400_000)],
  ];
  if (p.ended) moves.push(['active', 'terminated', 'terminate', p.ended]);
  if (p.closed) moves.push(['active', 'reporting', 'finish', new Date(p.closed.getTime() - 86_400_000)], ['reporting', 'closed', 'report', p.closed]);
  const [{ id: caseId }] = await t.ds.query(
    `INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions, decided_at, created_at, event_count)
     VALUES ('order-class', $1, $2, $3, $4, $5, 1, $6, $7, $8) RETURNING id`,
    [state, p.school, p.county, p.name, creator, p.ended ?? p.closed ?? null, created, moves.length],
  );
  await t.ds.query(`INSERT INTO case_parties (case_id, party, organisation_id) VALUES ($1, 'enterprise', $2)`, [caseId, p.enterprise]);
  // (the class keeps its filing and termination instants, its county and its partner's industry then, as the feature
  // writes them with those transitions)
  await t.ds.query(
    `INSERT INTO order_classes (case_id, school_id, enterprise_id, name, major_code, cohort_year, created_at, filed_at, ended_at, filed_county_code, filed_industry)
     VALUES ($1, $2, $3, $4, '460306', 2024, $5, $6, $7, $8, (SELECT coalesce(industry, 'other') FROM organisations WHERE id = $3))`,
    [caseId, p.school, p.enterprise, p.name, created, p.filed, p.ended ?? null, p.county],
  );
  for (const [seq, [from, to, action, at]] of moves.entries())
    await t.ds.query(`INSERT INTO case_events (case_id, seq, action, from_state, to_state, at, hash) VALUES ($1, $2, $3, $4, $5, $6, 'h')`, [
      caseId,
      seq + 1,
      action,
      from,
      to,
      at,
    ]);
}

beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  today = portalToday();
  const admin = await auth(t, 'admin');
  schoolA = await organisationOf(t, 'school');
  schoolB = await organisationId(t, 'school', '温州职业技术学院');
  entA = await organisationOf(t, 'enterprise');
  const created = await t
    .http()
    .post('/api/organisations')
    .set('Authorization', admin)
    .send({ kind: 'enterprise', name: '温州云数科技有限公司', creditCode: makeCreditCode('330303'), countyCode: '330303', industry: 'digital_economy' });
  expect(created.status).toBe(201);
  entB = created.body.id;
  await createUser(t, { username: 'oc_ent_b', roles: ['enterprise_applicant'], organisationId: entB });
  await createUser(t, { username: 'oc_school_b', roles: ['school_admin'], organisationId: schoolB });
  await createUser(t, {
    username: 'oc_county_b',
    roles: ['county_reviewer'],
    organisationId: await organisationId(t, 'authority', '瓯海区教育局'),
    jurisdiction: '330304',
  });

  // 鹿城区 (the demo school, filed by `county`)
  await classIn('school', 'enterprise', 'county', '电气一班', 'active');
  await classIn('school', 'enterprise', 'county', '电气二班', 'closed');
  await classIn('school', 'oc_ent_b', 'county', '数字一班', 'active');
  await classIn('school', 'oc_ent_b', 'county', '数字二班', 'terminated');
  await classIn('school', 'oc_ent_b', 'county', '数字三班', 'enterprise_confirm');
  await classIn('school', 'enterprise', 'county', '电气三班', 'draft');
  await classIn('school', 'oc_ent_b', 'county', '数字四班', 'withdrawn');
  // an invited enterprise that has not accepted: its industry is N (other); never filed
  const invited = await t
    .http()
    .post('/api/order-classes')
    .set('Authorization', await auth(t, 'school'))
    .send({ name: '邀请企业班', invitedCreditCode: makeCreditCode('330302'), invitedEmail: 'hr@invited.example.com' });
  expect(invited.status).toBe(201);
  // 瓯海区 (the second school, filed by `oc_county_b`)
  await classIn('oc_school_b', 'oc_ent_b', 'oc_county_b', '数字五班', 'active');
  await classIn('oc_school_b', 'enterprise', 'oc_county_b', '电气四班', 'active');
  await classIn('oc_school_b', 'enterprise', 'oc_county_b', '电气五班', 'reporting');
  await classIn('oc_school_b', 'oc_ent_b', 'oc_county_b', '数字六班', 'not_filed');
  await classIn('oc_school_b', 'enterprise', 'oc_county_b', '电气六班', 'returned');

  // filed in past months: at 00:30 in Shanghai on the first of a month (still the previous day in UTC), terminated
  // the same way, completed — the trend must read these days in Asia/Shanghai
  const firstOf = (monthsAgo: number) => addMonths(`${today.slice(0, 7)}-01`, -monthsAgo);
  const halfPastMidnight = (day: string) => new Date(startOfPortalDay(day).getTime() + 30 * 60_000);
  await pastClass({ school: schoolA, enterprise: entA, county: '330302', name: '往期电气班', filed: halfPastMidnight(firstOf(5)) });
  await pastClass({
    school: schoolB,
    enterprise: entB,
    county: '330304',
    name: '往期数字班',
    filed: startOfPortalDay(addDays(firstOf(9), 10)),
    ended: halfPastMidnight(firstOf(3)),
  });
  await pastClass({
    school: schoolA,
    enterprise: entB,
    county: '330302',
    name: '往期结业班',
    filed: new Date(startOfPortalDay(addDays(firstOf(11), 3)).getTime() + 4 * 3_600_000),
    closed: startOfPortalDay(addDays(firstOf(2), 5)),
  });
}, 180_000);
afterAll(async () => {
  await t.close();
});

/** One class as the test reads it from the tables itself. */
interface RawClass {
  id: string;
  state: string;
  county_code: string;
  school_id: number;
  enterprise: number | null;
  industry: string | null;
  filed_at: Date | null;
  ended_at: Date | null;
}

const rawClasses = (): Promise<RawClass[]> =>
  t.ds.query(
    `SELECT oc.id, c.state, c.county_code, oc.school_id, reg.id AS enterprise, reg.industry,
            (SELECT min(ev.at) FROM case_events ev WHERE ev.case_id = c.id AND ev.to_state = 'active' AND ev.from_state <> 'active') AS filed_at,
            (SELECT min(ev.at) FROM case_events ev WHERE ev.case_id = c.id AND ev.to_state = 'terminated') AS ended_at
       FROM order_classes oc JOIN cases c ON c.id = oc.case_id
       LEFT JOIN organisations reg ON reg.id = oc.enterprise_id
      WHERE c.workflow_key = 'order-class'`,
  );

/** Counted now: filed and running, reporting or completed (terminated, refused, withdrawn and unfiled ones are not). */
const countedNow = (c: RawClass) => ['active', 'reporting', 'closed'].includes(c.state);
/** Standing at the end of `day` (Asia/Shanghai): filed by then and not terminated by then. */
const standingOn = (c: RawClass, day: string) => c.filed_at !== null && portalDate(c.filed_at) <= day && (c.ended_at === null || portalDate(c.ended_at) > day);
const industryOf = (c: RawClass) => c.industry ?? 'other';

async function kpis(user: string, scope?: string) {
  return t
    .http()
    .get(`/api/kpis${scope ? `?scope=${encodeURIComponent(scope)}` : ''}`)
    .set('Authorization', await auth(t, user));
}
const orderClasses = (body: KpisDto): KpiDto => {
  const k = body.indicators.find((i) => i.key === 'order_classes');
  if (!k) throw new Error(`no order_classes indicator in ${body.indicators.map((i) => i.key).join(',')}`);
  return k;
};
const bucket = (rows: KpiBucketDto[] | null, key: string) => rows!.find((b) => b.key === key)!;
const sum = (rows: KpiBucketDto[]) => rows.reduce((a, b) => a + b.value!, 0);

/** The total the linked list answers (Content-Range) to `user`. */
async function listTotal(user: string, link: { resource: string; filter: Record<string, unknown> }): Promise<number> {
  const res = await t
    .http()
    .get(`/api/${link.resource}?range=[0,0]&filter=${encodeURIComponent(JSON.stringify(link.filter))}`)
    .set('Authorization', await auth(t, user));
  expect([link.filter, res.status]).toEqual([link.filter, 200]);
  return Number(/\/(\d+)$/.exec(res.headers['content-range'])![1]);
}

/** The figure and its trend against the rows in scope; the figure's list as `user`. */
async function expectFigureAndTrend(k: KpiDto, rows: RawClass[], user: string) {
  const counted = rows.filter(countedNow);
  expect(k).toMatchObject({ unit: '个', seedTask: 30, value: counted.length, count: counted.length });
  expect(k.link!.resource).toBe('order-classes');
  expect(await listTotal(user, k.link!)).toBe(counted.length);
  expect(k.trend).toHaveLength(12);
  expect(k.trend![11].month).toBe(today.slice(0, 7));
  for (const p of k.trend!) expect([p.month, p.value]).toEqual([p.month, rows.filter((c) => standingOn(c, monthEnd(p.month))).length]);
  // the end of this month is today's figure
  expect(k.trend![11].value).toBe(k.value);
}

it('a class keeps the instants it was filed and terminated: those of the transitions (their audit events, within the transaction)', async () => {
  const rows = await t.ds.query<Array<{ name: string; filed_at: Date | null; ended_at: Date | null; filed: Date | null; ended: Date | null }>>(
    `SELECT oc.name, oc.filed_at, oc.ended_at,
            (SELECT min(ev.at) FROM case_events ev WHERE ev.case_id = oc.case_id AND ev.action = 'file') AS filed,
            (SELECT min(ev.at) FROM case_events ev WHERE ev.case_id = oc.case_id AND ev.action = 'terminate') AS ended
       FROM order_classes oc`,
  );
  expect(rows.filter((r) => r.filed).length).toBe(10);
  // the class's instant and its audit event's are taken in the same transaction, a moment apart
  const gap = (a: Date | null, b: Date | null) => (a === null || b === null ? (a === b ? 0 : Infinity) : b.getTime() - a.getTime());
  for (const r of rows) {
    for (const d of [gap(r.filed_at, r.filed), gap(r.ended_at, r.ended)])
      expect([r.name, Math.abs(d) < 5_000, JSON.stringify(r)]).toEqual([r.name, true, JSON.stringify(r)]);
  }
});

describe('the city', () => {
  it('measures 订单班建设进度 against the dashboard’s target (规划目标): an admin’s change shows on both; without a target, none', async () => {
    const admin = await auth(t, 'admin');
    const progress = async () => {
      const res = await t
        .http()
        .get('/api/order-classes/progress')
        .set('Authorization', await auth(t, 'city'));
      expect(res.status).toBe(200);
      return res.body as OrderClassProgressDto;
    };
    const target = await cityTarget(t, admin, 'order_classes');
    expect(target).toMatchObject({ value: 200, countyCode: null });
    expect((await progress()).target).toBe(200);
    const changed = await t.http().put(`/api/targets/${target.id}`).set('Authorization', admin).send({ value: 240, version: target.version });
    expect(changed.status).toBe(200);
    try {
      expect((await progress()).target).toBe(240);
      expect(orderClasses((await kpis('city')).body).target).toMatchObject({ value: 240 });
      // a county's own target is the county's: the city's progress stays measured against the city's
      const own = await addCountyTarget(t, admin, { indicator: 'order_classes', label: '订单班', unit: '个', value: 30, seedTask: 30, countyCode: '330302' });
      expect(own.status).toBe(201);
      expect((await progress()).target).toBe(240);
      expect((await t.http().delete(`/api/targets/${own.body.id}`).set('Authorization', admin)).status).toBe(200);
      const removed = await t.http().delete(`/api/targets/${target.id}`).set('Authorization', admin);
      expect(removed.status).toBe(200);
      expect((await progress()).target).toBeNull();
    } finally {
      await t.ds.query(`DELETE FROM targets WHERE indicator = 'order_classes' AND county_code IS NOT NULL`);
      await t.ds.query(
        `INSERT INTO targets (indicator, label, unit, value, deadline, seed_task) SELECT 'order_classes', '订单班', '个', 200, '2025-12-31', 30
          WHERE NOT EXISTS (SELECT 1 FROM targets WHERE indicator = 'order_classes' AND county_code IS NULL)`,
      );
      await t.ds.query(`UPDATE targets SET value = 200 WHERE indicator = 'order_classes' AND county_code IS NULL`);
    }
    expect((await progress()).target).toBe(200);
  });

  it('sees the filed classes (task 30) as it counts them, by county, industry and school, and the trend by month', async () => {
    const res = await kpis('city');
    expect(res.status).toBe(200);
    const k = orderClasses(res.body);
    const rows = await rawClasses();
    const counted = rows.filter(countedNow);
    // active ×4, reporting, closed ×1 through the API; active and closed in the past
    expect(counted.length).toBe(8);
    await expectFigureAndTrend(k, rows, 'city');
    expect(k).toMatchObject({ label: '已备案订单班', target: { value: 200, deadline: '2025-12-31' }, progress: Math.round((8 / 200) * 1000) / 10 });

    expect(k.byCounty!.map((b) => b.key)).toEqual(COUNTY_CODES);
    for (const code of COUNTY_CODES) expect([code, bucket(k.byCounty, code).value]).toEqual([code, counted.filter((c) => c.county_code === code).length]);
    expect(bucket(k.byCounty, '330302')).toMatchObject({ label: '鹿城区', value: 5 });
    expect(bucket(k.byCounty, '330304').value).toBe(3);
    // the enterprise's county (龙湾区) is not the class's: the school's is
    expect(bucket(k.byCounty, '330303').value).toBe(0);

    expect(k.byIndustry!.map((b) => b.key)).toEqual(INDUSTRY_CODES);
    for (const code of INDUSTRY_CODES) expect([code, bucket(k.byIndustry, code).value]).toEqual([code, counted.filter((c) => industryOf(c) === code).length]);
    expect(bucket(k.byIndustry, 'electrical')).toMatchObject({ label: '电气', value: 5 });
    expect(bucket(k.byIndustry, 'digital_economy').value).toBe(3);

    for (const s of [schoolA, schoolB]) expect(bucket(k.bySchool, String(s)).value).toBe(counted.filter((c) => c.school_id === s).length);
    expect(bucket(k.bySchool, String(schoolA))).toMatchObject({ label: '浙江工贸职业技术学院', value: 5 });
    for (const b of k.bySchool!) expect(b.value).toBe(counted.filter((c) => String(c.school_id) === b.key).length);
    // every class counted once in each split: the bars add up to the figure
    for (const split of [k.byCounty!, k.byIndustry!, k.bySchool!]) expect(sum(split)).toBe(k.value);
    // the trend moves: the past classes were filed, and one terminated, in earlier months
    expect(k.trend![0].value).toBe(1);
    expect(k.trend![0].value).toBeLessThan(k.trend![11].value!);
  });

  it('each bar opens a list whose total equals the bar', async () => {
    const k = orderClasses((await kpis('city')).body);
    for (const b of [...k.byCounty!, ...k.byIndustry!, ...k.bySchool!]) {
      expect(b.count).toBe(b.value);
      expect([b.key, await listTotal('city', b.link!)]).toEqual([b.key, b.count]);
    }
  });

  it('may open a county’s, a school’s or an enterprise’s figures: the same as their own', async () => {
    const school = orderClasses((await kpis('city', `school:${schoolB}`)).body);
    const own = orderClasses((await kpis('oc_school_b')).body);
    expect(school).toMatchObject({ value: own.value, link: own.link, trend: own.trend });
    const county = orderClasses((await kpis('admin', 'county:330304')).body);
    expect(county.value).toBe(orderClasses((await kpis('oc_county_b')).body).value);
  });
});

describe('one county (瓯海区)', () => {
  it('sees its own classes, by industry and school, and the trend; each list as its reviewer opens it', async () => {
    const res = await kpis('oc_county_b');
    expect(res.status).toBe(200);
    expect(res.body.scope).toEqual({ kind: 'county', code: 'county:330304', label: '瓯海区' });
    const k = orderClasses(res.body);
    const rows = (await rawClasses()).filter((c) => c.county_code === '330304');
    const counted = rows.filter(countedNow);
    expect(counted.length).toBe(3);
    await expectFigureAndTrend(k, rows, 'oc_county_b');
    expect(k.byCounty).toBeNull();
    for (const code of INDUSTRY_CODES) expect([code, bucket(k.byIndustry, code).value]).toEqual([code, counted.filter((c) => industryOf(c) === code).length]);
    expect(bucket(k.bySchool, String(schoolB)).value).toBe(3);
    // the county's schools only (温州职业技术学院, 浙江东方职业技术学院, 温州技师学院 are in 瓯海区)
    expect(k.bySchool!.some((b) => b.key === String(schoolA))).toBe(false);
    for (const b of k.bySchool!) expect(b.value).toBe(counted.filter((c) => String(c.school_id) === b.key).length);
    for (const split of [k.byIndustry!, k.bySchool!]) expect(sum(split)).toBe(k.value);
    for (const b of [...k.byIndustry!, ...k.bySchool!]) expect([b.key, await listTotal('oc_county_b', b.link!)]).toEqual([b.key, b.count]);
    // the terminated past class counted until the end of the month before its termination (Shanghai days)
    const terminatedMonth = addMonths(`${today.slice(0, 7)}-01`, -3).slice(0, 7);
    const i = k.trend!.findIndex((p) => p.month === terminatedMonth);
    expect(k.trend![i - 1].value! - k.trend![i].value!).toBe(1);
  });
});

describe('one school and one enterprise', () => {
  it('a school sees its own classes (filed, not terminated) and their trend; its list answers the same total', async () => {
    const res = await kpis('school');
    expect(res.status).toBe(200);
    expect(res.body.scope).toMatchObject({ kind: 'school', code: `school:${schoolA}` });
    const k = orderClasses(res.body);
    const rows = (await rawClasses()).filter((c) => c.school_id === schoolA);
    expect(rows.filter(countedNow).length).toBe(5);
    await expectFigureAndTrend(k, rows, 'school');
    expect([k.byCounty, k.byIndustry, k.bySchool]).toEqual([null, null, null]);
    // filed at 00:30 in Shanghai on the first of the month five months ago: counted from that month on, not before
    const filedMonth = addMonths(`${today.slice(0, 7)}-01`, -5).slice(0, 7);
    const i = k.trend!.findIndex((p) => p.month === filedMonth);
    expect(k.trend![i].value! - k.trend![i - 1].value!).toBe(1);
  });

  it('an enterprise sees the classes it is the partner of, at every school', async () => {
    const res = await kpis('oc_ent_b');
    expect(res.status).toBe(200);
    expect(res.body.scope).toMatchObject({ kind: 'enterprise', code: `enterprise:${entB}`, label: '温州云数科技有限公司' });
    const k = orderClasses(res.body);
    const rows = (await rawClasses()).filter((c) => c.enterprise === entB);
    expect(rows.filter(countedNow).length).toBe(3);
    expect(new Set(rows.filter(countedNow).map((c) => c.school_id))).toEqual(new Set([schoolA, schoolB]));
    await expectFigureAndTrend(k, rows, 'oc_ent_b');
    expect([k.byCounty, k.byIndustry, k.bySchool]).toEqual([null, null, null]);
    const demo = orderClasses((await kpis('enterprise')).body);
    expect(demo.value).toBe((await rawClasses()).filter((c) => c.enterprise === entA && countedNow(c)).length);
    expect(await listTotal('enterprise', demo.link!)).toBe(demo.value);
  });

  it('nobody asks for another school’s, enterprise’s or county’s figures (403)', async () => {
    expect((await kpis('school', `school:${schoolB}`)).status).toBe(403);
    expect((await kpis('school', 'city')).status).toBe(403);
    expect((await kpis('school', 'county:330302')).status).toBe(403);
    expect((await kpis('school', `school:${schoolA}`)).status).toBe(200);
    expect((await kpis('oc_school_b', `school:${schoolA}`)).status).toBe(403);
    expect((await kpis('oc_ent_b', `enterprise:${entA}`)).status).toBe(403);
    expect((await kpis('oc_county_b', 'county:330302')).status).toBe(403);
    expect((await kpis('teacher')).status).toBe(403);
  });
});

describe('the list filters behind the links', () => {
  const list = async (user: string, filter: Record<string, unknown>) =>
    t
      .http()
      .get(`/api/order-classes?range=[0,99]&filter=${encodeURIComponent(JSON.stringify(filter))}`)
      .set('Authorization', await auth(t, user));

  it('counted, countyCode, industry and schoolId mean what the indicator means; `other` holds an enterprise not yet registered', async () => {
    const rows = await rawClasses();
    const ids = (res: { body: Array<{ id: number }> }) => res.body.map((c) => String(c.id)).sort();
    expect(ids(await list('city', { counted: true }))).toEqual(
      rows
        .filter(countedNow)
        .map((c) => c.id)
        .sort(),
    );
    // the school reads its drafts too: counted false is everything else
    const own = rows.filter((c) => c.school_id === schoolA);
    expect(ids(await list('school', { counted: false }))).toEqual(
      own
        .filter((c) => !countedNow(c))
        .map((c) => c.id)
        .sort(),
    );
    const other = await list('school', { industry: 'other' });
    expect(other.body.map((c: { name: string }) => c.name)).toEqual(['邀请企业班']);
    expect(ids(await list('city', { counted: true, countyCode: '330304', industry: 'electrical', schoolId: schoolB }))).toEqual(
      rows
        .filter((c) => countedNow(c) && c.county_code === '330304' && c.industry === 'electrical' && c.school_id === schoolB)
        .map((c) => c.id)
        .sort(),
    );
  });

  it('bad filter values are 400s naming the filter, in Chinese', async () => {
    for (const [filter, field] of [
      [{ counted: 'yes' }, 'filter.counted'],
      [{ countyCode: '110101' }, 'filter.countyCode'],
      [{ industry: 'mining' }, 'filter.industry'],
      [{ schoolId: 'abc' }, 'filter.schoolId'],
      [{ schoolId: -1 }, 'filter.schoolId'],
    ] as const) {
      const res = await list('city', filter);
      expect([filter, res.status]).toEqual([filter, 400]);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

// last: it changes an enterprise's industry, which the raw counts above read as of today
describe('a partner that changes its industry after its classes were filed', () => {
  it('keeps its filed classes in the industry they were filed in; a class filed now is in its industry of today', async () => {
    const before = orderClasses((await kpis('city')).body);
    const filedWithB = (await rawClasses()).filter((c) => countedNow(c) && c.enterprise === entB).length;
    expect(filedWithB).toBeGreaterThan(0);
    const admin = await auth(t, 'admin');
    expect((await t.http().put(`/api/organisations/${entB}`).set('Authorization', admin).send({ industry: 'electrical' })).status).toBe(200);

    const after = orderClasses((await kpis('city')).body);
    expect(after.byIndustry).toEqual(before.byIndustry);
    expect(bucket(after.byIndustry, 'digital_economy').value).toBe(filedWithB);
    for (const b of after.byIndustry!) expect([b.key, await listTotal('city', b.link!)]).toEqual([b.key, b.value]);
    // a class not filed yet is listed in its partner's industry of today
    const unfiled = await t
      .http()
      .get(`/api/order-classes?range=[0,99]&filter=${encodeURIComponent(JSON.stringify({ industry: 'electrical', counted: false }))}`)
      .set('Authorization', await auth(t, 'school'));
    expect(unfiled.body.map((c: { name: string }) => c.name)).toContain('数字三班');

    await classIn('school', 'oc_ent_b', 'county', '数字七班', 'active');
    const now = orderClasses((await kpis('city')).body);
    expect(bucket(now.byIndustry, 'electrical').value).toBe(bucket(before.byIndustry, 'electrical').value! + 1);
    expect(bucket(now.byIndustry, 'digital_economy').value).toBe(filedWithB);
    expect(now.value).toBe(before.value! + 1);
    for (const b of now.byIndustry!) expect([b.key, await listTotal('city', b.link!)]).toEqual([b.key, b.value]);
    // what the class is counted by is written with its filing
    const [filed] = await t.ds.query(`SELECT filed_county_code, filed_industry FROM order_classes WHERE name = '数字七班'`);
    expect(filed).toEqual({ filed_county_code: '330302', filed_industry: 'electrical' });
  });
});
