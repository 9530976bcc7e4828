import { startTestApp, type TestApp } from '@portal/testing';
import { makeIdNumber } from '../support/id-numbers.js';
import { bytesOf } from '../support/http.js';
import { classAct, draftClass } from '../support/order-classes.js';
import { createUser, organisationId, registerEnterprise } from '../support/people.js';
import { readXlsx } from '../support/spreadsheets.js';

/**
 * Who may see and do what on an order class (issue 10): the owning school's admin, the enterprise party
 * and the bureau of the school's county (once submitted) read it; a school or enterprise that is not a
 * party, another county's bureau and a teacher of the owning school are refused on reads, actions, the
 * roster, the reveal, the exports and the filing receipt (订单班备案回执: the school's admins, the enterprise party
 * and the bureaus read it; its public verification answers anyone). Only the owning school's admin writes the roster and reveals.
 */

let t: TestApp;
let active: { id: number; caseRef: string };
let draft: { id: number; caseRef: string };
let studentId: number;
let otherEnterprise: { username: string; password: string };
let receipt: { id: number; code: string };

beforeAll(async () => {
  t = await startTestApp();
  await createUser(t, { username: 'oc_other_school', roles: ['school_admin'], organisationId: await organisationId(t, 'school', '温州职业技术学院') });
  await createUser(t, {
    username: 'oc_other_county',
    roles: ['county_reviewer'],
    organisationId: await organisationId(t, 'authority', '瓯海区教育局'),
    jurisdiction: '330304',
  });
  otherEnterprise = await registerEnterprise(t, '330302');
  draft = await draftClass(t, { name: '授权测试草稿班' });
  const d = await draftClass(t, { name: '授权测试班' });
  const added = await t
    .http()
    .post(`/api/order-classes/${d.id}/students`)
    .set('Authorization', `Bearer ${await t.token('school')}`)
    .send({ name: '周杰', idNumber: makeIdNumber({ seq: 7 }), gender: 'male', phone: '13900001111' });
  studentId = added.body.id;
  for (const [user, action] of [
    ['school', 'submit'],
    ['enterprise', 'confirm'],
    ['county', 'file'],
  ] as const)
    expect((await classAct(t, user, d.id, { action })).status).toBe(200);
  active = d;
  // the 订单班备案回执 the filing issued (through the worker)
  await t.drain();
  [receipt] = await t.ds.query(`SELECT id::int AS id, verify_code AS code FROM documents WHERE kind = 'order_class_receipt' AND case_id = $1`, [
    Number(d.caseRef.split(':')[1]),
  ]);
});
afterAll(() => t.close());

const as = async (user: string, password?: string) => `Bearer ${await t.token(user, password)}`;
const strangers = () => [
  { user: 'oc_other_school' },
  { user: 'oc_other_county' },
  { user: 'teacher' },
  { user: otherEnterprise.username, password: otherEnterprise.password },
];

