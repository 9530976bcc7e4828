import { portalToday } from '@portal/contracts';
import { CertificationsService } from '@portal/certification';
import { startTestApp, type TestApp } from '@portal/testing';
import { act, atPanel, auth, draft, newApplicant, SCORES, submitted } from '../support/certification.js';

/**
 * Issue 9, item 5: a draft is the enterprise's own until submitted (lists, one, many); a threshold of 0 is
 * a rule that is off, not a passed one; the public 公示 list gives its start; the issuing authority and
 * the certificate's wording are settings, with today's text as the default.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const ids = (body: Array<{ id: number }>) => body.map((x) => x.id);

describe('drafts', () => {
  it('reviewers and admins see neither another enterprise’s draft nor that it exists; once submitted they do', async () => {
    const e = await newApplicant(t);
    const d = await draft(t, e);
    for (const who of ['city', 'county', 'admin']) {
      const one = await t
        .http()
        .get(`/api/certification-applications/${d.id}`)
        .set('Authorization', await auth(t, who));
      expect({ who, status: one.status }).toEqual({ who, status: 404 });
      const list = await t
        .http()
        .get('/api/certification-applications')
        .set('Authorization', await auth(t, who));
      expect(ids(list.body)).not.toContain(d.id);
      const filtered = await t
        .http()
        .get('/api/certification-applications')
        .query({ filter: JSON.stringify({ enterpriseId: e.organisationId }) })
        .set('Authorization', await auth(t, who));
      expect(filtered.body).toEqual([]);
      expect(filtered.headers['content-range']).toMatch(/\/0$/);
      // the "many" path (react-admin getMany: the list by case id) and the case itself
      const byCase = await t
        .http()
        .get('/api/certification-applications')
        .query({ filter: JSON.stringify({ caseId: d.case.caseId }) })
        .set('Authorization', await auth(t, who));
      expect(byCase.body).toEqual([]);
      expect(
        (
          await t
            .http()
            .get(`/api/cases/${d.caseRef}`)
            .set('Authorization', await auth(t, who))
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .get(`/api/cases/${d.caseRef}/attachments`)
            .set('Authorization', await auth(t, who))
        ).status,
      ).toBe(404);
    }
    // its owner sees it
    expect(
      (
        await t
          .http()
          .get(`/api/certification-applications/${d.id}`)
          .set('Authorization', await auth(t, e))
      ).status,
    ).toBe(200);

    // submitted: now the county and the city see it
    const s = await submitted(t, e);
    expect(s.id).toBe(d.id);
    for (const who of ['city', 'county', 'admin']) {
      expect(
        (
          await t
            .http()
            .get(`/api/certification-applications/${d.id}`)
            .set('Authorization', await auth(t, who))
        ).status,
      ).toBe(200);
      const list = await t
        .http()
        .get('/api/certification-applications')
        .query({ filter: JSON.stringify({ enterpriseId: e.organisationId }) })
        .set('Authorization', await auth(t, who));
      expect(ids(list.body)).toEqual([d.id]);
    }
  });
});

describe('eligibility thresholds of 0', () => {
  it('shows no "职业教育投入不低于 0 元" rule as passed: the rule is off', async () => {
    const e = await newApplicant(t);
    const d = await draft(t, e);
    const res = await t
      .http()
      .get(`/api/certification-applications/${d.id}/eligibility`)
      .set('Authorization', await auth(t, e));
    expect(res.status).toBe(200);
    expect(res.body.map((r: { code: string }) => r.code)).not.toContain('investment');
    expect(res.body.some((r: { label: string }) => /不低于 0 /.test(r.label))).toBe(false);
  });
});

describe('the public 公示 list', () => {
  it('gives when the notice started as well as when it ends', async () => {
    const e = await newApplicant(t);
    const app = await atPanel(t, e);
    for (const u of ['expert1', 'expert2', 'expert3']) expect((await act(t, u, app.id, { action: 'score', scores: SCORES })).status).toBe(200);
    expect((await act(t, 'city', app.id, { action: 'publicize' })).status).toBe(200);
    const [{ entered }] = await t.ds.query(`SELECT stage_entered_at AS entered FROM cases WHERE id = $1`, [app.case.caseId]);
    const notices = await t.http().get('/api/publicity-notices');
    const mine = notices.body.find((n: { id: number }) => n.id === app.id);
    expect(mine).toMatchObject({ noticeStartsAt: new Date(entered).toISOString(), noticeEndsAt: expect.any(String) });
    expect(Date.parse(mine.noticeEndsAt)).toBeGreaterThan(Date.parse(mine.noticeStartsAt));
  });
});

describe('the issuing authority and the certificate wording are settings', () => {
  it('default to today’s text, are listed with the settings, refuse unknown placeholders, and are used by the next certificate', async () => {
    const admin = await auth(t, 'admin');
    const list = await t
      .http()
      .get('/api/settings')
      .query({ range: JSON.stringify([0, 99]) })
      .set('Authorization', admin);
    expect(list.body.find((r: { id: string }) => r.id === 'documents.cityAuthority')).toMatchObject({
      type: 'text',
      value: '温州市教育局',
      default: '温州市教育局',
    });
    expect(list.body.find((r: { id: string }) => r.id === 'documents.certificateBody')).toMatchObject({ type: 'text', placeholders: ['企业名称'] });

    // bad values: 400 naming the field, nothing stored
    for (const value of ['', '   ', 'x'.repeat(61), 42]) {
      const res = await t.http().put('/api/settings/documents.cityAuthority').set('Authorization', admin).send({ value });
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('value');
    }
    let res = await t.http().put('/api/settings/documents.certificateBody').set('Authorization', admin).send({ value: '{单位名称}：特发此证。' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('{单位名称}');
    expect(res.body.message).toContain('{企业名称}');
    expect(
      (
        await t
          .http()
          .put('/api/settings/documents.cityAuthority')
          .set('Authorization', await auth(t, 'city'))
          .send({ value: '某机关' })
      ).status,
    ).toBe(403);
    expect(await t.ds.query(`SELECT key FROM settings WHERE key LIKE 'documents.%'`)).toEqual([]);

    // a certificate issued with the defaults
    const e1 = await newApplicant(t);
    const certifications = t.app.get(CertificationsService);
    const grant = (enterpriseId: number) =>
      t.ds.transaction((em) => certifications.grant(em, { enterpriseId, level: 'city', source: 'portal', certifiedAt: portalToday(), actorId: null }));
    const first = await grant(e1.organisationId);
    await t.drain();
    const [name1] = await t.ds.query(`SELECT name FROM organisations WHERE id = $1`, [e1.organisationId]);
    const [doc1] = await t.ds.query(`SELECT authority, body FROM documents WHERE kind = 'certificate' AND subject_key = $1`, [`certification:${first.id}`]);
    expect(doc1).toEqual({
      authority: '温州市教育局',
      body: `${name1.name}：经企业申报、县（市、区）推荐、市级复核、专家评审和公示，你单位被认定为温州市市级产教融合型企业。特发此证。`,
    });

    // the admin changes both; the next certificate and its notice follow
    res = await t
      .http()
      .put('/api/settings/documents.cityAuthority')
      .set('Authorization', admin)
      .send({ value: '温州市教育局（温州市产教融合工作领导小组办公室）' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'documents.cityAuthority', value: '温州市教育局（温州市产教融合工作领导小组办公室）' });
    res = await t
      .http()
      .put('/api/settings/documents.certificateBody')
      .set('Authorization', admin)
      .send({ value: '  {企业名称}：经认定为温州市市级产教融合型企业。  ' });
    expect(res.status).toBe(200);
    const e2 = await newApplicant(t);
    const second = await grant(e2.organisationId);
    await t.drain();
    const [name2] = await t.ds.query(`SELECT name FROM organisations WHERE id = $1`, [e2.organisationId]);
    const docs2 = await t.ds.query(
      `SELECT kind, authority, body FROM documents WHERE subject_key = $1 OR subject_key = (SELECT 'subsidy:' || id FROM subsidies WHERE certification_id = $2)`,
      [`certification:${second.id}`, second.id],
    );
    expect(docs2.find((d: { kind: string }) => d.kind === 'certificate')).toEqual({
      kind: 'certificate',
      authority: '温州市教育局（温州市产教融合工作领导小组办公室）',
      body: `${name2.name}：经认定为温州市市级产教融合型企业。`,
    });
    expect(docs2.find((d: { kind: string }) => d.kind === 'subsidy_notice').authority).toBe('温州市教育局（温州市产教融合工作领导小组办公室）');
    const code = (await t.ds.query(`SELECT verify_code FROM documents WHERE subject_key = $1`, [`certification:${second.id}`]))[0].verify_code;
    expect((await t.http().get(`/api/verify/${code}`)).body.authority).toBe('温州市教育局（温州市产教融合工作领导小组办公室）');
  });
});
