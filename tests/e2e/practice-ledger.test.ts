import { startTestApp, type TestApp } from '@portal/testing';
import { setSetting } from '../support/certification.js';
import { organisationOf } from '../support/people.js';
import { actOn, call, countedRecord, daysAgo, ledger, logRecord, newTeacher } from '../support/practice.js';

/**
 * The 5-year rule at its edges, over HTTP (issue 11; DOMAIN.md §3: a counted record with end date e and h hours
 * counts on every d with e ≤ d < e + 5 years, 29 February + 5 years = 28 February; months = h / 176; met at
 * 6 months), then a property test: random record sets against an independent day-by-day reading of the rule
 * written here, not the feature's.
 */

let t: TestApp;
let host: number;

beforeAll(async () => {
  t = await startTestApp();
  host = await organisationOf(t, 'enterprise');
});
afterAll(() => t.close());

// ---- an independent implementation of the rule: calendar arithmetic by hand, one day at a time ----
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y: number, m: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function nextDay(d: string): string {
  let [y, m, dd] = d.split('-').map(Number);
  dd += 1;
  if (dd > monthDays(y, m)) {
    dd = 1;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return `${pad(y, 4)}-${pad(m)}-${pad(dd)}`;
}
function prevDay(d: string): string {
  let [y, m, dd] = d.split('-').map(Number);
  dd -= 1;
  if (dd < 1) {
    m -= 1;
    if (m < 1) {
      m = 12;
      y -= 1;
    }
    dd = monthDays(y, m);
  }
  return `${pad(y, 4)}-${pad(m)}-${pad(dd)}`;
}
/** e + 5 years: the same month and day five years on, 28 February when 29 February does not exist. */
function plusFiveYears(e: string): string {
  const [y, m, d] = e.split('-').map(Number);
  return `${pad(y + 5, 4)}-${pad(m)}-${pad(Math.min(d, monthDays(y + 5, m)))}`;
}
interface Rec {
  end: string;
  hours: number;
}
const totalOn = (recs: Rec[], d: string) => recs.filter((r) => r.end <= d && d < plusFiveYears(r.end)).reduce((a, r) => a + r.hours, 0);
/**
 * Day by day: the hours on asOf, met, and the last day of the unbroken run of met days starting at asOf; `need`
 * the hours that meet the rule (6 months of 176 hours by default).
 */
function reference(recs: Rec[], asOf: string, need = 1056): { hours: number; met: boolean; lastMetDate: string | null } {
  const hours = totalOn(recs, asOf);
  if (hours < need) return { hours, met: false, lastMetDate: null };
  let d = asOf;
  while (totalOn(recs, d) >= need) d = nextDay(d);
  return { hours, met: true, lastMetDate: prevDay(d) };
}
/** The same day n months on (the month's last day when it has fewer days), by hand. */
function plusMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const months = y * 12 + (m - 1) + n;
  const [yy, mm] = [Math.floor(months / 12), (months % 12) + 1];
  return `${pad(yy, 4)}-${pad(mm)}-${pad(Math.min(d, monthDays(yy, mm)))}`;
}
/** e − 5 years: the day whose fifth anniversary is e (by trying the days around it, so no inverse rule is assumed). */
function fiveYearsBefore(e: string): string {
  let d = `${pad(Number(e.slice(0, 4)) - 5, 4)}-${e.slice(5, 7)}-01`;
  while (plusFiveYears(d) < e) d = nextDay(d);
  return d;
}
/** Met today and, with the records known today, no longer met on some day up to today + warnMonths. */
function referenceAtRisk(recs: Rec[], today: string, warnMonths: number, need: number): boolean {
  const r = reference(recs, today, need);
  return r.met && r.lastMetDate !== null && r.lastMetDate < plusMonths(today, warnMonths);
}

