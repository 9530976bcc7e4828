import {
  addYears,
  COUNTY_CODES,
  INDUSTRY_CODES,
  portalToday,
  type KpiBucketDto,
  type KpiDto,
  type KpisDto,
  type PracticeStatsDto,
  type TeacherDto,
} from '@portal/contracts';
import { monthEnd } from '@portal/reporting';
import { startTestApp, type TestApp } from '@portal/testing';
import { createUser, organisationId, organisationOf, registerEnterprise } from '../support/people.js';
import { actOn, bearer, call, countedRecord, daysAgo, logRecord, newTeacher, type Login } from '../support/practice.js';
import { addCountyTarget, cityTarget } from '../support/targets.js';

/**
 * The practice indicators of the dashboard (issue 12; tasks 47, 44, 48): person-times of counted practice, the
 * share of part-time teachers and of 双师型 among the full-time (专业课) teachers. Teachers of two schools in two
 * counties, records hosted by enterprises of three industries (one without: `other`) in every state of the
 * workflow, all made through the API; then every figure, bucket and trend point of each scope (the city, a county,
 * a school, an enterprise) against the test's own count from the raw rows, and each link's list total against it.
 */
let t: TestApp;
let schoolA: number; // 浙江工贸职业技术学院, 鹿城区 330302: admin `school`
let schoolB: number; // 温州职业技术学院, 瓯海区 330304: admin dp_school2
const SCHOOL_B_ADMIN = 'dp_school2';
let e1: number; // the demo enterprise, host `enterprise`
let e2: Login & { organisationId: number }; // 龙湾区, 新材料
let e3: Login & { organisationId: number }; // 瑞安市, no industry recorded (→ other)
const ended = (days: number) => ({ startDate: daysAgo(days + 4), endDate: daysAgo(days), hours: 16 });

beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  schoolA = await organisationOf(t, 'school');
  schoolB = await organisationId(t, 'school', '温州职业技术学院');
  await createUser(t, { username: SCHOOL_B_ADMIN, roles: ['school_admin'], organisationId: schoolB });
  e1 = await organisationOf(t, 'enterprise');
  const r2 = await registerEnterprise(t, '330303');
  e2 = { username: r2.username, password: r2.password, organisationId: r2.organisationId };
  const r3 = await registerEnterprise(t, '330381');
  e3 = { username: r3.username, password: r3.password, organisationId: r3.organisationId };
  const admin = await bearer(t, 'admin');
  expect((await t.http().put(`/api/organisations/${e2.organisationId}`).set('Authorization', admin).send({ industry: 'new_materials' })).status).toBe(200);
  // an enterprise registered before industries were required (the form now asks for one): counted as N (other)
  await t.ds.query(`UPDATE organisations SET industry = NULL WHERE id = $1`, [e3.organisationId]);

  // teachers: school A — 专任双师型, 专任, 兼职, 专任双师型 who has left (account deactivated);
  //           school B — 兼职, 专任双师型, 专任, 兼职双师型 (a part-time 双师型 counts in neither side of task 48's share)
  const dual = { dualQualified: true, dualQualifiedOn: '2024-05-01' };
  const a1 = await newTeacher(t, 'school', { ...dual, phone: '13700001111' });
  const a2 = await newTeacher(t, 'school');
  const a3 = await newTeacher(t, 'school', { employment: 'part_time' });
  const a4 = await newTeacher(t, 'school', dual);
  const b1 = await newTeacher(t, SCHOOL_B_ADMIN, { employment: 'part_time' });
  const b2 = await newTeacher(t, SCHOOL_B_ADMIN, dual);
  const b3 = await newTeacher(t, SCHOOL_B_ADMIN);
  const b4 = await newTeacher(t, SCHOOL_B_ADMIN, { employment: 'part_time', ...dual });

  const hostOf = (org: number): string | Login => (org === e1 ? 'enterprise' : org === e2.organisationId ? e2 : e3);
  const counted = (teacher: string, school: string, org: number, days: number) =>
    countedRecord(t, teacher, { hostOrgId: org, ...ended(days) }, { host: hostOf(org), school });
  /** a record taken through the workflow up to a state short of 已认定 */
  const upTo = async (teacher: string, school: string, org: number, days: number, state: string) => {
    const res = await logRecord(t, teacher, { hostOrgId: org, ...ended(days) });
    expect(res.status).toBe(201);
    const id = res.body.id as number;
    const steps: Record<string, Array<[string | Login, Record<string, unknown>]>> = {
      draft: [],
      host_confirm: [[teacher, { action: 'submit' }]],
      returned: [
        [teacher, { action: 'submit' }],
        [hostOf(org), { action: 'return', items: ['请写明具体岗位'] }],
      ],
      withdrawn: [[teacher, { action: 'withdraw' }]],
      school_approval: [
        [teacher, { action: 'submit' }],
        [hostOf(org), { action: 'confirm', data: { hours: 16 } }],
      ],
      rejected: [
        [teacher, { action: 'submit' }],
        [hostOf(org), { action: 'confirm', data: { hours: 16 } }],
        [school, { action: 'reject', comment: '佐证材料不足' }],
      ],
    };
    for (const [who, body] of steps[state]) expect((await actOn(t, who, id, body)).status).toBe(200);
  };
  await counted(a1.username, 'school', e1, 3);
  await counted(a1.username, 'school', e2.organisationId, 70);
  await counted(a1.username, 'school', e3.organisationId, 400);
  await upTo(a1.username, 'school', e1, 200, 'host_confirm');
  await counted(a2.username, 'school', e1, 35);
  await upTo(a2.username, 'school', e2.organisationId, 130, 'draft');
  await counted(a3.username, 'school', e3.organisationId, 290);
  await upTo(a3.username, 'school', e1, 10, 'returned');
  // a3 meets the 5-year rule (1,100 hours ≥ 6 × 176); a2 has a record awaiting the school (学校审核)
  await countedRecord(t, a3.username, { hostOrgId: e1, startDate: daysAgo(160), endDate: daysAgo(20), hours: 1100 }, { host: 'enterprise', school: 'school' });
  await upTo(a2.username, 'school', e3.organisationId, 165, 'school_approval');
  await counted(a4.username, 'school', e1, 130);
  await upTo(a4.username, 'school', e2.organisationId, 50, 'withdrawn');
  await counted(b1.username, SCHOOL_B_ADMIN, e1, 35);
  await counted(b1.username, SCHOOL_B_ADMIN, e2.organisationId, 200);
  await counted(b2.username, SCHOOL_B_ADMIN, e2.organisationId, 3);
  await upTo(b2.username, SCHOOL_B_ADMIN, e1, 70, 'rejected');
  await counted(b3.username, SCHOOL_B_ADMIN, e3.organisationId, 130);
  await upTo(b3.username, SCHOOL_B_ADMIN, e1, 250, 'school_approval');
  await counted(b4.username, SCHOOL_B_ADMIN, e2.organisationId, 10);
  // a4 leaves the school: the account is deactivated (the person-time stays; the teacher leaves the shares)
  expect((await t.http().put(`/api/users/${a4.id}`).set('Authorization', admin).send({ active: false })).status).toBe(200);
}, 120_000);
afterAll(() => t.close());

