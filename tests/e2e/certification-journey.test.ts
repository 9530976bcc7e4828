import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addYears, CERTIFICATION_CHECKLIST, chineseDate, portalDate, portalToday } from '@portal/contracts';
import { demoPassword, registrationBody, startTestApp, tinyPdf, userId, type TestApp } from '@portal/testing';
import { bytesOf } from '../support/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const auth = async (u: string) => `Bearer ${await t.token(u)}`;

/** The text of a document's PDF as its holder downloads it (pdftotext, from poppler-utils). */
async function pdfText(documentId: number, authorization: string): Promise<string> {
  const res = await bytesOf(t.http().get(`/api/documents/${documentId}/download`).set('Authorization', authorization));
  expect(res.status).toBe(200);
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-pdf-'));
  try {
    writeFileSync(path.join(dir, 'doc.pdf'), res.body as Buffer);
    return execFileSync('pdftotext', ['-layout', path.join(dir, 'doc.pdf'), '-']).toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('产教融合型企业认定 over HTTP, from registration to a paid subsidy', () => {
  it('registers, applies, passes county, city, panel, 公示 and decision, gets a certificate, and finance pays', async () => {
    // an enterprise registers itself in 鹿城区
    const reg = registrationBody({ county: '330302', username: 'journey_ent' });
    reg.user.password = demoPassword();
    expect((await t.http().post('/api/auth/register-enterprise').send(reg)).status).toBe(201);
    const ent = await auth('journey_ent');
    // reviewers for the decision stage (separation of duties: not the one who did 市级复核)
    const [{ organisation_id: cityOrg }] = await t.ds.query(`SELECT organisation_id FROM users WHERE username = 'city'`);
    await t
      .http()
      .post('/api/users')
      .set('Authorization', await auth('admin'))
      .send({ username: 'city_decider', displayName: '市级认定决定', password: demoPassword(), organisationId: cityOrg, roles: ['city_reviewer'] });

    // a draft; a second POST (a refresh) answers the same draft
    let res = await t.http().post('/api/certification-applications').set('Authorization', ent).send({ year: 2025 });
    expect(res.status).toBe(201);
    const app = res.body;
    expect((await t.http().post('/api/certification-applications').set('Authorization', ent).send({ year: 2025 })).body.id).toBe(app.id);
    expect(app.case).toMatchObject({ state: 'draft', stateLabel: '填报中' });

    // the pre-check blocks an empty application
    res = await t.http().get(`/api/certification-applications/${app.id}/eligibility`).set('Authorization', ent);
    expect(
      res.body
        .filter((r: { status: string }) => r.status === 'block')
        .map((r: { code: string }) => r.code)
        .sort(),
    ).toEqual(['attachments', 'evidence_count', 'main_business', 'no_major_accident', 'not_dishonest']);
    res = await t.http().post(`/api/certification-applications/${app.id}/actions`).set('Authorization', ent).send({ action: 'submit' });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('资格预审');

    // fill the form (saved on the server), attach the checklist
    res = await t
      .http()
      .put(`/api/certification-applications/${app.id}`)
      .set('Authorization', ent)
      .send({
        dataVersion: app.dataVersion,
        plan: '三年内与温州职业技术学院共建电气自动化产业学院，每年接收实习生 30 名。',
        declarations: { noMajorAccident: true, notDishonest: true, mainBusinessNotEducation: true },
        evidence: [
          { type: 'order_class', description: '电气自动化订单班', schoolName: '温州职业技术学院', year: 2023, count: 1, source: 'manual' },
          { type: 'internship', description: '接收实习生', schoolName: '温州职业技术学院', year: 2024, count: 30, source: 'manual' },
          { type: 'investment', description: '捐赠实训设备', year: 2024, amountYuan: 350000, source: 'manual' },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.dataVersion).toBe(app.dataVersion + 1);
    // an edit from a stale version is refused
    expect(
      (await t.http().put(`/api/certification-applications/${app.id}`).set('Authorization', ent).send({ dataVersion: app.dataVersion, plan: 'x' })).status,
    ).toBe(409);
    for (const c of CERTIFICATION_CHECKLIST) {
      const up = await t
        .http()
        .post(`/api/cases/${app.caseRef}/attachments`)
        .set('Authorization', ent)
        .field('purpose', c.purpose)
        .attach('file', await tinyPdf(c.label), `${c.purpose}.pdf`);
      expect(up.status).toBe(201);
    }
    res = await t.http().get(`/api/certification-applications/${app.id}/eligibility`).set('Authorization', ent);
    expect(res.body.filter((r: { status: string }) => r.status !== 'pass')).toEqual([]);

    const act = async (user: string, body: Record<string, unknown>) =>
      t
        .http()
        .post(`/api/certification-applications/${app.id}/actions`)
        .set('Authorization', await auth(user))
        .send(body);
    res = await act('journey_ent', { action: 'submit' });
    expect(res.status).toBe(200);
    expect(res.body.case.state).toBe('county_review');
    res = await act('county', { action: 'recommend', comment: '材料齐全，同意推荐' });
    expect(res.body.case.state).toBe('city_review');
    const experts = await Promise.all(['expert1', 'expert2', 'expert3'].map((u) => userId(t, u)));
    res = await act('city', { action: 'send_to_panel', panel: experts });
    expect(res.body.case.state).toBe('panel');
    for (const u of ['expert1', 'expert2', 'expert3']) {
      res = await act(u, { action: 'score', scores: { cooperation: 25, talent: 24, investment: 16, plan: 15 } });
      expect(res.status).toBe(200);
    }
    // the panel passed: it waits for the city to publish the 公示 list (a clerical act, so the reviewer
    // of 市级复核 may do it; many applications can go on notice in one batch)
    expect(res.body.case.state).toBe('publicity_pending');
    res = await t
      .http()
      .post('/api/certification-applications/batch-actions')
      .set('Authorization', await auth('city'))
      .send({ ids: [app.id], action: 'publicize' });
    expect(res.body).toMatchObject({ batchId: null, results: [{ id: app.id, ok: true, state: 'publicity' }] });

    // the public 公示 list shows it without login
    const notices = await t.http().get('/api/publicity-notices');
    expect(notices.status).toBe(200);
    expect(notices.body.map((n: { id: number }) => n.id)).toContain(app.id);

    // the window closes (the timer job, made due now)
    await t.ds.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'workflow.timer'`);
    await t.drain();
    res = await act('city_decider', { action: 'certify', comment: '予以认定' });
    expect(res.status).toBe(200);
    expect(res.body.case.state).toBe('certified');
    await t.drain();

    // one certification, one subsidy of 5万 (50,000 元 = 5,000,000 fen) whose notice is issued
    const certs = await t.http().get('/api/certifications').set('Authorization', ent);
    expect(certs.body).toHaveLength(1);
    expect(certs.body[0]).toMatchObject({ level: 'city', status: 'active', source: 'portal', applicationId: app.id });
    const docs = await t.http().get('/api/documents').set('Authorization', ent);
    expect(docs.body.map((d: { kind: string }) => d.kind).sort()).toEqual(['certificate', 'subsidy_notice']);
    const certificate = docs.body.find((d: { kind: string }) => d.kind === 'certificate');
    const verifyCode = certificate.verifyUrl.split('/').pop();
    expect((await t.http().get(`/api/verify/${verifyCode}`)).body).toMatchObject({ status: 'valid', holderName: reg.organisation.name });

    // every date is Wenzhou's (CI runs this file under faketime at 00:30 and 23:30 Shanghai time too):
    // decided today, valid for the configured years, and the certificate's body, footer and verification agree
    const today = portalToday();
    const validUntil = addYears(today, 3);
    expect(certs.body[0]).toMatchObject({ certifiedAt: today, validUntil });
    const verified = (await t.http().get(`/api/verify/${verifyCode}`)).body;
    expect(portalDate(verified.issuedAt)).toBe(today);
    expect(portalDate(verified.validUntil)).toBe(validUntil);
    const text = await pdfText(certificate.id, ent);
    expect(text).toMatch(new RegExp(`认定日期：\\s*${chineseDate(today)}`));
    expect(text.split(chineseDate(today)).length - 1).toBe(2); // 认定日期 and the date beside the seal
    // the facts and the QR footer give the same last day of validity, and no other
    expect(text.match(new RegExp(`有效期至：\\s*${chineseDate(validUntil)}`, 'g'))).toHaveLength(2);
    expect(text.match(/有效期至：/g)).toHaveLength(2);

    let subsidies = await t
      .http()
      .get('/api/subsidies')
      .set('Authorization', await auth('finance'));
    const subsidy = subsidies.body.find((s: { enterpriseName: string }) => s.enterpriseName === reg.organisation.name);
    expect(subsidy).toMatchObject({ level: 'city', amountFen: 5_000_000, status: 'notified', policy: 'full' });
    res = await t
      .http()
      .post(`/api/subsidies/${subsidy.id}/pay`)
      .set('Authorization', await auth('finance'))
      .send({ voucherNo: 'LC-2025-0001', paidAt: today, amountYuan: 50000 });
    // paid today in Wenzhou: accepted at any hour (before 08:00 the UTC date is still yesterday)
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'paid', paidAmountFen: 5_000_000, voucherNo: 'LC-2025-0001', paidAt: today });
    subsidies = await t
      .http()
      .get('/api/subsidies/totals')
      .set('Authorization', await auth('city'));
    expect(subsidies.body.find((r: { countyCode: string; level: string }) => r.countyCode === '330302' && r.level === 'city')).toMatchObject({
      paidFen: 5_000_000,
    });
  });
});
