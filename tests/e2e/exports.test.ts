import { maskPhone } from '@portal/contracts';
import { startTestApp, userId, type TestApp } from '@portal/testing';
import ExcelJS from 'exceljs';
import { auth } from '../support/certification.js';
import { seedCertificationLedger } from '../support/dashboard-data.js';
import { createUser, organisationOf } from '../support/people.js';
import { readXlsx } from '../support/spreadsheets.js';

/**
 * Every list exports to .xlsx (issue 12): GET /api/<resource>/export with the list's own filter and sort answers
 * exactly the rows the list answers (same authorization), with Chinese headers, phones masked and formula-like
 * cells neutralised; a long export is read page by page and streamed, never held whole.
 */
let t: TestApp;
const N = 30;

beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' }, { countStatements: true });
  await seedCertificationLedger(t, 36);
  const enterprise = await organisationOf(t, 'enterprise');
  const applicant = await userId(t, 'enterprise');
  // applications at several stages with the county's review tasks, and provincial records, cheaply through SQL
  await t.ds.query(
    `WITH c AS (
       INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions, stage_due_at)
       SELECT 'certification', (ARRAY['county_review', 'city_review', 'draft'])[1 + i % 3], $1, '330302', '导出测试申请' || i, $2, 1, now() + (i - 10) * interval '1 day'
         FROM generate_series(1, $3) i RETURNING id, state, stage_due_at),
     a AS (INSERT INTO certification_applications (case_id, enterprise_id, year, created_by) SELECT id, $1, 2026, $2 FROM c)
     INSERT INTO tasks (case_id, state, kind, role, county_code, due_at)
       SELECT id, state, 'review', CASE state WHEN 'county_review' THEN 'county_reviewer' ELSE 'city_reviewer' END,
              CASE state WHEN 'county_review' THEN '330302' END, stage_due_at FROM c WHERE state <> 'draft'`,
    [enterprise, applicant, N],
  );
  await t.ds.query(
    `WITH c AS (
       INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions)
       SELECT 'certification-record', 'city_confirm', $1, '330302', '导出测试备案' || i, $2, 1 FROM generate_series(1, 7) i RETURNING id)
     INSERT INTO certification_records (case_id, enterprise_id, level, document_no, certified_at) SELECT id, $1, 'provincial', '浙教导出' || id, '2026-01-01' FROM c`,
    [enterprise, applicant],
  );
  // a name a spreadsheet would run as a formula, and people with phones
  await t.ds.query(
    `INSERT INTO organisations (kind, name, county_code, school_type, contact_phone) VALUES ('school', '=HYPERLINK("http://evil.test","点我")', '330302', 'secondary', '13912345678')`,
  );
  await createUser(t, { username: 'export_phone', roles: ['expert'], organisationId: enterprise, displayName: '+SUM(A1)专家' });
  await t.ds.query(`UPDATE users SET phone = '13800138000' WHERE username IN ('export_phone', 'enterprise')`);
  await t.token('city');
  await t.token('admin');
});
afterAll(async () => {
  await t.close();
});

const q = (filter: Record<string, unknown>, sort?: [string, string]) =>
  `filter=${encodeURIComponent(JSON.stringify(filter))}${sort ? `&sort=${encodeURIComponent(JSON.stringify(sort))}` : ''}`;

async function exportAs(user: string, resource: string, query = '') {
  return t
    .http()
    .get(`/api/${resource}/export${query ? `?${query}` : ''}`)
    .set('Authorization', await auth(t, user))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

/** Every row id of the list for this user and query (all pages). */
async function listIds(user: string, resource: string, query = ''): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; ; start += 1000) {
    const res = await t
      .http()
      .get(`/api/${resource}?range=[${start},${start + 999}]${query ? `&${query}` : ''}`)
      .set('Authorization', await auth(t, user));
    expect(res.status).toBe(200);
    ids.push(...res.body.map((r: { id: number | string }) => Number(r.id)));
    if (res.body.length < 1000) return ids;
  }
}

/** The export opens with exceljs: Chinese headers, then exactly the list's rows (ids in the first column), in its order. */
async function expectSameRows(user: string, resource: string, query = '') {
  const res = await exportAs(user, resource, query);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''.+\.xlsx/);
  const rows = await readXlsx(res.body as Buffer);
  expect(rows[0][0]).toBe('编号');
  expect(rows[0].every((h) => /[\u4e00-\u9fff]/.test(h))).toBe(true);
  const ids = await listIds(user, resource, query);
  expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(ids);
  // no cell is a formula: formula-like text is kept as text behind an apostrophe
  expect(rows.flat().some((c) => c.startsWith('{"formula"') || /^[=+@]/.test(c))).toBe(false);
  return { rows, ids };
}