interface RawRecord {
  id: string;
  counted: boolean;
  end_date: string;
  school_id: number;
  county: string;
  host: number | null;
  industry: string | null;
}
interface RawTeacher {
  school_id: number;
  county: string;
  employment: string;
  dual_qualified: boolean;
  active: boolean;
}

/** every record with its school's county and its host (by id, or invited by credit code and accepted since) */
const rawRecords = (): Promise<RawRecord[]> =>
  t.ds.query(
    `SELECT r.id, r.counted, to_char(r.end_date, 'YYYY-MM-DD') AS end_date, r.school_id, s.county_code AS county, e.id AS host, e.industry
       FROM practice_records r JOIN organisations s ON s.id = r.school_id
       JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host'
       LEFT JOIN organisations e ON e.id = cp.organisation_id`,
  );
const rawTeachers = (): Promise<RawTeacher[]> =>
  t.ds.query(
    `SELECT tp.school_id, s.county_code AS county, tp.employment, tp.dual_qualified, u.active
       FROM teacher_profiles tp JOIN users u ON u.id = tp.user_id JOIN organisations s ON s.id = tp.school_id`,
  );
const schoolsIn = async (county?: string): Promise<string[]> =>
  (
    await t.ds.query<Array<{ id: number }>>(`SELECT id FROM organisations WHERE kind = 'school' AND ($1::text IS NULL OR county_code = $1)`, [county ?? null])
  ).map((r) => String(r.id));

/** the test's own percentage: one decimal, null (暂无数据) with nobody to divide by */
const percent = (n: number, d: number) => (d === 0 ? null : Math.round((1000 * n) / d) / 10);
const partTimeShare = (ts: RawTeacher[]) => {
  const active = ts.filter((x) => x.active);
  const n = active.filter((x) => x.employment === 'part_time').length;
  return { value: percent(n, active.length), count: n };
};
const dualShare = (ts: RawTeacher[]) => {
  const fullTime = ts.filter((x) => x.active && x.employment === 'full_time');
  const n = fullTime.filter((x) => x.dual_qualified).length;
  return { value: percent(n, fullTime.length), count: n };
};

async function kpis(user: string | Login, scope?: string) {
  return t
    .http()
    .get(`/api/kpis${scope ? `?scope=${encodeURIComponent(scope)}` : ''}`)
    .set('Authorization', await bearer(t, user));
}
const indicator = (body: KpisDto, key: string): KpiDto => {
  const k = body.indicators.find((i) => i.key === key);
  if (!k) throw new Error(`no indicator ${key} in ${body.indicators.map((i) => i.key).join(',')}`);
  return k;
};
/** a bucket's value and count, beside its key (so that a failure names the bucket) */
const vc = (rows: KpiBucketDto[] | null, key: string) => {
  const b = bucket(rows, key);
  return [key, { value: b.value, count: b.count }];
};
const bucket = (rows: KpiBucketDto[] | null, key: string) => {
  const b = rows!.find((x) => x.key === key);
  if (!b) throw new Error(`no bucket ${key}`);
  return b;
};

/** the total the linked list answers (Content-Range) to the user who opens it */
async function listTotal(user: string | Login, link: { resource: string; filter: Record<string, unknown> } | null): Promise<number> {
  const res = await t
    .http()
    .get(`/api/${link!.resource}?range=[0,0]&filter=${encodeURIComponent(JSON.stringify(link!.filter))}`)
    .set('Authorization', await bearer(t, user));
  expect(res.status).toBe(200);
  return Number(/\/(\d+)$/.exec(res.headers['content-range'])![1]);
}

