import { CertificationsService } from '@portal/certification';
import { addDays, addYears, portalDate, portalToday, startOfPortalDay, type CertificationLevel, type SubsidyDto } from '@portal/contracts';
import { startTestApp, type TestApp } from '@portal/testing';
import {
  act,
  atDecision,
  auth,
  certified,
  cityReviewer,
  countOf,
  draft,
  FILLED_FORM,
  newApplicant,
  setSetting,
  submitted,
  type Applicant,
} from '../support/certification.js';

/**
 * The rules of 产教融合型企业认定 over HTTP (DOMAIN.md §1, tasks 21-22): revocation and the years after it,
 * the subsidy per level under each policy setting, one subsidy per enterprise and level, one draft per
 * enterprise, the form's optimistic version, and the city's batch decision with its document batch.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const WAN = 1_000_000; // 1万元 in fen

/** A city certification granted as the certify effect grants it (setup; the effect itself is tested elsewhere). */
async function grantCity(enterpriseId: number, certifiedAt = '2025-03-01'): Promise<number> {
  const certifications = t.app.get(CertificationsService);
  const { id } = await t.ds.transaction((em) => certifications.grant(em, { enterpriseId, level: 'city', source: 'portal', certifiedAt, actorId: null }));
  return id;
}

/** The city records a provincial or national certification (POST /api/certifications). */
async function record(enterpriseId: number, level: Exclude<CertificationLevel, 'city'>, certifiedAt = '2025-05-01') {
  return t
    .http()
    .post('/api/certifications')
    .set('Authorization', await auth(t, 'city'))
    .send({ enterpriseId, level, documentNo: level === 'national' ? '发改社会〔2025〕88号' : '浙发改社会〔2025〕12号', certifiedAt });
}

async function subsidiesOf(enterpriseId: number): Promise<SubsidyDto[]> {
  const res = await t
    .http()
    .get('/api/subsidies')
    .query({ filter: JSON.stringify({ enterpriseId }) })
    .set('Authorization', await auth(t, 'city'));
  expect(res.status).toBe(200);
  return res.body;
}
const amounts = async (enterpriseId: number) => Object.fromEntries((await subsidiesOf(enterpriseId)).map((s) => [s.level, [s.amountFen, s.policy]]));

const verifyCodeOf = async (kind: string, subjectKey: string): Promise<string> =>
  (await t.ds.query(`SELECT verify_code FROM documents WHERE kind = $1 AND subject_key = $2`, [kind, subjectKey]))[0].verify_code;

