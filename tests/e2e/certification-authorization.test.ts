import { CertificationsService } from '@portal/certification';
import { portalToday, type CertificationApplicationDto } from '@portal/contracts';
import { startTestApp, userId, type TestApp } from '@portal/testing';
import { act, auth, countOf, draft, newApplicant, SCORES, submitted, type Applicant } from '../support/certification.js';
import { createUser, organisationId } from '../support/people.js';

/**
 * Who may see and do what on 产教融合型企业认定: an enterprise its own, a county its county, a panel expert
 * the applications they sit on (and only while they sit), finance its county's subsidies. Anything else is
 * a 404 that does not say whether the record exists, or a 403 where the record is visible but the act is
 * not theirs. The first enterprise (鹿城区 330302) is the target throughout; the intruders are in 瑞安市 330381.
 */

let t: TestApp;
let owner: Applicant; // the first enterprise (鹿城区)
let intruder: Applicant; // another enterprise (瑞安市)
let app: CertificationApplicationDto;
let certificationId: number;
let subsidyId: number;
let documentIds: number[];

beforeAll(async () => {
  t = await startTestApp();
  owner = await newApplicant(t, '330302');
  intruder = await newApplicant(t, '330381');
  await createUser(t, {
    username: 'county_ruian',
    roles: ['county_reviewer'],
    organisationId: await organisationId(t, 'authority', '瑞安市教育局'),
    jurisdiction: '330381',
  });
  await createUser(t, {
    username: 'finance_ruian',
    roles: ['finance'],
    organisationId: await organisationId(t, 'authority', '瑞安市财政局'),
    jurisdiction: '330381',
  });
  await createUser(t, { username: 'expert4', roles: ['expert'], organisationId: await organisationId(t, 'school', '温州技师学院') });
  await createUser(t, { username: 'expert_out', roles: ['expert'], organisationId: await organisationId(t, 'school', '浙江东方职业技术学院') });

  // the owner's application, submitted (at 县级初审)
  app = await submitted(t, owner);
  // and a certification with its subsidy, certificate and notice
  const certifications = t.app.get(CertificationsService);
  ({ id: certificationId } = await t.ds.transaction((em) =>
    certifications.grant(em, { enterpriseId: owner.organisationId, level: 'city', source: 'portal', certifiedAt: '2025-03-01', actorId: null }),
  ));
  await t.drain();
  [{ id: subsidyId }] = await t.ds.query(`SELECT id::int FROM subsidies WHERE certification_id = $1`, [certificationId]);
  documentIds = (await t.ds.query(`SELECT id::int FROM documents WHERE holder_org_id = $1 ORDER BY id`, [owner.organisationId])).map(
    (r: { id: number }) => r.id,
  );
  expect(documentIds).toHaveLength(2);
});
afterAll(() => t.close());

const get = async (who: string | Applicant, path: string, query?: Record<string, string>) =>
  t
    .http()
    .get(path)
    .query(query ?? {})
    .set('Authorization', await auth(t, who));
const ids = (res: { body: Array<{ id: number }> }) => res.body.map((r) => r.id);
const caseState = async () => (await t.ds.query(`SELECT state, version FROM cases WHERE id = $1`, [app.case.caseId]))[0];

