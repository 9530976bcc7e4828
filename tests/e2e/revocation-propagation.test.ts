import { CertificationsService } from '@portal/certification';
import { addDays, portalToday, type CaseEventDto, type CertificationDto, type SubsidyDto } from '@portal/contracts';
import { startTestApp, userId, type TestApp } from '@portal/testing';
import { auth, certified, cityReviewer, countOf, newApplicant } from '../support/certification.js';

/**
 * Issue 9, items 1, 4 and 6: a revocation carries through everywhere (the application, the lists, the
 * verification of both documents, the enterprise and finance are told, who revoked is kept), payments and
 * recoveries are checked against the notice (amount, Asia/Shanghai dates) and a recovery has its own
 * voucher, and every change of the certification's money or standing is an event on its case's hash chain.
 */

let t: TestApp;
let decider: string;
beforeAll(async () => {
  t = await startTestApp();
  decider = await cityReviewer(t, 'prop_decider');
});
afterAll(() => t.close());

const WAN = 1_000_000; // 1万元 in fen

async function subsidyOf(enterpriseId: number, level = 'city'): Promise<SubsidyDto> {
  const res = await t
    .http()
    .get('/api/subsidies')
    .query({ filter: JSON.stringify({ enterpriseId }) })
    .set('Authorization', await auth(t, 'finance'));
  expect(res.status).toBe(200);
  return res.body.find((s: SubsidyDto) => s.level === level);
}

async function certificationOf(
  enterpriseId: number,
  as: string | { username: string; password?: string; organisationId: number } = 'city',
): Promise<CertificationDto> {
  const res = await t
    .http()
    .get('/api/certifications')
    .query({ filter: JSON.stringify({ enterpriseId }) })
    .set('Authorization', await auth(t, as));
  expect(res.status).toBe(200);
  return res.body[0];
}

const verifyCodeOf = async (kind: string, subjectKey: string): Promise<string> =>
  (await t.ds.query(`SELECT verify_code FROM documents WHERE kind = $1 AND subject_key = $2`, [kind, subjectKey]))[0].verify_code;
const verify = async (code: string) => (await t.http().get(`/api/verify/${code}`)).body;

async function eventsOf(caseRef: string): Promise<CaseEventDto[]> {
  const res = await t
    .http()
    .get(`/api/cases/${caseRef}/events`)
    .set('Authorization', await auth(t, 'admin'));
  expect(res.status).toBe(200);
  return res.body;
}
async function chainValid(caseRef: string): Promise<boolean> {
  return (
    await t
      .http()
      .get(`/api/cases/${caseRef}/events/verify`)
      .set('Authorization', await auth(t, 'admin'))
  ).body.valid;
}

const pay = async (id: number, body: Record<string, unknown>) =>
  t
    .http()
    .post(`/api/subsidies/${id}/pay`)
    .set('Authorization', await auth(t, 'finance'))
    .send(body);
const recover = async (id: number, body: Record<string, unknown>) =>
  t
    .http()
    .post(`/api/subsidies/${id}/recover`)
    .set('Authorization', await auth(t, 'finance'))
    .send(body);