describe('revocation', () => {
  it('revokes the certificate at once, cancels an unpaid subsidy, marks a paid one to recover, and blocks new applications for 5 years', async () => {
    const e = await newApplicant(t);
    const cityId = await grantCity(e.organisationId);
    const rec = await record(e.organisationId, 'provincial');
    expect(rec.status).toBe(201);
    const provincialId = rec.body.id;
    await t.drain();

    // finance of 鹿城区 pays the city subsidy; the provincial one stays unpaid
    const before = await subsidiesOf(e.organisationId);
    const citySubsidy = before.find((s) => s.level === 'city')!;
    const provincialSubsidy = before.find((s) => s.level === 'provincial')!;
    expect(citySubsidy).toMatchObject({ status: 'notified', amountFen: 5 * WAN, certificationId: cityId });
    expect(provincialSubsidy).toMatchObject({ status: 'notified', amountFen: 20 * WAN, certificationId: provincialId });
    const paid = await t
      .http()
      .post(`/api/subsidies/${citySubsidy.id}/pay`)
      .set('Authorization', await auth(t, 'finance'))
      .send({ voucherNo: 'LC-2025-0099', paidAt: portalToday(), amountYuan: 50000 });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('paid');

    const certificateCode = await verifyCodeOf('certificate', `certification:${cityId}`);
    expect((await t.http().get(`/api/verify/${certificateCode}`)).body.status).toBe('valid');

    // an enterprise cannot revoke, and a reason is required
    expect(
      (
        await t
          .http()
          .post(`/api/certifications/${cityId}/revoke`)
          .set('Authorization', await auth(t, e))
          .send({ reason: '自行撤销' })
      ).status,
    ).toBe(403);
    expect(
      (
        await t
          .http()
          .post(`/api/certifications/${cityId}/revoke`)
          .set('Authorization', await auth(t, 'city'))
          .send({})
      ).status,
    ).toBe(400);

    let res = await t
      .http()
      .post(`/api/certifications/${cityId}/revoke`)
      .set('Authorization', await auth(t, 'city'))
      .send({ reason: '申报材料弄虚作假' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: cityId, status: 'revoked', revokeReason: '申报材料弄虚作假' });
    res = await t
      .http()
      .post(`/api/certifications/${provincialId}/revoke`)
      .set('Authorization', await auth(t, 'city'))
      .send({ reason: '列入严重失信主体名单' });
    expect(res.status).toBe(200);
    expect(
      (
        await t
          .http()
          .post(`/api/certifications/${cityId}/revoke`)
          .set('Authorization', await auth(t, 'city'))
          .send({ reason: '再次撤销' })
      ).status,
    ).toBe(409);
    await t.drain();

    // the verification page says revoked, with the reason
    expect((await t.http().get(`/api/verify/${certificateCode}`)).body).toMatchObject({ status: 'revoked', revokeReason: '认定资格已撤销：申报材料弄虚作假' });
    const after = await subsidiesOf(e.organisationId);
    expect(after.find((s) => s.level === 'city')).toMatchObject({ status: 'to_recover', paidAmountFen: 5 * WAN, cancelReason: '认定撤销：申报材料弄虚作假' });
    expect(after.find((s) => s.level === 'provincial')).toMatchObject({
      status: 'cancelled',
      noticeDocumentId: null,
      cancelReason: '认定撤销：列入严重失信主体名单',
    });
    // neither notice stands: the cancelled subsidy's reads 已撤销, the paid one's says the money is to be recovered
    expect((await t.http().get(`/api/verify/${await verifyCodeOf('subsidy_notice', `subsidy:${provincialSubsidy.id}`)}`)).body).toMatchObject({
      status: 'revoked',
      statusLabel: '已撤销',
    });
    expect((await t.http().get(`/api/verify/${await verifyCodeOf('subsidy_notice', `subsidy:${citySubsidy.id}`)}`)).body).toMatchObject({
      status: 'revoked',
      statusLabel: '已撤销（补助待追回）',
    });
    const events = await t.ds.query(
      `SELECT subsidy_id::int AS id, from_status, to_status FROM subsidy_events WHERE action = 'revoke_certification' AND subsidy_id = ANY($1) ORDER BY id`,
      [[citySubsidy.id, provincialSubsidy.id]],
    );
    expect(events).toEqual([
      { id: citySubsidy.id, from_status: 'paid', to_status: 'to_recover' },
      { id: provincialSubsidy.id, from_status: 'pending', to_status: 'cancelled' },
    ]);

    // no new application for 5 years after the latest revocation: 409 naming the date
    const [{ at }] = await t.ds.query(`SELECT max(revoked_at) AS at FROM certifications WHERE enterprise_id = $1`, [e.organisationId]);
    const until = portalDate(new Date(at));
    res = await t
      .http()
      .post('/api/certification-applications')
      .set('Authorization', await auth(t, e))
      .send({ year: 2025 });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('5 年内不得再次申报');
    // the date a Wenzhou user reads: the same calendar day five years on (not the UTC day)
    expect(res.body.message).toContain(addYears(until, 5));
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certification_applications WHERE enterprise_id = $1`, [e.organisationId])).toBe(0);

    // with the setting at 0 the enterprise may apply again at once
    await setSetting(t, 'certification.blockYearsAfterRevocation', 0);
    try {
      res = await t
        .http()
        .post('/api/certification-applications')
        .set('Authorization', await auth(t, e))
        .send({ year: 2025 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ enterpriseId: e.organisationId, case: { state: 'draft' } });
      // …and its pre-check no longer blocks on the revocation
      const rules = await t
        .http()
        .get(`/api/certification-applications/${res.body.id}/eligibility`)
        .set('Authorization', await auth(t, e));
      expect(rules.body.find((r: { code: string }) => r.code === 'not_blocked')).toMatchObject({ status: 'pass', label: '撤销认定后 0 年内不得申报' });
    } finally {
      await setSetting(t, 'certification.blockYearsAfterRevocation', 5);
    }
  });

  it('counts the 5 years in Wenzhou calendar dates: revoked on date R, blocked before R + 5 years, allowed from that date, at any hour', async () => {
    // the portal's today (the application's clock; CI runs this file under faketime at 00:30 and 23:30 Wenzhou time)
    const today = portalToday();
    // the latest revocation date still blocking today (normally five years ago tomorrow), and the earliest one no
    // longer blocking (five years ago today); a 29 February is folded onto the 28th by the calendar arithmetic
    let blockingDay = addYears(today, -5);
    while (addYears(blockingDay, 5) <= today) blockingDay = addDays(blockingDay, 1);
    let freeDay = addYears(today, -5);
    while (addYears(freeDay, 5) > today) freeDay = addDays(freeDay, -1);
    const ends = addYears(blockingDay, 5);
    // at 00:30 in Wenzhou (16:30 UTC the day before: a UTC date would end the block a day early) and at 23:30 (an
    // instant compared with an instant would still block on the last day until 23:30)
    const at0030 = (day: string) => new Date(startOfPortalDay(day).getTime() + 30 * 60_000);
    const at2330 = (day: string) => new Date(startOfPortalDay(day).getTime() + (23 * 60 + 30) * 60_000);

    const blocked = await newApplicant(t);
    const withDraft = await newApplicant(t);
    const allowed = await newApplicant(t);
    const revoke = async (who: Applicant, at: Date) =>
      t.ds.query(`UPDATE certifications SET revoked_at = $2, revoke_reason = '测试' WHERE id = $1`, [await grantCity(who.organisationId, '2019-01-10'), at]);
    // an enterprise whose application was opened before the revocation reads the same date in its pre-check
    const open = await draft(t, withDraft);
    await revoke(blocked, at0030(blockingDay));
    await revoke(withDraft, at0030(blockingDay));
    await revoke(allowed, at2330(freeDay));

    const res = await t
      .http()
      .post('/api/certification-applications')
      .set('Authorization', await auth(t, blocked))
      .send({ year: 2025 });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(`认定资格被撤销后 5 年内不得再次申报（${ends} 前不得再次申报，${ends} 起可申报）`);
    const rules = await t
      .http()
      .get(`/api/certification-applications/${open.id}/eligibility`)
      .set('Authorization', await auth(t, withDraft));
    expect(rules.body.find((r: { code: string }) => r.code === 'not_blocked')).toMatchObject({
      status: 'block',
      message: `认定资格于 ${blockingDay} 被撤销，${ends} 前不得再次申报（${ends} 起可申报）`,
    });

    // revoked on the same date five years ago: the block has ended today, at whatever hour
    const fresh = await t
      .http()
      .post('/api/certification-applications')
      .set('Authorization', await auth(t, allowed))
      .send({ year: 2025 });
    expect(fresh.status).toBe(201);
    const freshRules = await t
      .http()
      .get(`/api/certification-applications/${fresh.body.id}/eligibility`)
      .set('Authorization', await auth(t, allowed));
    expect(freshRules.body.find((r: { code: string }) => r.code === 'not_blocked')).toMatchObject({ status: 'pass' });
  });

  it('counts a city certification as standing through its valid_until date, in Wenzhou calendar dates', async () => {
    const today = portalToday();
    const e = await newApplicant(t);
    const app = await draft(t, e);
    const id = await grantCity(e.organisationId, '2019-01-10');
    const notCertified = async () =>
      (
        await t
          .http()
          .get(`/api/certification-applications/${app.id}/eligibility`)
          .set('Authorization', await auth(t, e))
      ).body.find((r: { code: string }) => r.code === 'not_certified');
    // …and the certifications list's status filters say the same
    const listed = async (status: string) =>
      (
        await t
          .http()
          .get('/api/certifications')
          .query({ filter: JSON.stringify({ enterpriseId: e.organisationId, status }) })
          .set('Authorization', await auth(t, 'city'))
      ).body.map((c: { id: number; status: string }) => [c.id, c.status]);
    await t.ds.query(`UPDATE certifications SET valid_until = $2 WHERE id = $1`, [id, today]);
    expect(await notCertified()).toMatchObject({ status: 'block' });
    expect(await listed('active')).toEqual([[id, 'active']]);
    expect(await listed('expired')).toEqual([]);
    await t.ds.query(`UPDATE certifications SET valid_until = $2 WHERE id = $1`, [id, addDays(today, -1)]);
    expect(await notCertified()).toMatchObject({ status: 'pass' });
    expect(await listed('active')).toEqual([]);
    expect(await listed('expired')).toEqual([[id, 'expired']]);
  });
});

describe('期满重新认定 (renewal after the city certification expires)', () => {
  it('certifies anew: the expired one is kept as 已过期, the new one stands with its certificate and annual reports; no second subsidy', async () => {
    const e = await newApplicant(t);
    const old = await grantCity(e.organisationId, '2019-01-10'); // valid until 2022-01-10
    await t.drain();
    const decider = await cityReviewer(t, 'renewal-decider');
    const app = await certified(t, e, decider);
    const rows = await t.ds.query<Array<{ id: string; application_id: string | null; valid_until: string; superseded: boolean; revoked_at: Date | null }>>(
      `SELECT id, application_id, to_char(valid_until, 'YYYY-MM-DD') AS valid_until, superseded_at IS NOT NULL AS superseded, revoked_at
         FROM certifications WHERE enterprise_id = $1 ORDER BY id`,
      [e.organisationId],
    );
    expect(rows.map((r) => [Number(r.id), r.application_id === null ? null : Number(r.application_id), r.superseded, r.revoked_at])).toEqual([
      [old, null, true, null],
      [expect.any(Number), app.id, false, null],
    ]);
    const renewed = Number(rows[1].id);
    expect(rows[1].valid_until).toBe(addYears(portalToday(), 3));
    const listed = await t
      .http()
      .get('/api/certifications')
      .query({ filter: JSON.stringify({ enterpriseId: e.organisationId }) })
      .set('Authorization', await auth(t, 'city'));
    expect(Object.fromEntries(listed.body.map((c: { id: number; status: string }) => [c.id, c.status]))).toEqual({ [old]: 'expired', [renewed]: 'active' });
    // the new certification's certificate and its annual report reminder; one subsidy, the first certification's
    expect(await countOf(t, `SELECT count(*)::int AS n FROM documents WHERE kind = 'certificate' AND subject_key = $1`, [`certification:${renewed}`])).toBe(1);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM outbox WHERE dedupe_key LIKE $1`, [`annual-report:${renewed}:%`])).toBe(1);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM subsidies WHERE enterprise_id = $1`, [e.organisationId])).toBe(1);
  });

  it('grants nothing new while the city certification still stands (its last valid day included)', async () => {
    const e = await newApplicant(t);
    const standing = await grantCity(e.organisationId);
    await t.ds.query(`UPDATE certifications SET valid_until = $2 WHERE id = $1`, [standing, portalToday()]);
    const again = await t.ds.transaction((em) =>
      t.app
        .get(CertificationsService)
        .grant(em, { enterpriseId: e.organisationId, level: 'city', source: 'portal', certifiedAt: portalToday(), actorId: null }),
    );
    expect(again).toEqual({ id: standing, created: false });
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certifications WHERE enterprise_id = $1 AND superseded_at IS NOT NULL`, [e.organisationId])).toBe(
      0,
    );
  });
});

