import { startTestApp, userId, type TestApp } from '@portal/testing';
import { organisationOf } from '../support/people.js';

/**
 * Lists cost a constant number of statements (issue 8): a page of 25 and a page of 100 of every list that
 * returns cases run the same number of SQL statements. Rows carry a light case summary loaded once per page;
 * allowed actions, who can act and why not belong to the detail view.
 */

let t: TestApp;
const N = 110;

beforeAll(async () => {
  // no background jobs: the data is written through SQL, and only the requests' own statements are counted
  t = await startTestApp({ JOBS_ENABLED: 'false' }, { countStatements: true });
  const enterprise = await organisationOf(t, 'enterprise');
  const applicant = await userId(t, 'enterprise');
  const county = await userId(t, 'county');
  const [{ county_code: countyCode }] = await t.ds.query<Array<{ county_code: string }>>(`SELECT county_code FROM organisations WHERE id = $1`, [enterprise]);
  // cheaply through SQL: cases at several stages (some returned for 补正, some under 公示 with an open objection), with their rows and tasks
  await t.ds.query(
    `WITH c AS (
       INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions, stage_due_at)
       SELECT 'certification', (ARRAY['county_review', 'returned', 'publicity', 'city_review'])[1 + i % 4], $1, $2, '列表测试申请' || i, $3, 1, now() + interval '3 days'
         FROM generate_series(1, $4) i RETURNING id, state)
     INSERT INTO certification_applications (case_id, enterprise_id, year, created_by) SELECT id, $1, 2026, $3 FROM c`,
    [enterprise, countyCode, applicant, N],
  );
  await t.ds.query(
    `WITH c AS (
       INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions)
       SELECT 'certification-record', (ARRAY['city_confirm', 'returned'])[1 + i % 2], $1, $2, '列表测试备案' || i, $3, 1 FROM generate_series(1, $4) i RETURNING id)
     INSERT INTO certification_records (case_id, enterprise_id, level, document_no, certified_at) SELECT id, $1, 'provincial', '浙教' || id, '2026-01-01' FROM c`,
    [enterprise, countyCode, applicant, N],
  );
  await t.ds.query(
    `INSERT INTO case_returns (case_id, from_state, to_state, items, returned_by)
     SELECT id, CASE workflow_key WHEN 'certification' THEN 'county_review' ELSE 'city_confirm' END, 'returned', '["请补充材料"]', $1 FROM cases WHERE state = 'returned'`,
    [county],
  );
  await t.ds.query(
    `INSERT INTO objections (case_id, name, phone, phone_key, content) SELECT id, '张三', '13800000000', '13800000000', '异议内容' FROM cases WHERE state = 'publicity'`,
  );
  await t.ds.query(
    `INSERT INTO tasks (case_id, state, kind, role, county_code, due_at)
     SELECT id, state, 'review', CASE workflow_key WHEN 'certification' THEN 'county_reviewer' ELSE 'city_reviewer' END,
            CASE workflow_key WHEN 'certification' THEN county_code END, now() + interval '3 days'
       FROM cases`,
  );
  // targets of the dashboard (issue 12): plenty, for a page of 100
  await t.ds.query(
    `INSERT INTO targets (indicator, label, unit, value, deadline, seed_task) SELECT 'bulk_' || i, '批量目标' || i, '个', i, '2026-12-31', 1 + i % 78 FROM generate_series(1, $1) i`,
    [N],
  );
  await t.ds.query(`UPDATE targets SET updated_by = (SELECT id FROM users WHERE username = 'admin')`);
  // 教师入企实践: N teachers of the demo school with profiles, each with a counted record hosted by the demo enterprise
  // (host party), N posts of the enterprise with an application each from the demo teacher
  const school = await organisationOf(t, 'school');
  const schoolAdmin = await userId(t, 'school');
  const demoTeacher = await userId(t, 'teacher');
  await t.ds.query(
    `WITH u AS (INSERT INTO users (username, display_name, password_hash, organisation_id, roles)
                SELECT 'ls_teacher' || i, '列表教师' || i, 'x', $1, ARRAY['teacher'] FROM generate_series(1, $3) i RETURNING id)
     INSERT INTO teacher_profiles (user_id, school_id, major, employment, created_by) SELECT id, $1, '电气自动化技术', 'full_time', $2 FROM u`,
    [school, schoolAdmin, N],
  );
  await t.ds.query(
    `WITH tp AS (SELECT user_id, row_number() OVER (ORDER BY user_id) AS i FROM teacher_profiles WHERE school_id = $1),
          c AS (INSERT INTO cases (workflow_key, state, owner_org_id, title, created_by, owner_user_id, submissions, decided_at)
                SELECT 'practice-record', 'counted', $1, '列表测试实践' || tp.i, tp.user_id, tp.user_id, 1, now() FROM tp RETURNING id, owner_user_id),
          p AS (INSERT INTO case_parties (case_id, party, organisation_id) SELECT id, 'host', $2 FROM c RETURNING case_id)
     INSERT INTO practice_records (case_id, teacher_id, school_id, start_date, end_date, hours, claimed_hours, form, content, counted, counted_on, counted_industry, created_by)
     SELECT c.id, c.owner_user_id, $1, current_date - 30, current_date - 10, 100, 100, 'post', '列表测试', true, current_date,
            (SELECT coalesce(industry, 'other') FROM organisations WHERE id = $2), c.owner_user_id FROM c`,
    [school, enterprise],
  );
  // (each application a case of practice-application at 待学校审批, the enterprise its host party)
  await t.ds.query(
    `WITH p AS (INSERT INTO practice_posts (enterprise_id, title, major, openings, start_date, end_date, content, mentor_name, created_by)
                SELECT $1, '列表岗位' || i, '电气自动化技术', 5, current_date, current_date + 30, '岗位内容', '导师', $2 FROM generate_series(1, $4) i RETURNING id),
          c AS (INSERT INTO cases (workflow_key, state, version, owner_org_id, title, created_by, owner_user_id, submissions)
                SELECT 'practice-application', 'applied', 2, $5, '列表岗位申请' || p.id, $3, $3, 1 FROM p RETURNING id, title),
          h AS (INSERT INTO case_parties (case_id, party, organisation_id) SELECT id, 'host', $1 FROM c)
     INSERT INTO practice_applications (case_id, post_id, teacher_id, school_id)
     SELECT c.id, p.id, $3, $5 FROM c JOIN p ON c.title = '列表岗位申请' || p.id`,
    [enterprise, applicant, demoTeacher, N, school],
  );
  // 订单班 of the demo school with the demo enterprise as its party, at several stages, each with students
  await t.ds.query(
    `WITH c AS (
       INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions)
       SELECT 'order-class', (ARRAY['enterprise_confirm', 'county_filing', 'active', 'returned'])[1 + i % 4], $1::int, $2::text, '列表测试订单班' || i, $3::int, 1
         FROM generate_series(1, $5::int) i RETURNING id),
     p AS (INSERT INTO case_parties (case_id, party, organisation_id) SELECT id, 'enterprise', $4::int FROM c),
     oc AS (INSERT INTO order_classes (case_id, school_id, enterprise_id, name, major_code) SELECT id, $1::int, $4::int, '列表测试订单班' || id, '460306' FROM c RETURNING id)
     INSERT INTO order_class_students (order_class_id, name, gender, birth_year, id_sealed, id_lookup, id_masked, joined_on)
     SELECT oc.id, '学生' || k, 'male', 2005, decode('00', 'hex'), decode(md5(oc.id::text || ':' || k::text), 'hex'), '330302********0011', '2025-09-01'
       FROM oc, generate_series(1, 3) k`,
    [school, countyCode, schoolAdmin, enterprise, N],
  );
  for (const u of ['city', 'county', 'enterprise', 'admin', 'school', 'teacher']) await t.token(u);
});
afterAll(() => t.close());

