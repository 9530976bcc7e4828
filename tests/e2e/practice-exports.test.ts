import { maskPhone } from '@portal/contracts';
import { startTestApp, type TestApp } from '@portal/testing';
import ExcelJS from 'exceljs';
import { setSetting } from '../support/certification.js';
import { createUser, organisationId, organisationOf } from '../support/people.js';
import { actOn, bearer, call, countedRecord, daysAgo, logRecord, newTeacher, type Login } from '../support/practice.js';
import { readXlsx } from '../support/spreadsheets.js';

/**
 * The practice lists export to .xlsx (issue 12, exports of every list): practice records, teachers, posts and
 * applications, each through its own list (the same filters, sort and authorization), Chinese headers, the
 * teachers' phones masked, and text a spreadsheet would run as a formula written as text.
 */
let t: TestApp;
const EVIL = '=HYPERLINK("http://evil.test","点我")';
const PHONE = '13912345678';
let evil: { id: number; username: string };
let other: { id: number; username: string };
let host: number;
let post: number;

beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  host = await organisationOf(t, 'enterprise');
  await createUser(t, { username: 'px_school2', roles: ['school_admin'], organisationId: await organisationId(t, 'school', '温州职业技术学院') });
  // a teacher whose name a spreadsheet would run as a formula, with a phone; a part-time one; one of another school
  evil = await newTeacher(t, 'school', { displayName: EVIL, phone: PHONE, dualQualified: true, dualQualifiedOn: '2024-03-01' });
  other = await newTeacher(t, 'school', { employment: 'part_time', phone: '13800138000' });
  await newTeacher(t, 'px_school2', { phone: '13700137000' });
  await countedRecord(t, evil.username, { hostOrgId: host, startDate: daysAgo(40), endDate: daysAgo(36), hours: 30, content: '+SUM(A1) 工艺改进' });
  await countedRecord(t, other.username, { hostOrgId: host, startDate: daysAgo(20), endDate: daysAgo(16), hours: 20 });
  const draft = await logRecord(t, evil.username, { hostOrgId: host, startDate: daysAgo(10), endDate: daysAgo(8), hours: 12 });
  expect(draft.status).toBe(201);
  const created = await call(t, 'enterprise', 'post', '/api/practice-posts', {
    title: '@岗位 电气装配',
    major: '电气自动化技术',
    openings: 3,
    startDate: daysAgo(-10),
    endDate: daysAgo(-40),
    content: '-参与装配线工艺改进',
    mentorName: '李师傅',
  });
  expect(created.status).toBe(201);
  post = created.body.id;
  for (const who of [evil.username, other.username]) expect((await call(t, who, 'post', '/api/practice-applications', { postId: post })).status).toBe(201);
  const [first] = (await call(t, 'school', 'get', '/api/practice-applications')).body as Array<{ id: number }>;
  expect((await call(t, 'school', 'post', `/api/practice-applications/${first.id}/actions`, { action: 'school_approve' })).status).toBe(200);
  expect((await actOn(t, evil.username, draft.body.id, { action: 'submit' })).status).toBe(200);
}, 60_000);
afterAll(() => t.close());

const q = (filter: Record<string, unknown>, sort?: [string, string]) =>
  `filter=${encodeURIComponent(JSON.stringify(filter))}${sort ? `&sort=${encodeURIComponent(JSON.stringify(sort))}` : ''}`;

async function exportAs(user: string | Login, resource: string, query = '') {
  return t
    .http()
    .get(`/api/${resource}/export${query ? `?${query}` : ''}`)
    .set('Authorization', await bearer(t, user))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

async function listIds(user: string | Login, resource: string, query = ''): Promise<number[]> {
  const res = await t
    .http()
    .get(`/api/${resource}?range=[0,999]${query ? `&${query}` : ''}`)
    .set('Authorization', await bearer(t, user));
  expect(res.status).toBe(200);
  return res.body.map((r: { id: number }) => r.id);
}

/** The file opens with exceljs: Chinese headers, the id first, then exactly the list's rows in its order; no formula cell. */
async function expectSameRows(user: string | Login, resource: string, query = '') {
  const res = await exportAs(user, resource, query);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''.+\.xlsx/);
  const bytes = res.body as Buffer;
  const rows = await readXlsx(bytes);
  expect(rows[0][0]).toBe('编号');
  expect(rows[0].every((h) => /[\u4e00-\u9fff]/.test(h))).toBe(true);
  expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(await listIds(user, resource, query));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  let formulas = 0;
  workbook.worksheets[0].eachRow((row) => row.eachCell((cell) => void (cell.type === ExcelJS.ValueType.Formula && (formulas += 1))));
  expect(formulas).toBe(0);
  return rows;
}

const column = (rows: string[][], header: string) => {
  const i = rows[0].indexOf(header);
  expect(i).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((r) => r[i]);
};