describe('subsidy amounts per level and policy', () => {
  afterEach(async () => {
    await setSetting(t, 'certification.subsidyDifferenceOnly', 0);
    await setSetting(t, 'certification.subsidyCityYuan', 50_000);
  });

  it('full amounts by default: 5万 city, 20万 provincial, 50万 national', async () => {
    const e = await newApplicant(t);
    await grantCity(e.organisationId);
    expect((await record(e.organisationId, 'provincial')).status).toBe(201);
    expect((await record(e.organisationId, 'national')).status).toBe(201);
    expect(await amounts(e.organisationId)).toEqual({ city: [5 * WAN, 'full'], provincial: [20 * WAN, 'full'], national: [50 * WAN, 'full'] });

    // the notice states the amount in words
    await t.drain();
    const notices = await t.ds.query(
      `SELECT o.payload->'facts' AS facts FROM outbox o JOIN subsidies s ON o.payload->>'subjectKey' = 'subsidy:' || s.id WHERE o.job_name = 'documents.issue' AND s.enterprise_id = $1 ORDER BY s.id`,
      [e.organisationId],
    );
    expect(notices.map((n: { facts: Array<{ label: string; value: string }> }) => n.facts.find((f) => f.label === '补助金额')!.value)).toEqual([
      '人民币伍万元整（¥50,000.00）',
      '人民币贰拾万元整（¥200,000.00）',
      '人民币伍拾万元整（¥500,000.00）',
    ]);
  });

  it('only the difference when the setting says so: city 5万, provincial 15万, national 30万; national alone 50万', async () => {
    await setSetting(t, 'certification.subsidyDifferenceOnly', 1);
    const e = await newApplicant(t);
    await grantCity(e.organisationId);
    expect((await record(e.organisationId, 'provincial')).status).toBe(201);
    expect(await amounts(e.organisationId)).toEqual({ city: [5 * WAN, 'difference'], provincial: [15 * WAN, 'difference'] });
    expect((await record(e.organisationId, 'national')).status).toBe(201);
    expect(await amounts(e.organisationId)).toEqual({
      city: [5 * WAN, 'difference'],
      provincial: [15 * WAN, 'difference'],
      national: [30 * WAN, 'difference'],
    });

    const alone = await newApplicant(t);
    expect((await record(alone.organisationId, 'national')).status).toBe(201);
    expect(await amounts(alone.organisationId)).toEqual({ national: [50 * WAN, 'difference'] });
  });

  it('national after a provincial subsidy granted in full, then the policy switched to difference → 25万', async () => {
    const e = await newApplicant(t);
    await grantCity(e.organisationId);
    expect((await record(e.organisationId, 'provincial')).status).toBe(201);
    await setSetting(t, 'certification.subsidyDifferenceOnly', 1);
    expect((await record(e.organisationId, 'national')).status).toBe(201);
    expect(await amounts(e.organisationId)).toEqual({ city: [5 * WAN, 'full'], provincial: [20 * WAN, 'full'], national: [25 * WAN, 'difference'] });
  });

  it('never negative when the settings make a lower level larger', async () => {
    await setSetting(t, 'certification.subsidyDifferenceOnly', 1);
    await setSetting(t, 'certification.subsidyCityYuan', 300_000);
    const e = await newApplicant(t);
    await grantCity(e.organisationId);
    expect((await record(e.organisationId, 'provincial')).status).toBe(201);
    expect(await amounts(e.organisationId)).toEqual({ city: [30 * WAN, 'difference'], provincial: [0, 'difference'] });
  });

  it('one subsidy per enterprise and level, even after a revocation and a re-record', async () => {
    const e = await newApplicant(t);
    const first = await record(e.organisationId, 'provincial');
    expect(first.status).toBe(201);
    // a repeat answers the same certification
    const repeat = await record(e.organisationId, 'provincial');
    expect(repeat.status).toBe(200);
    expect(repeat.body.id).toBe(first.body.id);
    await t.drain();
    const [subsidy] = await subsidiesOf(e.organisationId);
    expect(subsidy).toMatchObject({ level: 'provincial', certificationId: first.body.id, status: 'notified' });

    expect(
      (
        await t
          .http()
          .post(`/api/certifications/${first.body.id}/revoke`)
          .set('Authorization', await auth(t, 'city'))
          .send({ reason: '认定文件撤回' })
      ).status,
    ).toBe(200);
    const again = await record(e.organisationId, 'provincial', '2025-06-01');
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
    expect(again.body.status).toBe('active');
    await t.drain();

    expect(await countOf(t, `SELECT count(*)::int AS n FROM certifications WHERE enterprise_id = $1 AND level = 'provincial'`, [e.organisationId])).toBe(2);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM subsidies WHERE enterprise_id = $1 AND level = 'provincial'`, [e.organisationId])).toBe(1);
    expect(await subsidiesOf(e.organisationId)).toEqual([expect.objectContaining({ id: subsidy.id, certificationId: first.body.id, status: 'cancelled' })]);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM documents WHERE kind = 'subsidy_notice' AND holder_org_id = $1`, [e.organisationId])).toBe(1);
  });

  it('a certification the city records goes on a hash chain: a confirmed record case, then its payment and revocation', async () => {
    const e = await newApplicant(t);
    const first = await record(e.organisationId, 'provincial');
    expect(first.status).toBe(201);
    const [c] = await t.ds.query<Array<{ record_case_id: string | null }>>(`SELECT record_case_id FROM certifications WHERE id = $1`, [first.body.id]);
    expect(c.record_case_id).not.toBeNull();
    const ref = `certification-record:${c.record_case_id}`;
    const city = await auth(t, 'city');
    const kase = await t.http().get(`/api/cases/${ref}`).set('Authorization', city);
    expect(kase.body).toMatchObject({ state: 'confirmed', ownerOrgId: e.organisationId });
    // the record itself, as an enterprise's confirmed proposal would be
    const records = await t
      .http()
      .get('/api/certification-records')
      .query({ filter: JSON.stringify({ caseId: Number(c.record_case_id) }) })
      .set('Authorization', city);
    expect(records.body).toEqual([expect.objectContaining({ enterpriseId: e.organisationId, level: 'provincial', documentNo: '浙发改社会〔2025〕12号' })]);
    // a repeat opens no second case
    expect((await record(e.organisationId, 'provincial')).status).toBe(200);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM cases WHERE owner_org_id = $1`, [e.organisationId])).toBe(1);

    await t.drain();
    const [subsidy] = await subsidiesOf(e.organisationId);
    const paid = await t
      .http()
      .post(`/api/subsidies/${subsidy.id}/pay`)
      .set('Authorization', await auth(t, 'finance'))
      .send({ voucherNo: 'SJ-2025-0001', paidAt: portalToday(), amountYuan: 200000 });
    expect(paid.status).toBe(200);
    const revoked = await t.http().post(`/api/certifications/${first.body.id}/revoke`).set('Authorization', city).send({ reason: '认定文件撤回' });
    expect(revoked.status).toBe(200);
    const events = (await t.http().get(`/api/cases/${ref}/events`).set('Authorization', city)).body as Array<{
      action: string;
      toState: string;
      actorId: number;
    }>;
    expect(events.map((x) => [x.action, x.toState])).toEqual([
      ['create', 'draft'],
      ['record', 'confirmed'],
      ['subsidy_pay', 'confirmed'],
      ['revoke', 'revoked'],
    ]);
    expect((await t.http().get(`/api/cases/${ref}/events/verify`).set('Authorization', city)).body).toEqual({ valid: true, events: 4 });
  });

  it('refuses to record a city level, a future date, or as anyone but the city', async () => {
    const e = await newApplicant(t);
    const post = async (who: string | Applicant, body: Record<string, unknown>) =>
      t
        .http()
        .post('/api/certifications')
        .set('Authorization', await auth(t, who))
        .send({ enterpriseId: e.organisationId, documentNo: '浙发改社会〔2025〕12号', certifiedAt: '2025-05-01', level: 'provincial', ...body });
    expect((await post('city', { level: 'city' })).status).toBe(400);
    // tomorrow in Wenzhou is refused, today in Wenzhou is accepted, at any hour (CI runs this file under faketime too)
    expect((await post('city', { certifiedAt: addDays(portalToday(), 1) })).status).toBe(400);
    for (const who of ['county', 'finance', 'enterprise', e] as const) expect((await post(who, {})).status).toBe(403);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certifications WHERE enterprise_id = $1`, [e.organisationId])).toBe(0);
  });
});

