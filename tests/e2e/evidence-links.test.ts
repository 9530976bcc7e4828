import type { CertificationApplicationDto, EvidenceItem } from '@portal/contracts';
import { startTestApp, type TestApp } from '@portal/testing';
import { atPanel, auth, draft, newApplicant, type Applicant } from '../support/certification.js';
import { activeClass } from '../support/order-classes.js';
import { createUser, organisationId, organisationOf } from '../support/people.js';
import { countedRecord, daysAgo, newTeacher } from '../support/practice.js';

/**
 * The evidence the portal links by itself (filed order classes, counted practice the enterprise hosted) is read by
 * everyone who reads the application, but each item links to its record only for a viewer whom the server lets
 * read that record (GET /api/<sourceRef> answers 200): reviewers are not sent to a 404. The records here are of two
 * schools in two counties, so that the 鹿城区 reviewer reads some of them and not others.
 */
let t: TestApp;
let app: CertificationApplicationDto;
/** sourceRef by description, as the enterprise (who reads every record it is evidence of) sees them */
const refs = new Map<string, string>();

const applicant: Applicant = { username: 'enterprise', organisationId: 0 };

beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  applicant.organisationId = await organisationOf(t, 'enterprise');
  // a second school (温州职业技术学院, 瓯海区) with its admin, and the 瓯海区 reviewer who files its classes
  const ouhaiSchool = await organisationId(t, 'school', '温州职业技术学院');
  await createUser(t, { username: 'links-school2', roles: ['school_admin'], organisationId: ouhaiSchool });
  await createUser(t, {
    username: 'links-county2',
    roles: ['county_reviewer'],
    organisationId: await organisationId(t, 'authority', '瓯海区教育局'),
    jurisdiction: '330304',
  });
  // an order class of each school with the demo enterprise, filed by the school's county
  await activeClass(t, { name: '鹿城订单班' });
  await activeClass(t, { school: 'links-school2', county: 'links-county2', name: '瓯海订单班' });
  // counted practice hosted by the enterprise: a teacher of each school
  const host = applicant.organisationId;
  await countedRecord(t, (await newTeacher(t)).username, { hostOrgId: host, startDate: daysAgo(90), endDate: daysAgo(80), hours: 60 });
  await countedRecord(
    t,
    (await newTeacher(t, 'links-school2')).username,
    { hostOrgId: host, startDate: daysAgo(70), endDate: daysAgo(60), hours: 40 },
    { school: 'links-school2' },
  );
  // the application, submitted, recommended and with the panel
  app = await atPanel(t, applicant);
  const own = await t
    .http()
    .get(`/api/certification-applications/${app.id}`)
    .set('Authorization', await auth(t, applicant));
  for (const e of own.body.linkedEvidence as EvidenceItem[]) refs.set(e.description, e.sourceRef!);
});
afterAll(async () => {
  await t.close();
});

/** What a viewer is shown: each linked item's description, whether it links, and what GET on its record answers them. */
async function seenBy(username: string) {
  const token = await auth(t, username);
  const res = await t.http().get(`/api/certification-applications/${app.id}`).set('Authorization', token);
  expect(res.status).toBe(200);
  const items = res.body.linkedEvidence as EvidenceItem[];
  return Promise.all(
    items.map(async (e) => ({
      description: e.description,
      source: e.source,
      link: e.sourceRef ?? null,
      opens: (
        await t
          .http()
          .get(`/api/${refs.get(e.description)}`)
          .set('Authorization', token)
      ).status,
    })),
  );
}

it('the enterprise has four linked items, each linked to its record', () => {
  expect(refs.size).toBe(4);
  expect([...refs.values()].sort()).toEqual([
    expect.stringMatching(/^order-classes\/\d+$/),
    expect.stringMatching(/^order-classes\/\d+$/),
    expect.stringMatching(/^practice-records\/\d+$/),
    expect.stringMatching(/^practice-records\/\d+$/),
  ]);
});

it.each(['enterprise', 'county', 'city', 'expert1', 'expert2', 'admin'])(
  '%s: an item links to its record exactly when GET on the record answers 200',
  async (username) => {
    const seen = await seenBy(username);
    // every reader of the application reads every item's description
    expect(seen.map((s) => s.description).sort()).toEqual([...refs.keys()].sort());
    for (const s of seen) expect([200, 404]).toContain(s.opens);
    expect(seen.map((s) => ({ description: s.description, opens: s.opens, link: s.link }))).toEqual(
      seen.map((s) => ({ description: s.description, opens: s.opens, link: s.opens === 200 ? refs.get(s.description) : null })),
    );
  },
);

it('who opens what: the enterprise and the city all four, the 鹿城区 reviewer its own county’s, an expert none', async () => {
  const links = async (username: string) =>
    (await seenBy(username))
      .filter((s) => s.link)
      .map((s) => `${s.source}:${s.description.includes('浙江工贸') ? '鹿城' : '瓯海'}`)
      .sort();
  const all = ['order_class:鹿城', 'order_class:瓯海', 'practice_record:鹿城', 'practice_record:瓯海'].sort();
  expect(await links('enterprise')).toEqual(all);
  expect(await links('city')).toEqual(all);
  expect(await links('admin')).toEqual(all);
  expect(await links('county')).toEqual(['order_class:鹿城', 'practice_record:鹿城'].sort());
  expect(await links('expert1')).toEqual([]);
});

