import { portalToday } from '@portal/contracts';
import { startTestApp, type TestApp } from '@portal/testing';
import { bytesOf } from '../support/http.js';
import { headerNotes, readXlsx } from '../support/spreadsheets.js';
import { createUser, organisationId, organisationOf } from '../support/people.js';
import { call, countedRecord, daysAgo, ledger, logRecord, newTeacher } from '../support/practice.js';

/**
 * A school's past practice, imported (issue 11): the template, a preview that checks every row (the teacher is
 * the school's, the host is registered, no overlap in the file or with stored records), a commit that writes all
 * good rows or none and counts each through the engine (an audited event under the importing admin), then the
 * certificates, the ledger, and the linked evidence in the host's certification application.
 */

let t: TestApp;
let hostCode: string;

beforeAll(async () => {
  t = await startTestApp();
  const [e] = await t.ds.query(`SELECT credit_code FROM organisations WHERE id = $1`, [await organisationOf(t, 'enterprise')]);
  hostCode = e.credit_code;
  await createUser(t, { username: 'pi_school2', roles: ['school_admin'], organisationId: await organisationId(t, 'school', '温州职业技术学院') });
});
afterAll(() => t.close());

const csv = (rows: string[][]) => Buffer.from(`\ufeff${rows.map((r) => r.join(',')).join('\r\n')}\r\n`, 'utf8');
const HEADER = ['教师用户名', '接收企业统一社会信用代码', '开始日期', '结束日期', '学时', '实践形式', '实践内容', '实践成果'];

async function upload(who: string, bytes: Buffer, name = 'history.csv') {
  return t
    .http()
    .post('/api/practice-records/imports')
    .set('Authorization', `Bearer ${await t.token(who)}`)
    .attach('file', bytes, name);
}