describe('the application form', () => {
  it('five concurrent "new application" requests make one draft', async () => {
    const e = await newApplicant(t);
    const token = await auth(t, e);
    // let the settings cache expire, so the request holding the lock has to read them again
    await new Promise((r) => setTimeout(r, 2100));
    const rs = await Promise.all(
      Array.from({ length: 5 }, () => t.http().post('/api/certification-applications').set('Authorization', token).send({ year: 2025 })),
    );
    expect(rs.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certification_applications WHERE enterprise_id = $1`, [e.organisationId])).toBe(1);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM cases WHERE owner_org_id = $1`, [e.organisationId])).toBe(1);
  });

  it('autosave from a stale dataVersion is a 409 and writes nothing', async () => {
    const e = await newApplicant(t);
    const app = await draft(t, e);
    const put = async (body: Record<string, unknown>) =>
      t
        .http()
        .put(`/api/certification-applications/${app.id}`)
        .set('Authorization', await auth(t, e))
        .send(body);
    const saved = await put({ dataVersion: app.dataVersion, plan: '第一个窗口保存的规划' });
    expect(saved.status).toBe(200);
    expect(saved.body.dataVersion).toBe(app.dataVersion + 1);

    const stale = await put({
      dataVersion: app.dataVersion,
      plan: '第二个窗口的旧版本',
      evidence: FILLED_FORM.evidence,
      declarations: FILLED_FORM.declarations,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: app.dataVersion + 1 } });
    const [row] = await t.ds.query(`SELECT plan, evidence, declarations, data_version FROM certification_applications WHERE id = $1`, [app.id]);
    expect(row).toEqual({
      plan: '第一个窗口保存的规划',
      evidence: [],
      declarations: { noMajorAccident: false, notDishonest: false, mainBusinessNotEducation: false },
      data_version: app.dataVersion + 1,
    });
  });

  it('a submitted application cannot be edited (409) and nothing changes', async () => {
    const e = await newApplicant(t);
    const app = await submitted(t, e);
    const res = await t
      .http()
      .put(`/api/certification-applications/${app.id}`)
      .set('Authorization', await auth(t, e))
      .send({ dataVersion: app.dataVersion, plan: '提交后偷偷修改' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CONFLICT');
    expect(res.body.message).toContain('县级初审');
    const [row] = await t.ds.query(`SELECT plan, data_version FROM certification_applications WHERE id = $1`, [app.id]);
    expect(row).toEqual({ plan: FILLED_FORM.plan, data_version: app.dataVersion });
  });
});