it('a typed item keeps a link only to a record its viewer opens, in the detail and in the list', async () => {
  const other = await newApplicant(t);
  const hosted = await countedRecord(
    t,
    (await newTeacher(t)).username,
    { hostOrgId: other.organisationId, startDate: daysAgo(50), endDate: daysAgo(45), hours: 30 },
    { host: other },
  );
  const draftApp = await draft(t, other);
  const typed = (description: string, sourceRef?: string) => ({
    type: 'order_class',
    description,
    year: 2025,
    count: 1,
    source: 'manual',
    ...(sourceRef ? { sourceRef } : {}),
  });
  const saved = await t
    .http()
    .put(`/api/certification-applications/${draftApp.id}`)
    .set('Authorization', await auth(t, other))
    .send({
      dataVersion: draftApp.dataVersion,
      evidence: [
        typed('本企业接待的教师实践', `practice-records/${hosted}`),
        typed('另一家企业的订单班', refs.get([...refs.keys()].find((d) => d.includes('鹿城订单班'))!)),
        typed('不是佐证的链接', 'users/1'),
        typed('没有链接'),
      ],
    });
  expect(saved.status).toBe(200);
  const token = await auth(t, other);
  const opens = async (ref: string) => (await t.http().get(`/api/${ref}`).set('Authorization', token)).status;
  expect(await opens(`practice-records/${hosted}`)).toBe(200);
  expect(await opens(refs.get([...refs.keys()].find((d) => d.includes('鹿城订单班'))!)!)).toBe(404);
  const expected = [
    { description: '本企业接待的教师实践', sourceRef: `practice-records/${hosted}` },
    { description: '另一家企业的订单班' },
    { description: '不是佐证的链接' },
    { description: '没有链接' },
  ];
  const shown = (items: EvidenceItem[]) => items.map((e) => ({ description: e.description, ...(e.sourceRef ? { sourceRef: e.sourceRef } : {}) }));
  expect(shown(saved.body.evidence)).toEqual(expected);
  const detail = await t.http().get(`/api/certification-applications/${draftApp.id}`).set('Authorization', token);
  expect(shown(detail.body.evidence)).toEqual(expected);
  // its own hosted practice is also linked evidence, linked for it
  expect(shown(detail.body.linkedEvidence)).toEqual([expect.objectContaining({ sourceRef: `practice-records/${hosted}` })]);
  const list = await t
    .http()
    .get(`/api/certification-applications?filter=${encodeURIComponent(JSON.stringify({ id: [draftApp.id] }))}`)
    .set('Authorization', token);
  expect(list.status).toBe(200);
  expect(shown(list.body[0].evidence)).toEqual(expected);
  // what the enterprise typed is kept as it typed it
  const [row] = await t.ds.query(`SELECT evidence FROM certification_applications WHERE id = $1`, [draftApp.id]);
  expect(row.evidence.map((e: EvidenceItem) => e.sourceRef ?? null)).toEqual([
    `practice-records/${hosted}`,
    expect.stringMatching(/^order-classes\//),
    'users/1',
    null,
  ]);
});

it('an enterprise that hosted more practice than is listed one by one has the rest counted per year, none left out', async () => {
  const other = await newApplicant(t);
  const teacher = await newTeacher(t);
  const schoolId = await organisationOf(t, 'school');
  const [{ id: creator }] = await t.ds.query(`SELECT id FROM users WHERE username = 'school'`);
  // 500 one-day records in the last 500 days (the ones listed), and 7 older ones: 4 ending in 2019, 3 in 2018
  const recent = Array.from({ length: 500 }, (_, i) => daysAgo(i + 1));
  const older = ['2019-03-01', '2019-03-02', '2019-03-03', '2019-03-04', '2018-05-01', '2018-05-02', '2018-05-03'];
  for (const day of [...recent, ...older])
    // written straight to the tables (a counted case each, the enterprise its host party): what is under test is the evidence
    await t.ds.query(
      `WITH c AS (INSERT INTO cases (workflow_key, state, owner_org_id, title, created_by, owner_user_id, submissions, decided_at)
                  VALUES ('practice-record', 'counted', $1, '佐证测试', $2, $3, 1, now()) RETURNING id),
            p AS (INSERT INTO case_parties (case_id, party, organisation_id) SELECT id, 'host', $4 FROM c)
       INSERT INTO practice_records (case_id, teacher_id, school_id, start_date, end_date, hours, claimed_hours, form, content, counted, counted_on, counted_industry, created_by)
       SELECT id, $3, $1, $5, $5, 8, 8, 'post', '佐证测试', true, $5, 'other', $2 FROM c`,
      [schoolId, creator, teacher.id, other.organisationId, day],
    );
  const draftApp = await draft(t, other);
  const detail = await t
    .http()
    .get(`/api/certification-applications/${draftApp.id}`)
    .set('Authorization', await auth(t, other));
  expect(detail.status).toBe(200);
  const practice = (detail.body.linkedEvidence as EvidenceItem[]).filter((e) => e.source === 'practice_record');
  const listed = practice.filter((e) => e.sourceRef);
  const counted = practice.filter((e) => !e.sourceRef);
  // the latest 500, one by one with their links
  expect(listed).toHaveLength(500);
  expect(new Set(listed.map((e) => e.description.match(/(\d{4}-\d{2}-\d{2}) 结束/)?.[1]))).toEqual(new Set(recent));
  // the rest said, not dropped: how many more, per year they ended, each year of cooperation still standing
  expect(counted).toEqual([
    { type: 'practice_post', description: '及其他 4 人次教师企业实践（2019 年结束，共 32 学时，未逐条列出）', year: 2019, count: 4, source: 'practice_record' },
    { type: 'practice_post', description: '及其他 3 人次教师企业实践（2018 年结束，共 24 学时，未逐条列出）', year: 2018, count: 3, source: 'practice_record' },
  ]);
  expect(practice.reduce((sum, e) => sum + (e.count ?? 0), 0)).toBe(507);
});