/** every link of a figure (the figure, its buckets) answers its count to this user */
async function expectLinks(user: string | Login, k: KpiDto) {
  expect(await listTotal(user, k.link)).toBe(k.count);
  for (const b of [...(k.byCounty ?? []), ...(k.byIndustry ?? []), ...(k.bySchool ?? [])])
    expect([b.key, await listTotal(user, b.link)]).toEqual([b.key, b.count]);
}

/** person-times: the figure, its splits and trend against the counted records of the scope */
function expectPersonTimes(k: KpiDto, records: RawRecord[], schools: string[] | null) {
  const counted = records.filter((r) => r.counted);
  expect(k).toMatchObject({ label: '教师入企实践', unit: '人次', seedTask: 47, value: counted.length, count: counted.length });
  if (k.byIndustry) {
    expect(k.byIndustry.map((b) => b.key)).toEqual(INDUSTRY_CODES);
    for (const code of INDUSTRY_CODES)
      expect([code, bucket(k.byIndustry, code).value]).toEqual([code, counted.filter((r) => (r.industry ?? 'other') === code).length]);
  }
  if (schools) {
    expect(k.bySchool!.map((b) => b.key).sort()).toEqual([...schools].sort());
    for (const id of schools) expect([id, bucket(k.bySchool, id).value]).toEqual([id, counted.filter((r) => String(r.school_id) === id).length]);
    // the largest first
    const values = k.bySchool!.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => b! - a!));
  }
  expect(k.trend).toHaveLength(12);
  for (const p of k.trend!) expect([p.month, p.value]).toEqual([p.month, counted.filter((r) => r.end_date <= monthEnd(p.month)).length]);
  expect(k.trend![11].value).toBe(counted.length);
}

describe('the city', () => {
  it('person-times (task 47): counted records only, by the school’s county, the host’s industry, the school, and by month of the end date', async () => {
    const res = await kpis('city');
    expect(res.status).toBe(200);
    const records = await rawRecords();
    const k = indicator(res.body, 'practice_person_times');
    expect(records.filter((r) => r.counted).length).toBe(12);
    expect(records.length).toBeGreaterThan(12);
    expectPersonTimes(k, records, await schoolsIn());
    expect(k.target).toMatchObject({ value: 10000 });
    expect(k.progress).toBe(Math.round((12 / 10000) * 1000) / 10);
    expect(k.byCounty!.map((b) => b.key)).toEqual(COUNTY_CODES);
    for (const code of COUNTY_CODES)
      expect([code, bucket(k.byCounty, code).value]).toEqual([code, records.filter((r) => r.counted && r.county === code).length]);
    expect(bucket(k.byCounty, '330302')).toMatchObject({ value: 7, label: '鹿城区' });
    expect(bucket(k.byCounty, '330304').value).toBe(5);
    expect(bucket(k.byIndustry, 'other').value).toBe(3);
    expect(bucket(k.byIndustry, 'new_materials').value).toBe(4);
    // the trend moves: the record that ended 400 days ago is before the window, the one 3 days ago in this month
    expect(k.trend![0].value).toBeLessThan(k.trend![11].value!);
    await expectLinks('city', k);
  });

  it('the shares of tasks 44 and 48 from the active teachers’ profiles, by county and by school', async () => {
    const body: KpisDto = (await kpis('city')).body;
    const teachers = await rawTeachers();
    const part = indicator(body, 'part_time_teacher_share');
    const dual = indicator(body, 'double_qualified_share');
    expect(part).toMatchObject({ unit: '%', seedTask: 44, ...partTimeShare(teachers), target: { value: 20 }, trend: null, byIndustry: null });
    expect(dual).toMatchObject({ unit: '%', seedTask: 48, ...dualShare(teachers), target: { value: 90 } });
    expect(part.progress).toBe(Math.round((part.value! / 20) * 1000) / 10);
    for (const k of [part, dual]) {
      const share = k === part ? partTimeShare : dualShare;
      expect(k.byCounty!.map((b) => b.key)).toEqual(COUNTY_CODES);
      for (const code of COUNTY_CODES) expect(vc(k.byCounty, code)).toEqual([code, share(teachers.filter((x) => x.county === code))]);
      for (const id of await schoolsIn()) expect(vc(k.bySchool, id)).toEqual([id, share(teachers.filter((x) => String(x.school_id) === id))]);
      // a county without teachers: no share (null, 暂无数据), not 0 %; nobody behind it
      expect(bucket(k.byCounty, '330329')).toMatchObject({ value: null, count: 0 });
      await expectLinks('city', k);
    }
    // the test's own arithmetic on its own teachers: school B has 2 part-time of 4, 1 双师型 of its 2 full-time
    expect(bucket(part.bySchool, String(schoolB))).toMatchObject({ value: 50, count: 2 });
    expect(bucket(dual.bySchool, String(schoolB))).toMatchObject({ value: 50, count: 1 });
    // school A: the deactivated teacher is out of both shares: 1 part-time of 3, 1 双师型 of 2 full-time
    expect(bucket(part.bySchool, String(schoolA))).toMatchObject({ value: 33.3, count: 1 });
    expect(bucket(dual.bySchool, String(schoolA))).toMatchObject({ value: 50, count: 1 });
  });

  it('an admin sees the same; the city may open a county, a school or an enterprise', async () => {
    const city = indicator((await kpis('city')).body, 'practice_person_times');
    expect(indicator((await kpis('admin')).body, 'practice_person_times').value).toBe(city.value);
    await expectLinks('admin', city);
    const b = await kpis('city', `school:${schoolB}`);
    expect(b.status).toBe(200);
    const own = await kpis(SCHOOL_B_ADMIN);
    for (const key of ['practice_person_times', 'part_time_teacher_share', 'double_qualified_share'])
      expect(indicator(b.body, key)).toMatchObject({ value: indicator(own.body, key).value, count: indicator(own.body, key).count });
    expect(indicator((await kpis('city', `enterprise:${e2.organisationId}`)).body, 'practice_person_times').value).toBe(4);
  });
});