describe('every list exports its filtered rows', () => {
  it.each([
    ['certification-applications', 'city', q({ state: 'county_review' })],
    ['certification-applications', 'county', q({})],
    ['certifications', 'city', q({ level: 'city', status: 'active', countyCode: '330303' })],
    ['certifications', 'city', q({ industry: 'other' })],
    ['subsidies', 'city', q({ status: 'paid' })],
    ['subsidies', 'finance', q({})],
    ['certification-records', 'city', q({})],
    ['documents', 'city', q({ kind: 'subsidy_notice' })],
    ['tasks', 'county', q({})],
    ['organisations', 'city', q({ kind: 'enterprise', countyCode: '330302' }, ['name', 'ASC'])],
    ['users', 'admin', q({}, ['username', 'DESC'])],
    ['login-events', 'admin', q({ success: true })],
    ['targets', 'teacher', q({ countyCode: 'city' })],
  ])('%s as %s (%s)', async (resource, user, query) => {
    const { ids } = await expectSameRows(user, resource, query);
    if (!['certification-records', 'login-events'].includes(resource)) expect(ids.length).toBeGreaterThan(0);
  });

  it('an enterprise exports only its own rows; a county finance officer only its county', async () => {
    const own = await organisationOf(t, 'enterprise');
    const { rows } = await expectSameRows('enterprise', 'certification-applications');
    expect(rows.length - 1).toBe(N);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM certification_applications WHERE enterprise_id = $1`, [own]);
    expect(rows.length - 1).toBe(n);
    const finance = await expectSameRows('finance', 'subsidies');
    const [{ n: county }] = await t.ds.query(`SELECT count(*)::int AS n FROM subsidies WHERE county_code = '330302'`);
    expect(finance.rows.length - 1).toBe(county);
    expect(finance.rows.slice(1).every((r) => r[2] === '鹿城区')).toBe(true);
  });

  it('the same authorization as the list: login events are the admin’s; no export without signing in', async () => {
    expect((await exportAs('city', 'login-events')).status).toBe(403);
    expect((await t.http().get('/api/certifications/export')).status).toBe(401);
  });

  it('a bad filter is a 400 naming it, before any byte of a file is sent', async () => {
    const res = await t
      .http()
      .get(`/api/certifications/export?${q({ password: 'x' })}`)
      .set('Authorization', await auth(t, 'city'));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('password');
    const industry = await t
      .http()
      .get(`/api/subsidies/export?${q({ industry: 'mining' })}`)
      .set('Authorization', await auth(t, 'city'));
    expect(industry.status).toBe(400);
  });
});

describe('personal data and formulas', () => {
  it('phones are masked in the users and organisations exports; the list’s own fields stay', async () => {
    const users = await readXlsx((await exportAs('admin', 'users', q({ q: 'export_phone' }))).body as Buffer);
    const phoneCol = users[0].indexOf('手机号码');
    expect(users[1][phoneCol]).toBe(maskPhone('13800138000'));
    expect(users[1][phoneCol]).toContain('*');
    const orgs = await readXlsx((await exportAs('city', 'organisations', q({ kind: 'school' }))).body as Buffer);
    const all = orgs.flat().join('|');
    expect(all).not.toContain('13912345678');
    expect(all).toContain(maskPhone('13912345678'));
  });

  it('formula-like text is written as text: no cell of the file is a formula', async () => {
    const bytes = (await exportAs('city', 'organisations', q({ kind: 'school' }))).body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    let formulas = 0;
    let evil = '';
    workbook.worksheets[0].eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas += 1;
        if (typeof cell.value === 'string' && cell.value.includes('HYPERLINK')) evil = cell.value;
      }),
    );
    expect(formulas).toBe(0);
    expect(evil).toBe(`'=HYPERLINK("http://evil.test","点我")`);
    const users = await readXlsx((await exportAs('admin', 'users', q({ q: 'export_phone' }))).body as Buffer);
    expect(users[1]).toContain(`'+SUM(A1)专家`);
  });
});

describe('a long export', () => {
  it('20,000 rows stream page by page: bounded pages, modest heap growth, every row in the file', async () => {
    const ROWS = 20_000;
    await t.ds.query(
      `INSERT INTO login_events (at, username, success, reason, ip, user_agent)
       SELECT now() - i * interval '1 minute', 'bulk' || i, i % 3 <> 0, CASE WHEN i % 3 = 0 THEN 'bad_password' END, '10.0.' || (i % 250) || '.1',
              'Mozilla/5.0 (X11; Linux x86_64) 导出压力测试浏览器 ' || repeat('x', 60)
         FROM generate_series(1, $1) i`,
      [ROWS],
    );
    const filter = q({ q: 'bulk' });
    const base = await t.listen();
    const token = await t.token('admin');
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const chunks: Buffer[] = [];
    const { statements } = await t.statements(async () => {
      const res = await fetch(`${base}/api/login-events/export?${filter}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(Buffer.from(value));
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    });
    clearInterval(sampler);
    const bytes = Buffer.concat(chunks);
    const rows = await readXlsx(bytes);
    expect(rows.length - 1).toBe(ROWS);
    expect(new Set(rows.slice(1).map((r) => r[2])).size).toBe(ROWS);
    // read page by page: at least ROWS / 500 page queries, each bounded by LIMIT
    const pages = statements.filter((s) => /FROM "login_events"/i.test(s) && /LIMIT/i.test(s) && !/count\(/i.test(s));
    expect(pages.length).toBeGreaterThanOrEqual(ROWS / 500);
    // loose: the whole table as entities plus the workbook in memory would take far more than this
    const growthMb = (peak - before) / 1024 / 1024;
    console.log(
      `[exports] ${ROWS} rows, ${(bytes.length / 1024 / 1024).toFixed(1)} MB file, ${pages.length} page queries, heap growth ${growthMb.toFixed(1)} MB`,
    );
    expect(growthMb).toBeLessThan(150);
  }, 180_000);
});