describe('every practice list exports its filtered rows', () => {
  it.each<[string, string, Record<string, unknown>, [string, string] | null]>([
    ['practice-records', 'school', {}, null],
    ['practice-records', 'school', { counted: true }, ['endDate', 'ASC']],
    ['practice-records', 'enterprise', { state: ['host_confirm'] }, null],
    ['practice-records', 'city', { counted: true, countyCode: '330302', industry: 'electrical' }, null],
    ['teachers', 'school', {}, ['displayName', 'DESC']],
    ['teachers', 'city', { employment: 'part_time', active: true }, null],
    ['teachers', 'county', { countyCode: '330302' }, null],
    ['practice-posts', 'teacher', { major: '电气自动化技术' }, null],
    ['practice-posts', 'enterprise', { available: true }, null],
    ['practice-applications', 'school', { state: 'applied' }, null],
    ['practice-applications', 'enterprise', {}, null],
  ])('%s as %s, filter %j, sort %j', async (resource, user, filter, sort) => {
    const rows = await expectSameRows(user, resource, q(filter, sort ?? undefined));
    expect(rows.length).toBeGreaterThan(1);
  });

  it('holds only the filtered rows: a filter narrows the file as it narrows the list', async () => {
    const all = await expectSameRows('school', 'practice-records');
    const counted = await expectSameRows('school', 'practice-records', q({ counted: true }));
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM practice_records WHERE school_id = $1 AND counted`, [await organisationOf(t, 'school')]);
    expect(counted.length - 1).toBe(n);
    expect(all.length).toBeGreaterThan(counted.length);
    expect(column(counted, '阶段').every((s) => s === '已认定')).toBe(true);
    const partTime = await expectSameRows('school', 'teachers', q({ employment: 'part_time' }));
    expect(column(partTime, '任职类型')).toEqual(['兼职']);
    const applied = await expectSameRows('school', 'practice-applications', q({ state: 'applied' }));
    expect(column(applied, '状态')).toEqual(['待学校审批']);
  });

  it('the same authorization as the list: a teacher exports only their own records, a school only its teachers; nobody signed out', async () => {
    const own = await expectSameRows(other.username, 'practice-records');
    expect(own.length - 1).toBe(1);
    const school2 = await expectSameRows('px_school2', 'teachers');
    expect(school2.length - 1).toBe(1);
    expect(column(school2, '学校')).toEqual(['温州职业技术学院']);
    // the county reviewer reads counted records only (no work in progress)
    const county = await expectSameRows('county', 'practice-records');
    expect(column(county, '阶段').every((s) => s === '已认定')).toBe(true);
    expect((await t.http().get('/api/practice-records/export')).status).toBe(401);
    expect((await t.http().get('/api/teachers/export')).status).toBe(401);
  });

  it('a bad filter is a 400 naming it, before any byte of a file is sent', async () => {
    for (const [resource, filter] of [
      ['practice-records', { countyCode: '999999' }],
      ['teachers', { active: 'sometimes' }],
      ['practice-posts', { industry: 'mining' }],
      ['practice-applications', { state: 'lost' }],
    ] as const) {
      const res = await t
        .http()
        .get(`/api/${resource}/export?${q(filter)}`)
        .set('Authorization', await bearer(t, 'school'));
      expect([resource, res.status]).toEqual([resource, 400]);
      expect(res.headers['content-type']).toContain('json');
      expect(res.body.message).toContain(Object.keys(filter)[0]);
    }
  });
});

describe('personal data and formulas', () => {
  it('teachers’ phones are masked; the raw number is nowhere in the file', async () => {
    const rows = await expectSameRows('school', 'teachers');
    const phones = column(rows, '手机号码（脱敏）');
    expect(phones).toContain(maskPhone(PHONE));
    expect(phones).toContain(maskPhone('13800138000'));
    expect(phones.filter((p) => p).every((p) => p.includes('*'))).toBe(true);
    for (const resource of ['teachers', 'practice-records', 'practice-applications']) {
      const all = (await readXlsx((await exportAs('school', resource)).body as Buffer)).flat().join('|');
      expect(all).not.toContain(PHONE);
      expect(all).not.toContain('13800138000');
    }
  });

  it('a name, content or title a spreadsheet would run is written as text behind an apostrophe', async () => {
    const teachers = await readXlsx((await exportAs('school', 'teachers')).body as Buffer);
    expect(column(teachers, '姓名')).toContain(`'${EVIL}`);
    const records = await readXlsx((await exportAs('school', 'practice-records')).body as Buffer);
    expect(column(records, '教师')).toContain(`'${EVIL}`);
    expect(column(records, '实践内容')).toContain(`'+SUM(A1) 工艺改进`);
    const posts = await readXlsx((await exportAs('teacher', 'practice-posts')).body as Buffer);
    expect(column(posts, '岗位名称')).toContain(`'@岗位 电气装配`);
    expect(column(posts, '岗位内容')).toContain(`'-参与装配线工艺改进`);
    const applications = await readXlsx((await exportAs('enterprise', 'practice-applications')).body as Buffer);
    expect(column(applications, '教师')).toContain(`'${EVIL}`);
    // no cell anywhere starts as a formula would
    for (const rows of [teachers, records, posts, applications]) expect(rows.flat().some((c) => /^[=+\-@]/.test(c))).toBe(false);
  });
});

describe('the rule’s window is a setting (practice.windowYears), not “五年”', () => {
  const windowOf = async () => {
    const ledger = await call(t, evil.username, 'get', `/api/teachers/${evil.id}/ledger`);
    expect(ledger.status).toBe(200);
    const teachers = await call(t, 'school', 'get', '/api/teachers');
    expect(teachers.status).toBe(200);
    const rows = await expectSameRows('school', 'teachers');
    return {
      ledger: ledger.body.windowYears as number,
      list: [...new Set((teachers.body as Array<{ windowYears: number }>).map((r) => r.windowYears))],
      header: rows[0].find((h) => h.includes('累计学时')),
    };
  };

  it('the ledger, the teachers’ list and the export’s header name the setting’s years: 5 by default, 3 once changed', async () => {
    expect(await windowOf()).toEqual({ ledger: 5, list: [5], header: '近 5 年累计学时' });
    await setSetting(t, 'practice.windowYears', 3);
    try {
      expect(await windowOf()).toEqual({ ledger: 3, list: [3], header: '近 3 年累计学时' });
    } finally {
      await setSetting(t, 'practice.windowYears', 5);
    }
  });
});