describe('实践统计 (the reviewers’ statistics page)', () => {
  it('has the dashboard’s definitions: its totals by county, school, industry and month are the dashboard’s', async () => {
    const k = indicator((await kpis('city')).body, 'practice_person_times');
    const stats = (await call(t, 'city', 'get', '/api/practice-stats')).body as PracticeStatsDto;
    expect(stats.total).toBe(k.value);
    const nonZero = (rows: KpiBucketDto[] | null) => Object.fromEntries(rows!.filter((b) => (b.value ?? 0) > 0).map((b) => [b.key, b.value]));
    const of = (rows: PracticeStatsDto['byCounty']) => Object.fromEntries(rows.map((r) => [r.key, r.n]));
    expect(of(stats.byCounty)).toEqual(nonZero(k.byCounty));
    expect(of(stats.bySchool)).toEqual(nonZero(k.bySchool));
    expect(of(stats.byIndustry)).toEqual(nonZero(k.byIndustry));
    const records = (await rawRecords()).filter((r) => r.counted);
    for (const m of stats.byMonth) expect([m.key, m.n]).toEqual([m.key, records.filter((r) => r.end_date.startsWith(m.key)).length]);
    expect(stats).toMatchObject({ countyCode: null, countyName: null });
    // the shares are the dashboard's: 兼职 among all active teachers, 双师型 among the full-time ones
    const teachers = (await rawTeachers()).filter((x) => x.active);
    const fullTime = teachers.filter((x) => x.employment === 'full_time');
    expect(stats.teachers).toEqual({
      total: teachers.length,
      partTime: teachers.length - fullTime.length,
      fullTime: fullTime.length,
      dualQualified: fullTime.filter((x) => x.dual_qualified).length,
    });
    expect(percent(stats.teachers.dualQualified, stats.teachers.fullTime)).toBe(indicator((await kpis('city')).body, 'double_qualified_share').value);
    // the shares' targets are the plan's, as the dashboard sets them against (20% and 90% as seeded), not text
    const city = (await kpis('city')).body;
    expect(stats.shareTargets).toEqual({
      partTime: indicator(city, 'part_time_teacher_share').target!.value,
      dualQualified: indicator(city, 'double_qualified_share').target!.value,
    });
    expect(stats.shareTargets).toEqual({ partTime: 20, dualQualified: 90 });
  });

  it("a county reviewer's are their county's schools', the same as their dashboard's, not the city's", async () => {
    const res = await call(t, 'county', 'get', '/api/practice-stats');
    expect(res.status).toBe(200);
    const stats = res.body as PracticeStatsDto;
    const dash = (await kpis('county')).body;
    const k = indicator(dash, 'practice_person_times');
    expect(stats).toMatchObject({ countyCode: '330302', countyName: '鹿城区', total: k.value });
    const records = (await rawRecords()).filter((r) => r.counted);
    expect(stats.total).toBe(records.filter((r) => r.county === '330302').length);
    expect(stats.total).toBeLessThan(records.length);
    expect(stats.byCounty.map((r) => r.key)).toEqual(['330302']);
    const nonZero = (rows: KpiBucketDto[] | null) => Object.fromEntries(rows!.filter((b) => (b.value ?? 0) > 0).map((b) => [b.key, b.value]));
    const of = (rows: PracticeStatsDto['byCounty']) => Object.fromEntries(rows.map((r) => [r.key, r.n]));
    expect(of(stats.bySchool)).toEqual(nonZero(k.bySchool));
    expect(Object.keys(of(stats.bySchool))).not.toContain(String(schoolB));
    expect(of(stats.byIndustry)).toEqual(nonZero(k.byIndustry));
    const months = records.filter((r) => r.county === '330302');
    for (const m of stats.byMonth) expect([m.key, m.n]).toEqual([m.key, months.filter((r) => r.end_date.startsWith(m.key)).length]);
    const teachers = (await rawTeachers()).filter((x) => x.county === '330302' && x.active);
    expect(stats.teachers.total).toBe(teachers.length);
    expect(percent(stats.teachers.partTime, stats.teachers.total)).toBe(indicator(dash, 'part_time_teacher_share').value);
    expect(percent(stats.teachers.dualQualified, stats.teachers.fullTime)).toBe(indicator(dash, 'double_qualified_share').value);
    // the city's targets for the shares, until the county has its own
    expect(stats.shareTargets).toEqual({ partTime: 20, dualQualified: 90 });
    const admin = await bearer(t, 'admin');
    const own = await addCountyTarget(t, admin, {
      indicator: 'part_time_teacher_share',
      label: '兼职教师占比',
      unit: '%',
      value: 25,
      seedTask: 44,
      countyCode: '330302',
    });
    expect(own.status).toBe(201);
    // the person-times are measured against the city's target (规划目标 practice_person_times), which an admin changes
    const personTimes = await cityTarget(t, admin, 'practice_person_times');
    expect(stats.target).toBe(personTimes.value);
    const changed = await t.http().put(`/api/targets/${personTimes.id}`).set('Authorization', admin).send({ value: 12000, version: personTimes.version });
    expect(changed.status).toBe(200);
    try {
      const after = (await call(t, 'county', 'get', '/api/practice-stats')).body as PracticeStatsDto;
      expect(after.shareTargets).toEqual({ partTime: 25, dualQualified: 90 });
      expect(after.target).toBe(12000);
    } finally {
      await t.http().put(`/api/targets/${personTimes.id}`).set('Authorization', admin).send({ value: personTimes.value, version: changed.body.version });
      expect((await t.http().delete(`/api/targets/${own.body.id}`).set('Authorization', admin)).status).toBeLessThan(300);
    }
  });
});