describe('batch decision', () => {
  it('certifies each application in 认定决定, reports the one that fails without stopping the others, and tracks the certificates as a document batch', async () => {
    const decider = await cityReviewer(t, 'city_batch');
    const apps = [];
    for (let i = 0; i < 3; i++) apps.push(await atDecision(t, await newApplicant(t)));
    const elsewhere = await submitted(t, await newApplicant(t)); // at 县级初审: not a decision to take
    const ids = [apps[0].id, elsewhere.id, apps[1].id, apps[2].id];

    // only the city may run batches
    expect(
      (
        await t
          .http()
          .post('/api/certification-applications/batch-actions')
          .set('Authorization', await auth(t, 'county'))
          .send({ ids, action: 'certify' })
      ).status,
    ).toBe(403);

    const res = await t
      .http()
      .post('/api/certification-applications/batch-actions')
      .set('Authorization', await auth(t, decider))
      .send({ ids, action: 'certify', comment: '经市级认定决定，予以认定' });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: apps[0].id, ok: true, state: 'certified' },
      { id: elsewhere.id, ok: false, status: 409, message: expect.stringContaining('县级初审') },
      { id: apps[1].id, ok: true, state: 'certified' },
      { id: apps[2].id, ok: true, state: 'certified' },
    ]);
    const batchId = res.body.batchId;
    expect(batchId).toEqual(expect.any(Number));
    await t.drain();

    const batch = await t
      .http()
      .get(`/api/document-batches/${batchId}`)
      .set('Authorization', await auth(t, decider));
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ id: batchId, kind: 'certificate', total: 3, done: 3, failed: 0, finished: true });
    const docs = await t
      .http()
      .get('/api/documents')
      .query({ filter: JSON.stringify({ batchId }) })
      .set('Authorization', await auth(t, decider));
    expect(docs.body.map((d: { kind: string; holderOrgId: number }) => [d.kind, d.holderOrgId]).sort()).toEqual(
      apps.map((a) => ['certificate', a.enterpriseId]).sort(),
    );

    // each certified once, with its subsidy; the other is untouched at 县级初审
    for (const a of apps) {
      expect(
        await countOf(t, `SELECT count(*)::int AS n FROM certifications WHERE application_id = $1 AND level = 'city' AND revoked_at IS NULL`, [a.id]),
      ).toBe(1);
      expect(
        await countOf(t, `SELECT count(*)::int AS n FROM subsidies WHERE enterprise_id = $1 AND level = 'city' AND amount_fen = $2`, [a.enterpriseId, 5 * WAN]),
      ).toBe(1);
    }
    const [c] = await t.ds.query(`SELECT state FROM cases WHERE id = $1`, [elsewhere.case.caseId]);
    expect(c.state).toBe('county_review');
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certifications WHERE enterprise_id = $1`, [elsewhere.enterpriseId])).toBe(0);

    // a second batch over the same ids: nothing certified twice
    const twice = await t
      .http()
      .post('/api/certification-applications/batch-actions')
      .set('Authorization', await auth(t, decider))
      .send({ ids: [apps[0].id], action: 'certify' });
    expect(twice.body.results).toEqual([{ id: apps[0].id, ok: false, status: 409, message: expect.any(String) }]);
    await t.drain();
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certifications WHERE application_id = $1`, [apps[0].id])).toBe(1);
  });

  it('the applicant cannot act on it', async () => {
    const e = await newApplicant(t);
    const app = await submitted(t, e);
    const res = await act(t, e, app.id, { action: 'recommend' });
    expect(res.status).toBe(403);
  });
});