describe.each(['oc_other_school', 'oc_other_county', 'teacher', 'other_enterprise'])('%s', (who) => {
  const login = () => strangers().find((s) => (who === 'other_enterprise' ? s.password !== undefined : s.user === who))!;

  it('does not see the class in lists nor read it, its roster, changes, events or attachments', async () => {
    const token = await as(login().user, login().password);
    const list = await t.http().get('/api/order-classes').set('Authorization', token).query({ range: '[0,999]' });
    expect(list.status).toBe(200);
    expect(list.body.map((c: { id: number }) => c.id)).not.toContain(active.id);
    for (const path of [
      `/api/order-classes/${active.id}`,
      `/api/order-classes/${active.id}/students`,
      `/api/order-classes/${active.id}/changes`,
      `/api/cases/${active.caseRef}`,
      `/api/cases/${active.caseRef}/events`,
      `/api/cases/${active.caseRef}/attachments`,
    ])
      expect([path, (await t.http().get(path).set('Authorization', token)).status]).toEqual([path, 404]);
  });

  it('may not read the filing receipt (订单班备案回执) nor download it, nor find it in the documents list; its public verification still answers', async () => {
    const token = await as(login().user, login().password);
    for (const path of [`/api/documents/${receipt.id}`, `/api/documents/${receipt.id}/download`])
      expect([path, (await t.http().get(path).set('Authorization', token)).status]).toEqual([path, 404]);
    const list = await t.http().get('/api/documents').set('Authorization', token).query({ range: '[0,999]' });
    expect(list.status).toBe(200);
    expect(list.body.map((d: { id: number }) => d.id)).not.toContain(receipt.id);
    const verified = await t.http().get(`/api/verify/${receipt.code}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ kind: 'order_class_receipt', status: 'valid', holderName: '浙江工贸职业技术学院' });
  });

  it('may not act, write the roster, record changes, set outcomes or reveal', async () => {
    const token = await as(login().user, login().password);
    const post = (path: string, body: object) => t.http().post(path).set('Authorization', token).send(body);
    expect((await post(`/api/order-classes/${active.id}/actions`, { action: 'finish' })).status).toBe(404);
    expect((await post(`/api/order-classes/${draft.id}/actions`, { action: 'submit' })).status).toBe(404);
    expect((await post(`/api/cases/${active.caseRef}/actions`, { action: 'terminate', comment: 'x' })).status).toBe(404);
    expect((await post(`/api/order-classes/${draft.id}/students`, { name: '某人', idNumber: makeIdNumber({ seq: 8 }), gender: 'male' })).status).toBe(404);
    expect((await post(`/api/order-classes/${active.id}/changes`, { kind: 'leave', studentId, date: '2026-01-01', reason: '测试' })).status).toBe(404);
    expect((await post(`/api/order-classes/${active.id}/students/${studentId}/reveal`, { reason: '想看看' })).status).toBe(404);
    expect(
      (await t.http().put(`/api/order-classes/${active.id}/students/${studentId}/outcome`).set('Authorization', token).send({ graduated: false })).status,
    ).toBe(404);
    expect((await t.http().put(`/api/order-classes/${draft.id}`).set('Authorization', token).send({ dataVersion: 1, name: '改名' })).status).toBe(404);
  });

  it("may not export the class's roster, import into it or download its template; the list export leaves the class out", async () => {
    const token = await as(login().user, login().password);
    expect((await t.http().get(`/api/order-classes/${active.id}/students/export`).set('Authorization', token)).status).toBe(404);
    expect((await t.http().get(`/api/order-classes/${draft.id}/students/imports/template`).set('Authorization', token)).status).toBe(404);
    const csv = Buffer.from('姓名,身份证号码,性别\r\n张三,330302200503140016,男\r\n');
    expect((await t.http().post(`/api/order-classes/${draft.id}/students/imports`).set('Authorization', token).attach('file', csv, 'a.csv')).status).toBe(404);
    const list = await bytesOf(t.http().get('/api/order-classes/export').set('Authorization', token));
    expect(list.status).toBe(200);
    const rows = await readXlsx(list.body as Buffer);
    expect(rows[0][1]).toBe('订单班名称');
    expect(rows.map((r) => r[1])).not.toContain('授权测试班');
  });
});

it('the enterprise party and the county bureau read the roster masked but may not write it or reveal', async () => {
  for (const user of ['enterprise', 'county', 'city']) {
    const token = await as(user);
    const roster = await t.http().get(`/api/order-classes/${active.id}/students`).set('Authorization', token);
    expect([user, roster.status]).toEqual([user, 200]);
    expect(roster.body[0].idNumberMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(
      (await t.http().post(`/api/order-classes/${active.id}/students/${studentId}/reveal`).set('Authorization', token).send({ reason: '核查' })).status,
    ).toBe(403);
    expect(
      (
        await t
          .http()
          .post(`/api/order-classes/${active.id}/changes`)
          .set('Authorization', token)
          .send({ kind: 'leave', studentId, date: '2026-01-01', reason: '测试' })
      ).status,
    ).toBe(403);
    expect((await t.http().post(`/api/order-classes/${active.id}/actions`).set('Authorization', token).send({ action: 'finish' })).status).toBe(403);
  }
});

it("the filing receipt is read and downloaded by the school's admin, the enterprise party, the county bureau and the city, and listed for them", async () => {
  for (const user of ['school', 'enterprise', 'county', 'city']) {
    const token = await as(user);
    expect([user, (await t.http().get(`/api/documents/${receipt.id}`).set('Authorization', token)).body.kind]).toEqual([user, 'order_class_receipt']);
    const pdf = await bytesOf(t.http().get(`/api/documents/${receipt.id}/download`).set('Authorization', token));
    expect([user, pdf.status, (pdf.body as Buffer).subarray(0, 5).toString()]).toEqual([user, 200, '%PDF-']);
    const list = await t
      .http()
      .get('/api/documents')
      .set('Authorization', token)
      .query({ filter: JSON.stringify({ caseId: Number(active.caseRef.split(':')[1]) }) });
    expect([user, list.body.map((d: { id: number }) => d.id)]).toEqual([user, [receipt.id]]);
  }
});

it("a draft is the school's own: neither the county bureau nor the city reads it before it is submitted; the enterprise party does", async () => {
  for (const user of ['county', 'city'])
    expect(
      (
        await t
          .http()
          .get(`/api/order-classes/${draft.id}`)
          .set('Authorization', await as(user))
      ).status,
    ).toBe(404);
  expect(
    (
      await t
        .http()
        .get(`/api/order-classes/${draft.id}`)
        .set('Authorization', await as('enterprise'))
    ).status,
  ).toBe(200);
});

it('a teacher, an enterprise or a bureau may not register an order class', async () => {
  for (const user of ['teacher', 'enterprise', 'county']) {
    const res = await t
      .http()
      .post('/api/order-classes')
      .set('Authorization', await as(user))
      .send({ name: '不应成功', enterpriseId: 1 });
    expect([user, res.status]).toEqual([user, 403]);
  }
});

it('the list export applies the filters and neutralises cells that a spreadsheet would take for a formula', async () => {
  const city = await as('city');
  const school = await as('school');
  const c = await draftClass(t, { name: '=HYPERLINK("http://evil.example","点击")' });
  await classAct(t, 'school', c.id, { action: 'submit' });
  const res = await bytesOf(
    t
      .http()
      .get('/api/order-classes/export')
      .set('Authorization', city)
      .query({ filter: JSON.stringify({ state: 'enterprise_confirm', majorCode: '460306' }) }),
  );
  expect(res.status).toBe(200);
  const rows = await readXlsx(res.body as Buffer);
  expect(rows[0]).toEqual(expect.arrayContaining(['订单班名称', '举办学校', '合作企业', '专业', '阶段']));
  expect(rows.slice(1).map((r) => r[1])).toEqual([`'=HYPERLINK("http://evil.example","点击")`]);
  expect(rows[1]).toContain('企业确认');
  // a filter that names no class exports only the header; a bad filter is a 400 naming it
  const none = await bytesOf(
    t
      .http()
      .get('/api/order-classes/export')
      .set('Authorization', school)
      .query({ filter: JSON.stringify({ countyCode: '330383' }) }),
  );
  expect(await readXlsx(none.body as Buffer)).toHaveLength(1);
  const bad = await t
    .http()
    .get('/api/order-classes/export')
    .set('Authorization', school)
    .query({ filter: JSON.stringify({ majorCode: 'x' }) });
  expect(bad.status).toBe(400);
  expect(bad.body.details[0].field).toBe('filter.majorCode');
});