describe('a county', () => {
  it('sees its schools’ person-times and teachers, with lists it may open whose totals are the figures', async () => {
    const res = await kpis('county');
    expect(res.status).toBe(200);
    expect(res.body.scope).toMatchObject({ code: 'county:330302' });
    const records = (await rawRecords()).filter((r) => r.county === '330302');
    const k = indicator(res.body, 'practice_person_times');
    expectPersonTimes(k, records, await schoolsIn('330302'));
    expect(k.byCounty).toBeNull();
    await expectLinks('county', k);
    const teachers = (await rawTeachers()).filter((x) => x.county === '330302');
    expect(indicator(res.body, 'part_time_teacher_share')).toMatchObject(partTimeShare(teachers));
    expect(indicator(res.body, 'double_qualified_share')).toMatchObject(dualShare(teachers));
    for (const key of ['part_time_teacher_share', 'double_qualified_share']) {
      const share = key === 'part_time_teacher_share' ? partTimeShare : dualShare;
      const s = indicator(res.body, key);
      for (const id of await schoolsIn('330302')) expect(vc(s.bySchool, id)).toEqual([id, share(teachers.filter((x) => String(x.school_id) === id))]);
      await expectLinks('county', s);
    }
  });

  it('reads the counted records of its county’s schools, not the work in progress nor another county’s', async () => {
    const res = await call(t, 'county', 'get', '/api/practice-records?range=[0,99]');
    expect(res.status).toBe(200);
    const mine = (await rawRecords()).filter((r) => r.counted && r.county === '330302');
    expect(res.body.map((r: { id: number }) => r.id).sort()).toEqual(mine.map((r) => Number(r.id)).sort());
    expect(res.body.every((r: { counted: boolean; schoolCountyCode: string }) => r.counted && r.schoolCountyCode === '330302')).toBe(true);
    const all = await rawRecords();
    const inProgress = all.find((r) => !r.counted && r.county === '330302')!;
    const otherCounty = all.find((r) => r.counted && r.county === '330304')!;
    expect((await call(t, 'county', 'get', `/api/practice-records/${mine[0].id}`)).status).toBe(200);
    expect((await call(t, 'county', 'get', `/api/practice-records/${inProgress.id}`)).status).toBe(404);
    expect((await call(t, 'county', 'get', `/api/practice-records/${otherCounty.id}`)).status).toBe(404);
    // the city reads every counted record, and still no work in progress
    expect((await call(t, 'city', 'get', `/api/practice-records/${otherCounty.id}`)).status).toBe(200);
    expect((await call(t, 'city', 'get', `/api/practice-records/${inProgress.id}`)).status).toBe(404);
    const city = await call(t, 'city', 'get', '/api/practice-records?range=[0,99]');
    expect(city.body.length).toBe(all.filter((r) => r.counted).length);
  });
});