async function page(username: string, resource: string, size: number): Promise<{ rows: number; statements: string[] }> {
  const token = await t.token(username);
  const { result, statements } = await t.statements(() =>
    t
      .http()
      .get(`/api/${resource}`)
      .set('Authorization', `Bearer ${token}`)
      .query({ range: JSON.stringify([0, size - 1]) }),
  );
  if (result.status !== 200) throw new Error(`${resource}: ${result.status} ${JSON.stringify(result.body)}`);
  return { rows: (result.body as unknown[]).length, statements };
}

describe.each([
  ['certification-applications', 'city'],
  ['certification-applications', 'enterprise'],
  ['certification-records', 'city'],
  ['certification-records', 'enterprise'],
  ['tasks', 'admin'],
  ['tasks', 'county'],
  ['practice-records', 'school'],
  ['practice-records', 'enterprise'],
  // the bureaus read counted records (the lists the dashboard's figures open)
  ['practice-records', 'city'],
  ['practice-records', 'county'],
  ['teachers', 'school'],
  ['teachers', 'admin'],
  ['teachers', 'county'],
  ['practice-posts', 'teacher'],
  ['practice-applications', 'teacher'],
  ['practice-applications', 'enterprise'],
  ['targets', 'city'],
  ['order-classes', 'city'],
  ['order-classes', 'county'],
  ['order-classes', 'school'],
  ['order-classes', 'enterprise'],
  // filtered as the dashboard's links are (issue 12): the classes of one county and industry
  [`order-classes?filter=${encodeURIComponent(JSON.stringify({ countyCode: '330302', industry: 'electrical' }))}`, 'city'],
])('GET /api/%s as %s', (resource, username) => {
  it('a page of 25 and a page of 100 run the same SQL statements', async () => {
    // each size twice, the fewer counted: a settings or calendar cache that happens to expire during one request
    // (they are reloaded at most once a minute) adds a statement that is not the list's
    const fewest = async (size: number) => {
      const [a, b] = [await page(username, resource, size), await page(username, resource, size)];
      expect([a.rows, b.rows]).toEqual([size, size]);
      const statements = a.statements.length <= b.statements.length ? a.statements : b.statements;
      // the page's bounds may be written into the SQL (LIMIT 25 / LIMIT 100): the same statement all the same
      return statements.map((text) => text.replace(/\b(LIMIT|OFFSET) \d+/g, '$1 n'));
    };
    const small = await fewest(25);
    const large = await fewest(100);
    expect(large).toEqual(small);
    // and a small number: no statement per row
    expect(small.length).toBeLessThanOrEqual(10);
  });
});

it('list rows carry the light case summary; the detail view adds allowed actions, who can act and why not', async () => {
  const token = await t.token('city');
  const list = await t.http().get('/api/certification-applications').set('Authorization', `Bearer ${token}`).query({ range: '[0,99]' });
  const returned = (list.body as Array<{ id: number; case: Record<string, unknown> }>).find((a) => a.case.state === 'returned')!;
  expect(returned.case).toMatchObject({ stateLabel: expect.any(String), version: 1, openReturn: { items: ['请补充材料'], fromState: 'county_review' } });
  expect(returned.case).not.toHaveProperty('allowedActions');
  const underNotice = (list.body as Array<{ case: Record<string, unknown> }>).find((a) => a.case.state === 'publicity')!;
  expect(underNotice.case.openObjections).toBe(1);
  const one = await t.http().get(`/api/certification-applications/${returned.id}`).set('Authorization', `Bearer ${token}`);
  expect(one.body.case).toMatchObject({ allowedActions: [], openReturn: { items: ['请补充材料'] } });
  expect(Array.isArray(one.body.case.whoCanAct)).toBe(true);
  expect(one.body.case.noActionReasons.length).toBeGreaterThan(0);
});