/** A small seeded PRNG (mulberry32): the same cases on every run, and the seed in the failure message. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the ledger at the rule’s edges', () => {
  it('exactly 6 months (1056 hours) meets the rule; one hour short does not', async () => {
    const a = await newTeacher(t);
    const end = daysAgo(60);
    await countedRecord(t, a.username, { hostOrgId: host, startDate: daysAgo(200), endDate: end, hours: 1056 });
    const la = await ledger(t, a.username, a.id);
    expect(la).toMatchObject({ hours: 1056, months: 6, met: true, lastMetDate: prevDay(plusFiveYears(end)) });

    const b = await newTeacher(t);
    await countedRecord(t, b.username, { hostOrgId: host, startDate: daysAgo(200), endDate: end, hours: 1056 });
    // the same hours, but the mentor confirms one hour fewer
    const c = await newTeacher(t);
    await countedRecord(t, c.username, { hostOrgId: host, startDate: daysAgo(200), endDate: end, hours: 1056 }, { confirmHours: 1055 });
    expect(await ledger(t, c.username, c.id)).toMatchObject({ hours: 1055, months: 5.99, met: false, lastMetDate: null });
    // the school's lists: met, and not met
    const met = await call(t, 'school', 'get', `/api/teachers?filter=${encodeURIComponent(JSON.stringify({ id: [a.id, b.id, c.id], met: true }))}`);
    expect(met.body.map((x: { id: number }) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect(met.headers['content-range']).toBe('teachers 0-1/2');
  });

  it('a record leaves the window on its fifth anniversary; 29 February ends leave on 28 February', async () => {
    const a = await newTeacher(t);
    await countedRecord(t, a.username, { hostOrgId: host, startDate: '2021-01-04', endDate: '2021-06-30', hours: 1100 });
    expect(await ledger(t, a.username, a.id, '2021-06-29')).toMatchObject({ hours: 0, met: false });
    expect(await ledger(t, a.username, a.id, '2021-06-30')).toMatchObject({ hours: 1100, met: true, lastMetDate: '2026-06-29' });
    expect(await ledger(t, a.username, a.id, '2026-06-29')).toMatchObject({ hours: 1100, met: true, lastMetDate: '2026-06-29' });
    expect(await ledger(t, a.username, a.id, '2026-06-30')).toMatchObject({ hours: 0, met: false, lastMetDate: null });

    const leapDay = await newTeacher(t);
    await countedRecord(t, leapDay.username, { hostOrgId: host, startDate: '2024-01-02', endDate: '2024-02-29', hours: 400 });
    await countedRecord(t, leapDay.username, { hostOrgId: host, startDate: '2024-03-01', endDate: '2024-06-28', hours: 700 });
    expect(await ledger(t, leapDay.username, leapDay.id, '2024-06-28')).toMatchObject({ hours: 1100, met: true, lastMetDate: '2029-02-27' });
    expect(await ledger(t, leapDay.username, leapDay.id, '2029-02-27')).toMatchObject({ hours: 1100, met: true });
    expect(await ledger(t, leapDay.username, leapDay.id, '2029-02-28')).toMatchObject({ hours: 700, met: false });
  });

  it('windows across years: records ending in different years add up while they overlap in the window', async () => {
    const a = await newTeacher(t);
    await countedRecord(t, a.username, { hostOrgId: host, startDate: '2019-11-01', endDate: '2019-12-31', hours: 400 });
    await countedRecord(t, a.username, { hostOrgId: host, startDate: '2021-01-01', endDate: '2021-03-31', hours: 400 });
    await countedRecord(t, a.username, { hostOrgId: host, startDate: '2023-07-01', endDate: '2023-08-31', hours: 300 });
    // all three count from 2023-08-31 until the first leaves on 2024-12-31
    expect(await ledger(t, a.username, a.id, '2023-08-30')).toMatchObject({ hours: 800, met: false });
    expect(await ledger(t, a.username, a.id, '2023-08-31')).toMatchObject({ hours: 1100, met: true, lastMetDate: '2024-12-30' });
    expect(await ledger(t, a.username, a.id, '2024-12-31')).toMatchObject({ hours: 700, met: false });
    // as of an earlier date, the records that end later are known today and extend nothing while it is not met
    expect(await ledger(t, a.username, a.id, '2020-06-01')).toMatchObject({ hours: 400, met: false, lastMetDate: null });
  });

  it('refuses a record overlapping another live record of the teacher, naming it; a withdrawn one frees its period', async () => {
    const a = await newTeacher(t);
    const first = await logRecord(t, a.username, { hostOrgId: host, startDate: daysAgo(30), endDate: daysAgo(20), hours: 80 });
    expect(first.status).toBe(201);
    const clash = await logRecord(t, a.username, { hostOrgId: host, startDate: daysAgo(20), endDate: daysAgo(10), hours: 80 });
    expect(clash.status).toBe(409);
    // named by its host and dates (its id is shown nowhere), to the teacher as "本人"
    const [{ name: hostName }] = await t.ds.query(`SELECT name FROM organisations WHERE id = $1`, [host]);
    expect(clash.body.message).toBe(`实践时间与本人在${hostName}的实践记录（${daysAgo(30)} 至 ${daysAgo(20)}）重叠，同一时间段只能登记一条记录`);
    expect(clash.body.details).toMatchObject({ conflictingRecordId: first.body.id });
    // the day after is free; and another teacher may practise in the same period
    expect((await logRecord(t, a.username, { hostOrgId: host, startDate: daysAgo(19), endDate: daysAgo(10), hours: 80 })).status).toBe(201);
    const b = await newTeacher(t);
    expect((await logRecord(t, b.username, { hostOrgId: host, startDate: daysAgo(30), endDate: daysAgo(20), hours: 80 })).status).toBe(201);
    // withdrawn: the period is free again
    expect((await actOn(t, a.username, first.body.id, { action: 'withdraw' })).status).toBe(200);
    expect((await logRecord(t, a.username, { hostOrgId: host, startDate: daysAgo(25), endDate: daysAgo(21), hours: 40 })).status).toBe(201);
    // concurrently: of two overlapping records sent at once, exactly one is kept
    const c = await newTeacher(t);
    await t.token(c.username);
    const both = await Promise.all([
      logRecord(t, c.username, { hostOrgId: host, startDate: daysAgo(50), endDate: daysAgo(40), hours: 80 }),
      logRecord(t, c.username, { hostOrgId: host, startDate: daysAgo(45), endDate: daysAgo(35), hours: 80 }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM practice_records WHERE teacher_id = $1`, [c.id]);
    expect(n).toBe(1);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const a = await newTeacher(t);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ startDate: daysAgo(5), endDate: daysAgo(-1), hours: 8 }, 'endDate'],
      [{ startDate: daysAgo(5), endDate: daysAgo(6), hours: 8 }, 'endDate'],
      [{ startDate: '2025-02-30', endDate: daysAgo(1), hours: 8 }, 'startDate'],
      [{ startDate: daysAgo(2), endDate: daysAgo(1), hours: 17 }, 'hours'],
      [{ startDate: daysAgo(2), endDate: daysAgo(1), hours: 0 }, 'hours'],
      [{ startDate: daysAgo(2), endDate: daysAgo(1), hours: 8, form: 'holiday' }, 'form'],
      [{ startDate: daysAgo(2), endDate: daysAgo(1), hours: 8, hostOrgId: 999999 }, 'hostOrgId'],
      [{ startDate: daysAgo(2), endDate: daysAgo(1), hours: 8, hostOrgId: undefined }, 'hostOrgId'],
    ];
    for (const [body, fieldName] of cases) {
      const res = await logRecord(t, a.username, { hostOrgId: host, ...body } as never);
      expect([res.status, res.body.details?.[0]?.field]).toEqual([400, fieldName]);
    }
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM practice_records WHERE teacher_id = $1`, [a.id]);
    expect(n).toBe(0);
    expect((await call(t, a.username, 'get', `/api/teachers/${a.id}/ledger?asOf=2025-13-01`)).status).toBe(400);
  });

  it('refuses bad teachers, posts and list filters naming the field, and writes nothing', async () => {
    const before = (await t.ds.query(`SELECT (SELECT count(*) FROM teacher_profiles)::int AS t, (SELECT count(*) FROM practice_posts)::int AS p`))[0];
    const teacher = { username: 'pl_bad', displayName: '某老师', password: 'Teach1234x', major: '电气', employment: 'full_time' };
    const badTeachers: Array<[Record<string, unknown>, string]> = [
      [{ ...teacher, employment: 'contract' }, 'employment'],
      [{ ...teacher, major: '' }, 'major'],
      [{ ...teacher, dualQualified: true }, 'dualQualifiedOn'],
      [{ ...teacher, dualQualified: true, dualQualifiedOn: daysAgo(-5) }, 'dualQualifiedOn'],
      [{ ...teacher, username: 'x' }, 'username'],
      [{ ...teacher, password: 'short' }, 'password'],
      [{ ...teacher, roles: ['admin'] }, 'roles'],
    ];
    for (const [body, fieldName] of badTeachers) {
      const res = await call(t, 'school', 'post', '/api/teachers', body);
      expect([fieldName, res.status, res.body.details?.[0]?.field]).toEqual([fieldName, 400, fieldName]);
    }
    // the profile's and the account's problems come back together, each naming its field (not one per attempt)
    const both = await call(t, 'school', 'post', '/api/teachers', { ...teacher, dualQualified: true, password: 'short' });
    expect(both.status).toBe(400);
    expect(both.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['dualQualifiedOn', 'password']);
    expect(both.body.message).toContain('双师型');
    expect(both.body.message).toContain('密码');
    const post = { title: '岗位', major: '电气', openings: 2, startDate: daysAgo(-1), endDate: daysAgo(-10), content: '内容', mentorName: '导师' };
    const badPosts: Array<[Record<string, unknown>, string]> = [
      [{ ...post, openings: 0 }, 'openings'],
      [{ ...post, endDate: daysAgo(5) }, 'endDate'],
      [{ ...post, startDate: '2026-02-30' }, 'startDate'],
      [{ ...post, mentorUserId: 1 }, 'mentorUserId'],
    ];
    for (const [body, fieldName] of badPosts) {
      const res = await call(t, 'enterprise', 'post', '/api/practice-posts', body);
      expect([fieldName, res.status, res.body.details?.[0]?.field]).toEqual([fieldName, 400, fieldName]);
    }
    for (const [path, fieldName] of [
      ['/api/teachers?filter={"met":"maybe"}', 'filter.met'],
      ['/api/practice-posts?filter={"countyCode":"110101"}', 'filter.countyCode'],
      ['/api/practice-posts?filter={"from":"2026-13-01"}', 'filter.from'],
      ['/api/practice-records?filter={"state":"nowhere"}', 'filter.state'],
      ['/api/practice-records?filter={"id":[-1]}', 'filter.id'],
      ['/api/practice-applications?filter={"state":"lost"}', 'filter.state'],
    ] as const) {
      const res = await call(t, 'school', 'get', path);
      expect([path, res.status, res.body.details?.[0]?.field]).toEqual([path, 400, fieldName]);
    }
    const after = (await t.ds.query(`SELECT (SELECT count(*) FROM teacher_profiles)::int AS t, (SELECT count(*) FROM practice_posts)::int AS p`))[0];
    expect(after).toEqual(before);
  });

  it('a record returned, corrected and resubmitted is confirmed again by the host and counts its corrected hours', async () => {
    const a = await newTeacher(t);
    const rec = await logRecord(t, a.username, { hostOrgId: host, startDate: daysAgo(40), endDate: daysAgo(31), hours: 80 });
    const id = rec.body.id as number;
    await actOn(t, a.username, id, { action: 'submit' });
    expect((await actOn(t, 'enterprise', id, { action: 'confirm', data: { hours: 80 } })).body.case.state).toBe('school_approval');
    const returned = await actOn(t, 'school', id, { action: 'return', items: ['实践内容请写明具体岗位', '学时请按实际出勤填写'] });
    expect(returned.body.case).toMatchObject({ state: 'returned', openReturn: { items: ['实践内容请写明具体岗位', '学时请按实际出勤填写'] } });
    // nobody but the teacher corrects it; the teacher does, from the version they saw
    const current = (await call(t, a.username, 'get', `/api/practice-records/${id}`)).body;
    const fix = {
      hostOrgId: host,
      startDate: daysAgo(40),
      endDate: daysAgo(31),
      hours: 72,
      form: 'post',
      content: '装配车间电气调试岗：参与调试与工艺文件编写。',
      dataVersion: current.dataVersion,
    };
    expect((await call(t, 'school', 'put', `/api/practice-records/${id}`, fix)).status).toBe(403);
    const saved = await call(t, a.username, 'put', `/api/practice-records/${id}`, fix);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ hours: 72, claimedHours: 72, dataVersion: current.dataVersion + 1 });
    expect((await call(t, a.username, 'put', `/api/practice-records/${id}`, fix)).status).toBe(409);
    // resubmitted: back to the host (not straight to the school), then the school
    expect((await actOn(t, a.username, id, { action: 'resubmit' })).body.case.state).toBe('host_confirm');
    expect((await actOn(t, 'enterprise', id, { action: 'confirm', data: { hours: 72 } })).body.case.state).toBe('school_approval');
    expect((await actOn(t, 'school', id, { action: 'approve' })).body).toMatchObject({ counted: true, hours: 72 });
    expect(await ledger(t, a.username, a.id)).toMatchObject({ hours: 72, met: false });
    // and once counted it cannot be edited
    const final = (await call(t, a.username, 'get', `/api/practice-records/${id}`)).body;
    expect((await call(t, a.username, 'put', `/api/practice-records/${id}`, { ...fix, dataVersion: final.dataVersion })).status).toBe(409);
  });

  it('the school’s list of teachers falling below within practice.warnMonths: a record leaving on the horizon is in it, one leaving the day after is not', async () => {
    const schoolId = await organisationOf(t, 'school');
    const [{ id: creator }] = await t.ds.query(`SELECT id FROM users WHERE username = 'school'`);
    const today = daysAgo(0);
    const write = async (teacherId: number, r: Rec) =>
      t.ds.query(
        `WITH c AS (INSERT INTO cases (workflow_key, state, owner_org_id, title, created_by, owner_user_id, submissions, decided_at)
                    VALUES ('practice-record', 'counted', $1, '预警测试', $2, $3, 1, now()) RETURNING id)
         INSERT INTO practice_records (case_id, teacher_id, school_id, start_date, end_date, hours, claimed_hours, form, content, counted, counted_on, counted_industry, created_by)
         SELECT id, $3, $1, $4, $4, $5, $5, 'post', '预警测试', true, $4, 'other', $2 FROM c`,
        [schoolId, creator, teacherId, r.end, r.hours],
      );
    const atRiskIds = async (ids: number[]): Promise<number[]> => {
      const res = await call(t, 'school', 'get', `/api/teachers?filter=${encodeURIComponent(JSON.stringify({ id: ids, atRisk: true }))}`);
      expect(res.status).toBe(200);
      return res.body.map((x: { id: number }) => x.id).sort((a: number, b: number) => a - b);
    };
    const notAtRiskIds = async (ids: number[]): Promise<number[]> => {
      const res = await call(t, 'school', 'get', `/api/teachers?filter=${encodeURIComponent(JSON.stringify({ id: ids, atRisk: false }))}`);
      return res.body.map((x: { id: number }) => x.id).sort((a: number, b: number) => a - b);
    };
    const check = async (warnMonths: number, requiredMonths: number) => {
      const need = requiredMonths * 176;
      const horizon = plusMonths(today, warnMonths);
      // one record each, just enough hours; it leaves the window on (inside) or the day after (outside) the horizon,
      // tomorrow (inside), or it is one hour short today (not met, so not at risk either)
      const cases: Array<{ name: string; recs: Rec[] }> = [
        { name: 'leaves on the horizon', recs: [{ end: fiveYearsBefore(horizon), hours: need }] },
        { name: 'leaves the day after the horizon', recs: [{ end: fiveYearsBefore(nextDay(horizon)), hours: need }] },
        { name: 'leaves tomorrow', recs: [{ end: fiveYearsBefore(nextDay(today)), hours: need }] },
        { name: 'one hour short', recs: [{ end: fiveYearsBefore(horizon), hours: need - 1 }] },
        // two records: the older leaves inside the horizon but the newer alone still meets the rule
        {
          name: 'covered by a newer record',
          recs: [
            { end: fiveYearsBefore(prevDay(horizon)), hours: need },
            { end: daysAgo(30), hours: need },
          ],
        },
      ];
      const teachers: Array<{ id: number; name: string; want: boolean }> = [];
      for (const c of cases) {
        const teacher = await newTeacher(t);
        for (const r of c.recs) await write(teacher.id, r);
        teachers.push({ id: teacher.id, name: c.name, want: referenceAtRisk(c.recs, today, warnMonths, need) });
      }
      // the reference itself draws the line where the cases say (so the comparison below is not vacuous)
      expect(teachers.map((x) => [x.name, x.want])).toEqual([
        ['leaves on the horizon', true],
        ['leaves the day after the horizon', false],
        ['leaves tomorrow', true],
        ['one hour short', false],
        ['covered by a newer record', false],
      ]);
      const ids = teachers.map((x) => x.id);
      const want = teachers.filter((x) => x.want).map((x) => x.id);
      expect({ warnMonths, requiredMonths, atRisk: await atRiskIds(ids) }).toEqual({ warnMonths, requiredMonths, atRisk: want });
      expect(await notAtRiskIds(ids)).toEqual(ids.filter((id) => !want.includes(id)));
      // each row says the same, and carries the warning window its label names
      const rows = (await call(t, 'school', 'get', `/api/teachers?filter=${encodeURIComponent(JSON.stringify({ id: ids }))}`)).body;
      expect(rows.map((x: { id: number; atRisk: boolean; warnMonths: number }) => [x.id, x.atRisk, x.warnMonths])).toEqual(
        teachers.map((x) => [x.id, x.want, warnMonths]),
      );
    };
    await check(12, 6);
    try {
      await setSetting(t, 'practice.warnMonths', 3);
      await setSetting(t, 'practice.requiredMonths', 4);
      await check(3, 4);
    } finally {
      await setSetting(t, 'practice.warnMonths', 12);
      await setSetting(t, 'practice.requiredMonths', 6);
    }
  });

  it('property: random record sets agree with a day-by-day reading of the rule', async () => {
    const seed = Number(process.env.PRACTICE_SEED ?? 20261129);
    const rnd = prng(seed);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const seen = { met: 0, unmet: 0 };
    const schoolId = await organisationOf(t, 'school');
    const [{ id: creator }] = await t.ds.query(`SELECT id FROM users WHERE username = 'school'`);
    for (let k = 0; k < 24; k++) {
      const teacher = await newTeacher(t);
      // non-overlapping periods, moving forward from 2016 with random gaps; leap days often
      const recs: Rec[] = [];
      let day = `${int(2016, 2019)}-${pad(int(1, 12))}-${pad(int(1, 28))}`;
      const count = int(0, 7);
      for (let i = 0; i < count; i++) {
        for (let g = int(1, 400); g > 0; g--) day = nextDay(day);
        const start = day;
        for (let g = int(0, 120); g > 0; g--) day = nextDay(day);
        // sometimes end exactly on a 29 February
        if (rnd() < 0.2 && leap(Number(day.slice(0, 4))) && day.slice(5) < '02-29') day = `${day.slice(0, 4)}-02-29`;
        if (day > daysAgo(1)) break;
        recs.push({ end: day, hours: int(1, 700) });
        // written straight to the tables (a counted case each): the rule under test is the ledger's reading
        await t.ds.query(
          `WITH c AS (INSERT INTO cases (workflow_key, state, owner_org_id, title, created_by, owner_user_id, submissions, decided_at)
                      VALUES ('practice-record', 'counted', $1, '性质测试', $2, $3, 1, now()) RETURNING id)
           INSERT INTO practice_records (case_id, teacher_id, school_id, start_date, end_date, hours, claimed_hours, form, content, counted, counted_on, counted_industry, created_by)
           SELECT id, $3, $1, $4, $5, $6, $6, 'post', '性质测试', true, $5, 'other', $2 FROM c`,
          [schoolId, creator, teacher.id, start, day, recs[recs.length - 1].hours],
        );
      }
      const probes = [
        ...recs.flatMap((r) => [r.end, prevDay(r.end), plusFiveYears(r.end), prevDay(plusFiveYears(r.end))]),
        `${int(2016, 2030)}-${pad(int(1, 12))}-${pad(int(1, 28))}`,
      ];
      for (const asOf of probes.filter(() => rnd() < 0.6).slice(0, 6)) {
        const got = await ledger(t, teacher.username, teacher.id, asOf);
        const want = reference(recs, asOf);
        expect({ seed, k, asOf, hours: got.hours, met: got.met, lastMetDate: got.lastMetDate }).toEqual({ seed, k, asOf, ...want });
        expect(got.months).toBe(Math.floor((want.hours / 176) * 100) / 100);
        seen[want.met ? 'met' : 'unmet'] += 1;
      }
    }
    // the random sets reach both sides of the rule
    expect(seen.met).toBeGreaterThan(5);
    expect(seen.unmet).toBeGreaterThan(5);
  }, 120_000);
});