describe('a school and an enterprise', () => {
  it('a school admin sees its own school’s figures and trend, and opens each list with the same total', async () => {
    for (const [admin, school] of [
      ['school', schoolA],
      [SCHOOL_B_ADMIN, schoolB],
    ] as const) {
      const res = await kpis(admin);
      expect(res.status).toBe(200);
      expect(res.body.scope).toMatchObject({ kind: 'school', code: `school:${school}` });
      const k = indicator(res.body, 'practice_person_times');
      expectPersonTimes(
        k,
        (await rawRecords()).filter((r) => r.school_id === school),
        null,
      );
      expect([k.byCounty, k.byIndustry, k.bySchool]).toEqual([null, null, null]);
      await expectLinks(admin, k);
      const teachers = (await rawTeachers()).filter((x) => x.school_id === school);
      expect(indicator(res.body, 'part_time_teacher_share')).toMatchObject(partTimeShare(teachers));
      expect(indicator(res.body, 'double_qualified_share')).toMatchObject(dualShare(teachers));
      await expectLinks(admin, indicator(res.body, 'part_time_teacher_share'));
      await expectLinks(admin, indicator(res.body, 'double_qualified_share'));
    }
  });

  it('an enterprise sees the person-times it hosted (no teacher shares), its list with the same total', async () => {
    for (const [user, org] of [
      ['enterprise', e1],
      [e2, e2.organisationId],
      [e3, e3.organisationId],
    ] as const) {
      const res = await kpis(user);
      expect(res.status).toBe(200);
      const k = indicator(res.body, 'practice_person_times');
      expectPersonTimes(
        k,
        (await rawRecords()).filter((r) => r.host === org),
        null,
      );
      await expectLinks(user, k);
      expect(res.body.indicators.find((i: KpiDto) => i.key === 'part_time_teacher_share')).toBeUndefined();
    }
  });

  it('nobody sees another’s scope: another school, another county, a school from an enterprise (403); a teacher has none', async () => {
    expect((await kpis('school', `school:${schoolB}`)).status).toBe(403);
    expect((await kpis(SCHOOL_B_ADMIN, `school:${schoolA}`)).status).toBe(403);
    expect((await kpis('school', 'county:330302')).status).toBe(403);
    expect((await kpis('county', 'county:330304')).status).toBe(403);
    expect((await kpis('county', `school:${schoolA}`)).status).toBe(403);
    expect((await kpis('enterprise', `school:${schoolA}`)).status).toBe(403);
    expect((await kpis(e2, `enterprise:${e1}`)).status).toBe(403);
    expect((await kpis('teacher')).status).toBe(403);
    // and the lists behind the figures answer only their own rows: school B's admin sees none of school A's records
    const other = await call(
      t,
      SCHOOL_B_ADMIN,
      'get',
      `/api/practice-records?filter=${encodeURIComponent(JSON.stringify({ counted: true, schoolId: schoolA }))}`,
    );
    expect(other.headers['content-range']).toMatch(/\/0$/);
  });
});

describe('a share with nobody to divide by is 暂无数据 (null), not 0 %', () => {
  it('a county and a school without active teachers: both shares null with no progress, even against a target; counts stay numbers', async () => {
    const teachers = await rawTeachers();
    const county = COUNTY_CODES.find((c) => !teachers.some((x) => x.active && x.county === c));
    const school = (await schoolsIn()).find((id) => !teachers.some((x) => x.active && String(x.school_id) === id));
    expect([county, school]).not.toContain(undefined);
    // the county has its own target for the part-time share: a target does not make a progress out of no value
    const admin = await bearer(t, 'admin');
    const target = await t
      .http()
      .post('/api/targets')
      .set('Authorization', admin)
      .send({ indicator: 'part_time_teacher_share', label: '兼职教师占比', unit: '%', value: 20, deadline: '2025-12-31', seedTask: 44, countyCode: county });
    expect(target.status).toBe(201);
    for (const scope of [`county:${county!}`, `school:${school!}`]) {
      const res = await kpis('city', scope);
      expect(res.status).toBe(200);
      for (const key of ['part_time_teacher_share', 'double_qualified_share']) {
        const k = indicator(res.body, key);
        expect([scope, key, k.value, k.count, k.progress]).toEqual([scope, key, null, 0, null]);
        for (const b of k.bySchool ?? []) expect([scope, b.key, b.value, b.count]).toEqual([scope, b.key, null, 0]);
        await expectLinks('city', k);
      }
      // person-times is a count: a number (0 where nothing is counted), never null
      const times = indicator(res.body, 'practice_person_times');
      expect(typeof times.value).toBe('number');
      expect(times.trend!.every((p) => typeof p.value === 'number')).toBe(true);
    }
    expect(indicator((await kpis('city', `county:${county!}`)).body, 'part_time_teacher_share').target).toMatchObject({ value: 20 });
    // and city-wide, a school without teachers is last of the split by school, after every school with a share
    const bySchool = indicator((await kpis('city')).body, 'part_time_teacher_share').bySchool!;
    const firstNull = bySchool.findIndex((b) => b.value === null);
    expect(firstNull).toBeGreaterThan(0);
    expect(bySchool.slice(firstNull).every((b) => b.value === null)).toBe(true);
  });
});

interface RawStatus {
  id: number;
  hours: number;
  awaiting: number;
}
/** the rule's defaults (DOMAIN.md §3; settings practice.requiredMonths × practice.hoursPerMonth, practice.windowYears) */
const REQUIRED_MONTHS = 6;
const REQUIRED_HOURS = 6 * 176;
/** each active teacher of a school with the test's own sums over the raw records: hours counting today, records at 学校审核 */
async function rawStatuses(school: number): Promise<RawStatus[]> {
  const teachers = await t.ds.query<Array<{ id: number }>>(
    `SELECT tp.user_id AS id FROM teacher_profiles tp JOIN users u ON u.id = tp.user_id WHERE tp.school_id = $1 AND u.active`,
    [school],
  );
  const records = await t.ds.query<Array<{ teacher_id: number; end_date: string; hours: number; counted: boolean; state: string }>>(
    `SELECT r.teacher_id, to_char(r.end_date, 'YYYY-MM-DD') AS end_date, r.hours, r.counted, c.state FROM practice_records r JOIN cases c ON c.id = r.case_id`,
  );
  const today = portalToday();
  return teachers.map(({ id }) => {
    const mine = records.filter((r) => r.teacher_id === id);
    return {
      id,
      hours: mine.filter((r) => r.counted && r.end_date <= today && today < addYears(r.end_date, 5)).reduce((a, r) => a + r.hours, 0),
      awaiting: mine.filter((r) => r.state === 'school_approval').length,
    };
  });
}
const teachersOf = (user: string, filter: Record<string, unknown>, range = '[0,99]') =>
  call(t, user, 'get', `/api/teachers?sort=${encodeURIComponent('["hours","ASC"]')}&range=${range}&filter=${encodeURIComponent(JSON.stringify(filter))}`);