describe('a revocation carries through', () => {
  it('the application, lists, both documents, who revoked, the enterprise and finance told, the hash chain; recovery has its own voucher', async () => {
    const e = await newApplicant(t);
    const app = await certified(t, e, decider);
    const cert = await certificationOf(e.organisationId);
    expect(cert).toMatchObject({ status: 'active', applicationId: app.id });
    const subsidy = await subsidyOf(e.organisationId);
    expect(subsidy).toMatchObject({ status: 'notified', amountFen: 5 * WAN, noticeIssuedOn: portalToday() });

    // finance pays the notified amount, dated today (Asia/Shanghai)
    const today = portalToday();
    let res = await pay(subsidy.id, { voucherNo: 'LC-2026-0101', paidAt: today, amountYuan: 50000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'paid', voucherNo: 'LC-2026-0101', paidAt: today, paidAmountFen: 5 * WAN });

    const certificateCode = await verifyCodeOf('certificate', `certification:${cert.id}`);
    const noticeCode = await verifyCodeOf('subsidy_notice', `subsidy:${subsidy.id}`);
    expect(await verify(noticeCode)).toMatchObject({ status: 'valid', statusLabel: '有效' });

    // the city revokes: who revoked is kept
    res = await t
      .http()
      .post(`/api/certifications/${cert.id}/revoke`)
      .set('Authorization', await auth(t, 'city'))
      .send({ reason: '申报材料弄虚作假' });
    expect(res.status).toBe(200);
    const cityId = await userId(t, 'city');
    expect(res.body).toMatchObject({ status: 'revoked', revokeReason: '申报材料弄虚作假', revokedBy: cityId });
    expect(res.body.revokedByName).toEqual(expect.any(String));
    await t.drain();

    // the application no longer reads 已认定: on its page, in the lists, for the enterprise and the city
    for (const who of [e, 'city'] as const) {
      const one = await t
        .http()
        .get(`/api/certification-applications/${app.id}`)
        .set('Authorization', await auth(t, who));
      expect(one.body.case).toMatchObject({ state: 'revoked', stateLabel: '已撤销认定', allowedActions: [] });
      const list = await t
        .http()
        .get('/api/certification-applications')
        .query({ filter: JSON.stringify({ enterpriseId: e.organisationId }) })
        .set('Authorization', await auth(t, who));
      expect(list.body.map((a: { id: number; case: { state: string } }) => [a.id, a.case.state])).toEqual([[app.id, 'revoked']]);
    }
    expect(await certificationOf(e.organisationId, e)).toMatchObject({ status: 'revoked', revokedBy: cityId });
    // filtering applications by the revoked state finds it
    const byState = await t
      .http()
      .get('/api/certification-applications')
      .query({ filter: JSON.stringify({ state: 'revoked' }) })
      .set('Authorization', await auth(t, 'city'));
    expect(byState.body.map((a: { id: number }) => a.id)).toContain(app.id);

    // both documents verify as their subject now stands
    expect(await verify(certificateCode)).toMatchObject({ status: 'revoked', statusLabel: '已撤销', revokeReason: '认定资格已撤销：申报材料弄虚作假' });
    const noticeAfterRevoke = await verify(noticeCode);
    expect(noticeAfterRevoke.status).toBe('revoked');
    expect(noticeAfterRevoke.statusLabel).toContain('待追回');
    expect((await subsidyOf(e.organisationId)).status).toBe('to_recover');

    // the revocation is on the application's chain: who, when, why
    const revokeEvent = (await eventsOf(app.caseRef)).find((ev) => ev.action === 'revoke')!;
    expect(revokeEvent).toMatchObject({ actorId: cityId, fromState: 'certified', toState: 'revoked', comment: '申报材料弄虚作假' });
    expect(revokeEvent.payload).toMatchObject({
      certificationId: cert.id,
      subsidies: [{ id: subsidy.id, from: 'paid', to: 'to_recover', amountFen: 5 * WAN }],
    });
    expect(Date.parse(revokeEvent.at)).not.toBeNaN();

    // the enterprise and 鹿城区 finance are told
    const entNotes = (
      await t
        .http()
        .get('/api/notifications')
        .set('Authorization', await auth(t, e))
    ).body;
    expect(entNotes.find((n: { title: string }) => n.title.includes('已撤销认定'))).toMatchObject({
      caseId: app.case.caseId,
      body: expect.stringContaining('申报材料弄虚作假'),
    });
    const financeNotes = (
      await t
        .http()
        .get('/api/notifications')
        .set('Authorization', await auth(t, 'finance'))
    ).body;
    expect(financeNotes.find((n: { kind: string; caseId: number }) => n.kind === 'subsidy_to_recover' && n.caseId === app.case.caseId)).toMatchObject({
      body: expect.stringContaining('须追回'),
    });

    // recovery: its own voucher, amount and date, checked against the payment
    const toRecover = await subsidyOf(e.organisationId);
    expect((await recover(toRecover.id, { voucherNo: 'ZH-2026-0001', recoveredAt: today, amountYuan: 50000.01 })).status).toBe(400);
    const early = await recover(toRecover.id, { voucherNo: 'ZH-2026-0001', recoveredAt: addDays(portalToday(), -1), amountYuan: 50000 });
    expect(early.status).toBe(400);
    expect(early.body.details).toEqual([{ field: 'recoveredAt', messages: [expect.stringContaining('不能早于')] }]);
    expect((await recover(toRecover.id, { voucherNo: 'ZH-2026-0001', recoveredAt: addDays(portalToday(), 1), amountYuan: 50000 })).status).toBe(400);
    expect((await recover(toRecover.id, { voucherNo: 'ZH-2026-0001', recoveredAt: today })).status).toBe(400); // no amount
    res = await recover(toRecover.id, { voucherNo: 'ZH-2026-0001', recoveredAt: today, amountYuan: 50000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'recovered',
      // the payment's voucher stands
      voucherNo: 'LC-2026-0101',
      paidAt: today,
      paidAmountFen: 5 * WAN,
      recoveryVoucherNo: 'ZH-2026-0001',
      recoveredAt: today,
      recoveredAmountFen: 5 * WAN,
    });
    await t.drain();
    expect(await verify(noticeCode)).toMatchObject({ status: 'revoked', statusLabel: '已追回' });

    // pay and recover are on the chain too, under the finance official, and the chain verifies
    const financeId = await userId(t, 'finance');
    const events = await eventsOf(app.caseRef);
    expect(events.filter((ev) => ev.action.startsWith('subsidy_')).map((ev) => [ev.action, ev.actorId, ev.comment])).toEqual([
      ['subsidy_pay', financeId, '拨付凭证 LC-2026-0101'],
      ['subsidy_recover', financeId, '追回凭证 ZH-2026-0001'],
    ]);
    expect(events.find((ev) => ev.action === 'subsidy_recover')!.payload).toMatchObject({
      subsidyId: subsidy.id,
      from: 'to_recover',
      to: 'recovered',
      recovered_amount_fen: 5 * WAN,
      recovery_voucher_no: 'ZH-2026-0001',
    });
    expect(await chainValid(app.caseRef)).toBe(true);
  });

  it('a certificate issued after its certification was revoked (a queue out of order) is born revoked', async () => {
    const e = await newApplicant(t);
    const certifications = t.app.get(CertificationsService);
    const { id } = await t.ds.transaction((em) =>
      certifications.grant(em, { enterpriseId: e.organisationId, level: 'city', source: 'portal', certifiedAt: portalToday(), actorId: null }),
    );
    // the issue jobs are held back; the revocation's jobs run first
    await t.ds.query(`UPDATE outbox SET available_at = now() + interval '1 day' WHERE job_name = 'documents.issue' AND processed_at IS NULL`);
    expect(
      (
        await t
          .http()
          .post(`/api/certifications/${id}/revoke`)
          .set('Authorization', await auth(t, 'city'))
          .send({ reason: '列入严重失信主体名单' })
      ).status,
    ).toBe(200);
    await t.drain();
    await t.ds.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'documents.issue' AND processed_at IS NULL`);
    await t.drain();
    expect(await verify(await verifyCodeOf('certificate', `certification:${id}`))).toMatchObject({
      status: 'revoked',
      statusLabel: '已撤销',
      revokeReason: '认定资格已撤销：列入严重失信主体名单',
    });
    const [s] = await t.ds.query(`SELECT id FROM subsidies WHERE certification_id = $1`, [id]);
    expect(await verify(await verifyCodeOf('subsidy_notice', `subsidy:${s.id}`))).toMatchObject({ status: 'revoked', statusLabel: '已撤销' });
  });

  it('a cancellation is on the chain with its reason', async () => {
    const e = await newApplicant(t);
    const app = await certified(t, e, decider);
    const subsidy = await subsidyOf(e.organisationId);
    const res = await t
      .http()
      .post(`/api/subsidies/${subsidy.id}/cancel`)
      .set('Authorization', await auth(t, 'city'))
      .send({ reason: '企业主动放弃补助' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    await t.drain();
    const ev = (await eventsOf(app.caseRef)).find((x) => x.action === 'subsidy_cancel')!;
    expect(ev).toMatchObject({
      actorId: await userId(t, 'city'),
      comment: '企业主动放弃补助',
      payload: { subsidyId: subsidy.id, from: 'notified', to: 'cancelled' },
    });
    expect(await chainValid(app.caseRef)).toBe(true);
    expect(await verify(await verifyCodeOf('subsidy_notice', `subsidy:${subsidy.id}`))).toMatchObject({ status: 'revoked', statusLabel: '已撤销' });
  });
});

describe('payments are checked against the notice', () => {
  it('refuses a payment dated 1900, before the notice, in the future or on no real day, and any amount but the notified one; writes nothing', async () => {
    const e = await newApplicant(t);
    await certified(t, e, decider);
    const s = await subsidyOf(e.organisationId);
    const today = portalToday();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ voucherNo: 'LC-1900', paidAt: '1900-01-01', amountYuan: 50000 }, 'paidAt', '不能早于'],
      [{ voucherNo: 'LC-EARLY', paidAt: addDays(portalToday(), -1), amountYuan: 50000 }, 'paidAt', '不能早于'],
      [{ voucherNo: 'LC-FUTURE', paidAt: addDays(portalToday(), 1), amountYuan: 50000 }, 'paidAt', '不能晚于今天'],
      [{ voucherNo: 'LC-NODAY', paidAt: '2026-02-30', amountYuan: 50000 }, 'paidAt', '有效的日期'],
      [{ voucherNo: 'LC-ONE', paidAt: today, amountYuan: 1 }, 'amountYuan', '50000'],
      [{ voucherNo: 'LC-LESS', paidAt: today, amountYuan: 49999.99 }, 'amountYuan', '50000'],
      [{ voucherNo: 'LC-MORE', paidAt: today, amountYuan: 50001 }, 'amountYuan', '50000'],
    ];
    for (const [body, field, words] of cases) {
      const res = await pay(s.id, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.details).toEqual([{ field, messages: [expect.stringContaining(words)] }]);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await subsidyOf(e.organisationId)).toMatchObject({ status: 'notified', voucherNo: null, paidAt: null, version: s.version });
    expect(await countOf(t, `SELECT count(*)::int AS n FROM subsidy_events WHERE subsidy_id = $1 AND action = 'pay'`, [s.id])).toBe(0);
    const ok = await pay(s.id, { voucherNo: 'LC-OK', paidAt: today, amountYuan: 50000 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'paid', paidAmountFen: 5 * WAN });
  });
});