describe('another enterprise (瑞安市)', () => {
  it('cannot read, update or act on the application: 404, and nothing changes', async () => {
    const before = await caseState();
    expect((await get(intruder, `/api/certification-applications/${app.id}`)).status).toBe(404);
    expect((await get(intruder, `/api/certification-applications/${app.id}/eligibility`)).status).toBe(404);
    const put = await t
      .http()
      .put(`/api/certification-applications/${app.id}`)
      .set('Authorization', await auth(t, intruder))
      .send({ dataVersion: app.dataVersion, plan: '篡改' });
    expect(put.status).toBe(404);
    for (const action of ['withdraw', 'recommend', 'submit']) expect([action, (await act(t, intruder, app.id, { action })).status]).toEqual([action, 404]);
    expect((await get(intruder, `/api/cases/${app.caseRef}/attachments`)).status).toBe(404);
    expect(await caseState()).toEqual(before);
    const [row] = await t.ds.query(`SELECT plan, data_version FROM certification_applications WHERE id = $1`, [app.id]);
    expect(row).toEqual({ plan: app.plan, data_version: app.dataVersion });
  });

  it('does not see it in the list, even when filtering for it', async () => {
    expect(ids(await get(intruder, '/api/certification-applications'))).not.toContain(app.id);
    const filtered = await get(intruder, '/api/certification-applications', { filter: JSON.stringify({ enterpriseId: owner.organisationId }) });
    expect(filtered.status).toBe(200);
    expect(filtered.body).toEqual([]);
    expect(filtered.headers['content-range']).toMatch(/\/0$/);
    // the owner does (control)
    expect(ids(await get(owner, '/api/certification-applications'))).toEqual([app.id]);
  });

  it("sees none of the owner's certifications, subsidies or documents, in lists or by id", async () => {
    expect(ids(await get(intruder, '/api/certifications'))).toEqual([]);
    expect((await get(intruder, '/api/certifications', { filter: JSON.stringify({ enterpriseId: owner.organisationId }) })).body).toEqual([]);
    expect((await get(intruder, `/api/certifications/${certificationId}`)).status).toBe(404);
    expect(ids(await get(intruder, '/api/subsidies'))).toEqual([]);
    expect((await get(intruder, `/api/subsidies/${subsidyId}`)).status).toBe(404);
    expect((await get(intruder, '/api/subsidies/totals')).body).toEqual([]);
    expect(ids(await get(intruder, '/api/documents'))).toEqual([]);
    for (const id of documentIds) {
      expect((await get(intruder, `/api/documents/${id}`)).status).toBe(404);
      expect((await get(intruder, `/api/documents/${id}/download`)).status).toBe(404);
    }
    // nor may it pay, cancel or revoke them
    expect(
      (
        await t
          .http()
          .post(`/api/subsidies/${subsidyId}/cancel`)
          .set('Authorization', await auth(t, intruder))
          .send({ reason: '恶意撤销' })
      ).status,
    ).toBe(404);
    expect(
      (
        await t
          .http()
          .post(`/api/certifications/${certificationId}/revoke`)
          .set('Authorization', await auth(t, intruder))
          .send({ reason: '恶意撤销' })
      ).status,
    ).toBe(403);
    // the owner sees its own (control)
    expect(ids(await get(owner, '/api/certifications'))).toEqual([certificationId]);
    expect(ids(await get(owner, '/api/subsidies'))).toEqual([subsidyId]);
    expect(ids(await get(owner, '/api/documents')).sort()).toEqual(documentIds);
  });
});

describe('a county reviewer of another county (瑞安市)', () => {
  it('gets 404 on the application and cannot act on it, while 鹿城区 can read it', async () => {
    const before = await caseState();
    expect((await get('county_ruian', `/api/certification-applications/${app.id}`)).status).toBe(404);
    expect((await get('county_ruian', `/api/certification-applications/${app.id}/eligibility`)).status).toBe(404);
    expect(ids(await get('county_ruian', '/api/certification-applications'))).not.toContain(app.id);
    for (const body of [
      { action: 'recommend', comment: '同意' },
      { action: 'reject', comment: '不同意' },
      { action: 'return', items: ['补充材料'] },
    ]) {
      expect([body.action, (await act(t, 'county_ruian', app.id, body)).status]).toEqual([body.action, 404]);
    }
    expect(await caseState()).toEqual(before);
    expect((await get('county_ruian', `/api/certifications/${certificationId}`)).status).toBe(404);
    expect((await get('county_ruian', `/api/subsidies/${subsidyId}`)).status).toBe(404);
    for (const id of documentIds) expect((await get('county_ruian', `/api/documents/${id}`)).status).toBe(404);

    const own = await get('county', `/api/certification-applications/${app.id}`);
    expect(own.status).toBe(200);
    expect(own.body.case.allowedActions.map((a: { action: string }) => a.action)).toContain('recommend');
  });
});