const totalOf = (res: { headers: Record<string, string> }) => Number(/\/(\d+)$/.exec(res.headers['content-range'])![1]);

describe('the school admin’s home page: the teachers’ practice status (issue 12)', () => {
  it('every active teacher of the school, furthest behind first, with hours against the rule and records awaiting the school, as the raw rows give them', async () => {
    for (const [admin, school] of [
      ['school', schoolA],
      [SCHOOL_B_ADMIN, schoolB],
    ] as const) {
      const res = await teachersOf(admin, { schoolId: school, active: true });
      expect(res.status).toBe(200);
      const raw = await rawStatuses(school);
      expect(totalOf(res)).toBe(raw.length);
      const expected = [...raw].sort((a, b) => a.hours - b.hours || a.id - b.id);
      expect(res.body.map((r: TeacherDto) => [r.id, r.hours, r.met, r.awaitingSchool, r.requiredHours, r.requiredMonths])).toEqual(
        expected.map((r) => [r.id, r.hours, r.hours >= REQUIRED_HOURS, r.awaiting, REQUIRED_HOURS, REQUIRED_MONTHS]),
      );
      expect(res.body.every((r: TeacherDto) => r.schoolId === school && r.active)).toBe(true);
      // the summary: 达标 x / 共 y, the totals of the same list filtered
      const met = await teachersOf(admin, { schoolId: school, active: true, met: true }, '[0,0]');
      expect(totalOf(met)).toBe(raw.filter((r) => r.hours >= REQUIRED_HOURS).length);
      // the records awaiting the school: the records list at 学校审核 has the same total
      const awaiting = await call(
        t,
        admin,
        'get',
        `/api/practice-records?range=[0,0]&filter=${encodeURIComponent(JSON.stringify({ state: 'school_approval', schoolId: school }))}`,
      );
      expect(totalOf(awaiting)).toBe(raw.reduce((a, r) => a + r.awaiting, 0));
    }
    // what this file built: in school A, the teacher with 1,100 hours meets the rule and comes last; one record awaits school A
    const a = await teachersOf('school', { schoolId: schoolA, active: true });
    expect(a.body.at(-1)).toMatchObject({ met: true, hours: 1100 + 16 });
    expect(a.body.filter((r: TeacherDto) => r.met)).toHaveLength(1);
    expect(a.body.reduce((n: number, r: TeacherDto) => n + r.awaitingSchool, 0)).toBe(1);
    // personal data masked: the phone given at creation never appears
    expect(JSON.stringify(a.body)).not.toContain('13700001111');
    expect(a.body.find((r: TeacherDto) => r.phoneMasked)?.phoneMasked).toMatch(/\*/);
  });

  it('another school’s admin sees none of them: an empty list for that school, 404 for each teacher and ledger', async () => {
    const a = (await teachersOf('school', { schoolId: schoolA, active: true })).body as TeacherDto[];
    expect(a.length).toBeGreaterThan(0);
    const other = await teachersOf(SCHOOL_B_ADMIN, { schoolId: schoolA });
    expect(other.status).toBe(200);
    expect(totalOf(other)).toBe(0);
    const many = await call(t, SCHOOL_B_ADMIN, 'get', `/api/teachers?filter=${encodeURIComponent(JSON.stringify({ id: a.map((x) => x.id) }))}`);
    expect(many.body).toEqual([]);
    for (const x of a) {
      expect((await call(t, SCHOOL_B_ADMIN, 'get', `/api/teachers/${x.id}`)).status).toBe(404);
      expect((await call(t, SCHOOL_B_ADMIN, 'get', `/api/teachers/${x.id}/ledger`)).status).toBe(404);
    }
    // an enterprise reads no teacher at all
    expect(totalOf(await teachersOf('enterprise', { schoolId: schoolA }))).toBe(0);
  });
});