it('previews row by row, commits all good rows as counted through the engine, audited; certificates, ledger and evidence follow', async () => {
  const template = await bytesOf(
    t
      .http()
      .get('/api/practice-records/imports/template')
      .set('Authorization', `Bearer ${await t.token('school')}`),
  );
  expect(template.status).toBe(200);
  expect(template.headers['content-type']).toContain('spreadsheetml');
  // the template imported as it is downloaded holds no row: its examples are notes on the headers
  expect(await readXlsx(template.body as Buffer)).toEqual([HEADER.map((h) => (h === '实践成果' ? h : `${h}*`))]);
  expect((await headerNotes(template.body as Buffer))[0]).toBe('例如：wanglaoshi');
  expect((await upload('school', template.body as Buffer, 'template.xlsx')).body).toMatchObject({ total: 0, good: 0, bad: [] });

  const a = await newTeacher(t);
  const b = await newTeacher(t);
  // b already has a live record in June 2023
  expect(
    (await logRecord(t, b.username, { hostOrgId: await organisationOf(t, 'enterprise'), startDate: '2023-06-01', endDate: '2023-06-10', hours: 60 })).status,
  ).toBe(201);
  const file = csv([
    HEADER,
    [a.username, hostCode, '2022-07-01', '2022-08-31', '400', '岗位实践', '装配线工艺', '实训项目'],
    [a.username, hostCode, '2023-07-01', '2023-09-30', '700', '研发', '控制柜设计', ''],
    [b.username, hostCode, '2023-06-05', '2023-06-20', '80', '技能培训', '培训', ''],
    ['nobody_here', hostCode, '2023-07-01', '2023-07-10', '60', '岗位实践', '内容', ''],
    [a.username, hostCode, '2022-08-01', '2022-08-20', '60', '岗位实践', '与上面重叠', ''],
    [a.username, '91330302MA2AB1234X', '2021-01-01', '2021-01-10', '60', '岗位实践', '坏代码', ''],
    [a.username, hostCode, '2021-02-01', '2021-02-03', '60', '岗位实践', '学时太多', ''],
    [a.username, hostCode, '2021-03-01', daysAgo(-3), '8', '岗位实践', '未来日期', ''],
  ]);
  const preview = await upload('school', file);
  expect(preview.status).toBe(201);
  expect(preview.body).toMatchObject({ kind: 'practice-history', total: 8, good: 2, status: 'previewed' });
  const problems = Object.fromEntries(preview.body.bad.map((r: { row: number; problems: string[] }) => [r.row, r.problems.join('；')]));
  expect(Object.keys(problems).map(Number)).toEqual([4, 5, 6, 7, 8, 9]);
  // the school admin reads of "该教师", the other record named by its host and dates, never by an id
  const [{ name: hostName }] = await t.ds.query(`SELECT name FROM organisations WHERE id = $1`, [await organisationOf(t, 'enterprise')]);
  expect(problems[4]).toContain(`实践时间与该教师在${hostName}的实践记录（2023-06-01 至 2023-06-10）重叠`);
  expect(problems[4]).not.toMatch(/号实践记录|本人/);
  expect(problems[5]).toContain('本校没有这个用户名的教师');
  expect(problems[6]).toContain('与第 2 行的实践时间重叠');
  expect(problems[7]).toContain('统一社会信用代码');
  expect(problems[8]).toContain('学时不能超过');
  expect(problems[9]).toContain('结束日期不能晚于今天');
  // nothing written by the preview
  expect((await t.ds.query(`SELECT count(*)::int AS n FROM practice_records WHERE teacher_id = $1`, [a.id]))[0].n).toBe(0);
  // another school neither sees nor commits it
  expect((await call(t, 'pi_school2', 'get', `/api/practice-records/imports/${preview.body.id}`)).status).toBe(404);
  expect((await call(t, 'pi_school2', 'post', `/api/practice-records/imports/${preview.body.id}/commit`)).status).toBe(404);
  // nor a teacher
  expect((await upload(a.username, file)).status).toBe(403);

  const committed = await call(t, 'school', 'post', `/api/practice-records/imports/${preview.body.id}/commit`);
  expect(committed.status).toBe(200);
  expect(committed.body).toMatchObject({ status: 'committed', imported: 2 });
  expect((await call(t, 'school', 'post', `/api/practice-records/imports/${preview.body.id}/commit`)).status).toBe(409);

  const records = await call(
    t,
    'school',
    'get',
    `/api/practice-records?filter=${encodeURIComponent(JSON.stringify({ teacherId: a.id }))}&sort=["startDate","ASC"]`,
  );
  expect(records.body).toEqual([
    expect.objectContaining({ startDate: '2022-07-01', hours: 400, counted: true, imported: true, case: expect.objectContaining({ state: 'counted' }) }),
    expect.objectContaining({ startDate: '2023-07-01', hours: 700, form: 'rnd', counted: true, imported: true }),
  ]);
  // the engine's chain: opened and counted by the importing admin, saying so
  const [admin] = await t.ds.query(`SELECT id, display_name FROM users WHERE username = 'school'`);
  const events = await t.ds.query(
    `SELECT e.action, e.actor_id, e.comment FROM case_events e JOIN practice_records r ON r.case_id = e.case_id WHERE r.id = $1 ORDER BY e.id`,
    [records.body[0].id],
  );
  expect(events).toEqual([
    { action: 'create', actor_id: admin.id, comment: null },
    { action: 'import_approved', actor_id: admin.id, comment: `由${admin.display_name}于${portalToday()}批量导入并认定（导入文件：history.csv）` },
  ]);
  expect(JSON.stringify(events)).not.toContain(preview.body.id);
  // each counted record gets its certificate; the ledger counts them
  await t.drain();
  // the teacher is told in words: who imported it, when and from which file, never the batch's UUID
  const told = await t.ds.query(`SELECT body FROM notifications WHERE user_id = $1 AND body LIKE '%批量导入并认定%'`, [a.id]);
  expect(told.length).toBe(2);
  for (const n of told) {
    expect(n.body).toContain(`由${admin.display_name}于${portalToday()}批量导入并认定（导入文件：history.csv）`);
    expect(n.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  }
  const again = await call(t, a.username, 'get', `/api/practice-records/${records.body[0].id}`);
  expect(again.body.certificateId).toEqual(expect.any(Number));
  expect(await ledger(t, a.username, a.id, '2023-09-30')).toMatchObject({ hours: 1100, met: true, lastMetDate: '2027-08-30' });
});

it('counted practice hosted by the enterprise shows in its certification application as linked evidence', async () => {
  const c = await newTeacher(t);
  const id = await countedRecord(t, c.username, { hostOrgId: await organisationOf(t, 'enterprise'), startDate: daysAgo(90), endDate: daysAgo(80), hours: 80 });
  const app = await call(t, 'enterprise', 'post', '/api/certification-applications', { year: 2026 });
  expect([200, 201]).toContain(app.status);
  const detail = await call(t, 'enterprise', 'get', `/api/certification-applications/${app.body.id}`);
  const linked = (detail.body.linkedEvidence as Array<{ source: string; sourceRef: string; type: string }>).filter((e) => e.source === 'practice_record');
  expect(linked).toEqual(
    expect.arrayContaining([expect.objectContaining({ type: 'practice_post', sourceRef: `practice-records/${id}`, schoolName: '浙江工贸职业技术学院' })]),
  );
  // the host reads the record the evidence links to
  expect((await call(t, 'enterprise', 'get', `/api/practice-records/${id}`)).status).toBe(200);
});