describe('finance', () => {
  it('of another county cannot see or pay the subsidy (404); a county reviewer cannot pay (403); nothing changes', async () => {
    expect((await get('finance_ruian', `/api/subsidies/${subsidyId}`)).status).toBe(404);
    expect(ids(await get('finance_ruian', '/api/subsidies'))).not.toContain(subsidyId);
    const notice = (await t.ds.query(`SELECT id::int FROM documents WHERE kind = 'subsidy_notice' AND subject_key = $1`, [`subsidy:${subsidyId}`]))[0].id;
    expect((await get('finance_ruian', `/api/documents/${notice}`)).status).toBe(404);
    expect(ids(await get('finance_ruian', '/api/documents'))).not.toContain(notice);
    const pay = { voucherNo: 'RA-2025-0001', paidAt: portalToday(), amountYuan: 50000 };
    expect(
      (
        await t
          .http()
          .post(`/api/subsidies/${subsidyId}/pay`)
          .set('Authorization', await auth(t, 'finance_ruian'))
          .send(pay)
      ).status,
    ).toBe(404);
    // the county reviewer of 鹿城区 sees the subsidy but paying is finance's
    expect((await get('county', `/api/subsidies/${subsidyId}`)).status).toBe(200);
    const byCounty = await t
      .http()
      .post(`/api/subsidies/${subsidyId}/pay`)
      .set('Authorization', await auth(t, 'county'))
      .send(pay);
    expect(byCounty.status).toBe(403);
    // the city and the owner see it but cannot record a payment; another enterprise of 鹿城区 cannot see it
    for (const [who, status] of [
      ['city', 403],
      [owner, 403],
      ['enterprise', 404],
    ] as const) {
      expect(
        (
          await t
            .http()
            .post(`/api/subsidies/${subsidyId}/pay`)
            .set('Authorization', await auth(t, who))
            .send(pay)
        ).status,
      ).toBe(status);
    }
    const [row] = await t.ds.query(`SELECT status, voucher_no, version FROM subsidies WHERE id = $1`, [subsidyId]);
    expect(row).toEqual({ status: 'pending', voucher_no: null, version: 1 });
    expect(await countOf(t, `SELECT count(*)::int AS n FROM subsidy_events WHERE subsidy_id = $1 AND action = 'pay'`, [subsidyId])).toBe(0);

    // a payment without its voucher number is refused in the words of the form (拨付凭证号), not by the property's name
    const noVoucher = await t
      .http()
      .post(`/api/subsidies/${subsidyId}/pay`)
      .set('Authorization', await auth(t, 'finance'))
      .send({ ...pay, voucherNo: '' });
    expect([noVoucher.status, noVoucher.body.message]).toEqual([400, '输入有误 — 拨付凭证号：长度不能少于 2 个字符']);
    expect(noVoucher.body.details).toEqual([{ field: 'voucherNo', messages: ['长度不能少于 2 个字符'] }]);

    // finance of 鹿城区 sees the notice and pays (control)
    expect((await get('finance', `/api/documents/${notice}`)).status).toBe(200);
    const paid = await t
      .http()
      .post(`/api/subsidies/${subsidyId}/pay`)
      .set('Authorization', await auth(t, 'finance'))
      .send(pay);
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('paid');
  });
});