describe('the list filters behind the links', () => {
  it('bad values are a 400 naming the filter, in Chinese', async () => {
    for (const [resource, filter] of [
      ['practice-records', { countyCode: '110101' }],
      ['practice-records', { industry: 'mining' }],
      ['practice-records', { counted: 'yes' }],
      ['practice-records', { schoolId: 'x' }],
      ['teachers', { countyCode: '3303' }],
      ['teachers', { active: 'maybe' }],
      ['teachers', { employment: 'contract' }],
      ['practice-posts', { industry: 'mining' }],
    ] as const) {
      const res = await call(t, 'city', 'get', `/api/${resource}?filter=${encodeURIComponent(JSON.stringify(filter))}`);
      expect([resource, res.status]).toEqual([resource, 400]);
      expect(res.body.message).toContain(Object.keys(filter)[0]);
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('industry `other` is an enterprise without one; countyCode is the school’s county', async () => {
    const records = await rawRecords();
    const other = await call(t, 'city', 'get', `/api/practice-records?range=[0,99]&filter=${encodeURIComponent(JSON.stringify({ industry: 'other' }))}`);
    expect(other.body.map((r: { id: number }) => r.id).sort()).toEqual(
      records
        .filter((r) => r.counted && r.industry === null)
        .map((r) => Number(r.id))
        .sort(),
    );
    const county = await call(
      t,
      'city',
      'get',
      `/api/teachers?range=[0,99]&filter=${encodeURIComponent(JSON.stringify({ countyCode: '330304', active: true }))}`,
    );
    expect(county.body.length).toBe((await rawTeachers()).filter((x) => x.county === '330304' && x.active).length);
    expect(county.body.every((x: { schoolCountyCode: string; active: boolean }) => x.schoolCountyCode === '330304' && x.active)).toBe(true);
  });
});

// last: it changes an enterprise's industry, which the raw counts above read as of today
describe('a host that changes its industry after the practice was counted', () => {
  it('keeps its person-times in the industry they were counted in: the figure, its list and the kept totals agree', async () => {
    const before = indicator((await kpis('city')).body, 'practice_person_times');
    const hosted = (await rawRecords()).filter((r) => r.counted && r.host === e2.organisationId).length;
    expect(hosted).toBeGreaterThan(0);
    const admin = await bearer(t, 'admin');
    expect((await t.http().put(`/api/organisations/${e2.organisationId}`).set('Authorization', admin).send({ industry: 'electrical' })).status).toBe(200);

    const after = indicator((await kpis('city')).body, 'practice_person_times');
    expect(after.byIndustry).toEqual(before.byIndustry);
    expect(bucket(after.byIndustry, 'new_materials').value).toBeGreaterThanOrEqual(hosted);
    await expectLinks('city', after);

    // a record counted now is in the host's industry of today
    const teacher = await newTeacher(t, 'school');
    await countedRecord(t, teacher.username, { hostOrgId: e2.organisationId, ...ended(20) }, { host: e2, school: 'school' });
    const now = indicator((await kpis('city')).body, 'practice_person_times');
    expect(bucket(now.byIndustry, 'electrical').value).toBe(bucket(before.byIndustry, 'electrical').value! + 1);
    expect(now.value).toBe(before.value! + 1);
    await expectLinks('city', now);

    // the kept totals are the counted records by school and month of the end date, and by school and industry
    const kept = await t.ds.query(`SELECT school_id, to_char(end_month, 'YYYY-MM') AS month, n FROM practice_person_times ORDER BY 1, 2`);
    const recount = await t.ds.query(
      `SELECT school_id, to_char(end_date, 'YYYY-MM') AS month, count(*)::int AS n FROM practice_records WHERE counted GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(kept).toEqual(recount);
    const keptByIndustry = await t.ds.query(`SELECT school_id, industry, n FROM practice_industry_person_times ORDER BY 1, 2`);
    const recountByIndustry = await t.ds.query(
      `SELECT school_id, counted_industry AS industry, count(*)::int AS n FROM practice_records WHERE counted GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(keptByIndustry).toEqual(recountByIndustry);
  });
});

describe('the teachers counted per school (teacher_counts, kept by the database)', () => {
  /** The kept counts against the same counts taken from the profiles of active users. */
  async function expectKeptEqualsRecount() {
    const kept = await t.ds.query(`SELECT school_id, total, part_time, full_time, dual FROM teacher_counts WHERE total > 0 ORDER BY 1`);
    const recount = await t.ds.query(
      `SELECT tp.school_id, count(*)::int AS total, count(*) FILTER (WHERE tp.employment = 'part_time')::int AS part_time,
              count(*) FILTER (WHERE tp.employment = 'full_time')::int AS full_time,
              count(*) FILTER (WHERE tp.employment = 'full_time' AND tp.dual_qualified)::int AS dual
         FROM teacher_profiles tp JOIN users u ON u.id = tp.user_id WHERE u.active GROUP BY 1 ORDER BY 1`,
    );
    expect(kept).toEqual(recount);
  }

  it('follow every write of a profile and of a user’s active flag, through the API and straight to the tables', async () => {
    await expectKeptEqualsRecount();
    const school = await bearer(t, 'school');
    const admin = await bearer(t, 'admin');
    const teacher = await newTeacher(t, 'school');
    await expectKeptEqualsRecount();
    for (const change of [
      { dualQualified: true, dualQualifiedOn: daysAgo(30) },
      { employment: 'part_time', dualQualified: false },
      { employment: 'full_time' },
    ]) {
      const res = await t.http().put(`/api/teachers/${teacher.id}`).set('Authorization', school).send(change);
      expect([change, res.status]).toEqual([change, 200]);
      await expectKeptEqualsRecount();
    }
    for (const active of [false, true, false]) {
      expect((await t.http().put(`/api/users/${teacher.id}`).set('Authorization', admin).send({ active })).status).toBe(200);
      await expectKeptEqualsRecount();
    }
    // a profile edited while its user is deactivated stays out, and comes back as it now is
    await t.ds.query(`UPDATE teacher_profiles SET employment = 'part_time' WHERE user_id = $1`, [teacher.id]);
    await expectKeptEqualsRecount();
    await t.ds.query(`UPDATE users SET active = true WHERE id = $1`, [teacher.id]);
    await expectKeptEqualsRecount();
    // concurrent writes to one school's teachers lose none
    await Promise.all(Array.from({ length: 6 }, () => newTeacher(t, 'school', { employment: 'part_time' })));
    await expectKeptEqualsRecount();
  });
});