describe('the expert panel', () => {
  it('an expert who recused cannot score afterwards (403); an expert not on the panel cannot read the application (404)', async () => {
    expect((await act(t, 'county', app.id, { action: 'recommend', comment: '同意推荐' })).body.case.state).toBe('city_review');
    const panel = await Promise.all(['expert1', 'expert2', 'expert3', 'expert4'].map((u) => userId(t, u)));
    expect((await act(t, 'city', app.id, { action: 'send_to_panel', panel })).body.case.state).toBe('panel');

    // before recusing, expert1 may read it and has scoring among its actions
    const seen = await get('expert1', `/api/certification-applications/${app.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.case.allowedActions.map((a: { action: string }) => a.action).sort()).toEqual(['recuse', 'score']);

    const recused = await act(t, 'expert1', app.id, { action: 'recuse', comment: '与申请企业存在合作关系，申请回避' });
    expect(recused.status).toBe(200);
    expect(recused.body.case.allowedActions).toEqual([]);
    const late = await act(t, 'expert1', app.id, { action: 'score', scores: SCORES });
    expect(late.status).toBe(403);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM tasks WHERE case_id = $1 AND kind = 'panel' AND score IS NOT NULL`, [app.case.caseId])).toBe(0);

    // not on the panel: cannot read, list, score or recuse
    expect((await get('expert_out', `/api/certification-applications/${app.id}`)).status).toBe(404);
    expect(ids(await get('expert_out', '/api/certification-applications'))).toEqual([]);
    expect((await act(t, 'expert_out', app.id, { action: 'score', scores: SCORES })).status).toBe(404);
    expect((await act(t, 'expert_out', app.id, { action: 'recuse', comment: '回避' })).status).toBe(404);
    // experts still on the panel may read it; the panel completes without the recused one
    expect((await get('expert4', `/api/certification-applications/${app.id}`)).status).toBe(200);
    for (const u of ['expert2', 'expert3', 'expert4']) expect((await act(t, u, app.id, { action: 'score', scores: SCORES })).status).toBe(200);
    const [c] = await t.ds.query(`SELECT state FROM cases WHERE id = $1`, [app.case.caseId]);
    expect(c.state).toBe('publicity_pending');
    expect(await countOf(t, `SELECT count(*)::int AS n FROM tasks WHERE case_id = $1 AND kind = 'panel' AND score IS NOT NULL`, [app.case.caseId])).toBe(3);
  });
});

describe('fields outside the form', () => {
  it('the enterprise cannot PUT state, amountFen or other unknown fields: 400 naming the field, and nothing changes', async () => {
    const own = await draft(t, intruder); // its own draft
    const before = (
      await t.ds.query(
        `SELECT a.plan, a.evidence, a.data_version, c.state, c.version FROM certification_applications a JOIN cases c ON c.id = a.case_id WHERE a.id = $1`,
        [own.id],
      )
    )[0];
    const put = async (body: Record<string, unknown>) =>
      t
        .http()
        .put(`/api/certification-applications/${own.id}`)
        .set('Authorization', await auth(t, intruder))
        .send({ dataVersion: own.dataVersion, plan: '合法的修改', ...body });
    for (const [field, value] of [
      ['state', 'certified'],
      ['amountFen', 50_000_000],
      ['enterpriseId', owner.organisationId],
      ['id', 1],
      ['caseId', app.case.caseId],
    ] as const) {
      const res = await put({ [field]: value });
      expect([field, res.status]).toEqual([field, 400]);
      expect(res.body.code).toBe('VALIDATION');
      expect(res.body.message).toContain(field);
      expect(res.body.details).toEqual([{ field, messages: ['不允许的字段'] }]);
    }
    const nested = await put({ evidence: [{ type: 'internship', description: '实习', year: 2024, source: 'manual', verified: true }] });
    expect(nested.status).toBe(400);
    expect(nested.body.details).toEqual([{ field: 'evidence.0.verified', messages: ['不允许的字段'] }]);
    const declared = await put({ declarations: { noMajorAccident: true, notDishonest: true, mainBusinessNotEducation: true, approvedByCity: true } });
    expect(declared.status).toBe(400);
    expect(declared.body.details).toEqual([{ field: 'declarations.approvedByCity', messages: ['不允许的字段'] }]);

    const after = (
      await t.ds.query(
        `SELECT a.plan, a.evidence, a.data_version, c.state, c.version FROM certification_applications a JOIN cases c ON c.id = a.case_id WHERE a.id = $1`,
        [own.id],
      )
    )[0];
    expect(after).toEqual(before);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certifications WHERE enterprise_id = $1`, [intruder.organisationId])).toBe(0);
    // the same form without the extra field is saved (control)
    expect((await put({})).status).toBe(200);
  });
});
