import { JobRegistry } from '@portal/core';
import { portalToday } from '@portal/contracts';
import { startTestApp, tinyPdf, type TestApp } from '@portal/testing';
import { act, atDecision, auth, cityReviewer, countOf, draft, fill, newApplicant, type Applicant } from '../support/certification.js';

/**
 * Races on certification: two deciders at once, many identical "record" and "pay" requests, and the
 * certify effect run more than once. The unique keys (one standing certification per enterprise and level,
 * one subsidy per enterprise and level, one document per subject and generation) and the conditional
 * updates must leave exactly one of everything whatever the interleaving.
 */

let t: TestApp;
let deciders: [string, string];
beforeAll(async () => {
  t = await startTestApp();
  deciders = [await cityReviewer(t, 'city_decider_a'), await cityReviewer(t, 'city_decider_b')];
  await Promise.all(deciders.map((u) => t.token(u)));
});
afterAll(() => t.close());

const statuses = (rs: Array<{ status: number }>) => {
  const by: Record<number, number> = {};
  for (const r of rs) by[r.status] = (by[r.status] ?? 0) + 1;
  return by;
};

/** What exists for an enterprise: certifications, subsidies and their documents. */
async function holdings(enterpriseId: number) {
  return {
    certifications: await countOf(t, `SELECT count(*)::int AS n FROM certifications WHERE enterprise_id = $1`, [enterpriseId]),
    subsidies: await countOf(t, `SELECT count(*)::int AS n FROM subsidies WHERE enterprise_id = $1`, [enterpriseId]),
    certificates: await countOf(t, `SELECT count(*)::int AS n FROM documents WHERE kind = 'certificate' AND holder_org_id = $1`, [enterpriseId]),
    notices: await countOf(t, `SELECT count(*)::int AS n FROM documents WHERE kind = 'subsidy_notice' AND holder_org_id = $1`, [enterpriseId]),
  };
}

describe('two city reviewers deciding one application at once', () => {
  it('certify vs certify: exactly one succeeds, the other is refused; one certification, one subsidy, one certificate', async () => {
    const e = await newApplicant(t);
    const app = await atDecision(t, e);
    const rs = await Promise.all(deciders.map((u) => act(t, u, app.id, { action: 'certify', comment: `${u} 予以认定` })));
    const ok = rs.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0].body.case.state).toBe('certified');
    const loser = rs.find((r) => r.status !== 200)!;
    expect([403, 409]).toContain(loser.status);
    await t.drain();
    expect(await holdings(e.organisationId)).toEqual({ certifications: 1, subsidies: 1, certificates: 1, notices: 1 });
    expect(await countOf(t, `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND action = 'certify'`, [app.case.caseId])).toBe(1);
  });

  it('certify vs decline: exactly one succeeds and the outcome matches it', async () => {
    const e = await newApplicant(t);
    const app = await atDecision(t, e);
    const [certify, decline] = await Promise.all([
      act(t, deciders[0], app.id, { action: 'certify' }),
      act(t, deciders[1], app.id, { action: 'decline', comment: '公示期间核实存在问题，不予认定' }),
    ]);
    expect([certify.status, decline.status].filter((s) => s === 200)).toHaveLength(1);
    const loser = certify.status === 200 ? decline : certify;
    expect([403, 409]).toContain(loser.status);
    await t.drain();
    const [c] = await t.ds.query(`SELECT state FROM cases WHERE id = $1`, [app.case.caseId]);
    if (certify.status === 200) {
      expect(c.state).toBe('certified');
      expect(await holdings(e.organisationId)).toEqual({ certifications: 1, subsidies: 1, certificates: 1, notices: 1 });
    } else {
      expect(c.state).toBe('not_certified');
      expect(await holdings(e.organisationId)).toEqual({ certifications: 0, subsidies: 0, certificates: 0, notices: 0 });
    }
    expect(await countOf(t, `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND action IN ('certify', 'decline')`, [app.case.caseId])).toBe(1);
  });
});

describe('20 identical requests at once', () => {
  const record = async (enterpriseId: number) =>
    t
      .http()
      .post('/api/certifications')
      .set('Authorization', await auth(t, 'city'))
      .send({ enterpriseId, level: 'provincial', documentNo: '浙发改社会〔2025〕12号', certifiedAt: '2025-05-01' });

  it('"record provincial certification" for one enterprise: all answer 200/201 with the same certification; one certification and one subsidy', async () => {
    const e = await newApplicant(t);
    await t.token('city');
    const rs = await Promise.all(Array.from({ length: 20 }, () => record(e.organisationId)));
    expect(statuses(rs)).toEqual({ 200: 19, 201: 1 });
    expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
    await t.drain();
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certifications WHERE enterprise_id = $1 AND level = 'provincial'`, [e.organisationId])).toBe(1);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM subsidies WHERE enterprise_id = $1 AND level = 'provincial'`, [e.organisationId])).toBe(1);
    expect(await holdings(e.organisationId)).toEqual({ certifications: 1, subsidies: 1, certificates: 0, notices: 1 });
  });

  it('subsidy payment: one is paid, the other 19 get 409; one payment event', async () => {
    const e = await newApplicant(t);
    expect((await record(e.organisationId)).status).toBe(201);
    await t.drain();
    const [{ id }] = await t.ds.query(`SELECT id::int FROM subsidies WHERE enterprise_id = $1`, [e.organisationId]);
    const token = await auth(t, 'finance');
    const paidAt = portalToday();
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t
          .http()
          .post(`/api/subsidies/${id}/pay`)
          .set('Authorization', token)
          .send({ voucherNo: `LC-2025-${String(i).padStart(4, '0')}`, paidAt, amountYuan: 200000 }),
      ),
    );
    expect(statuses(rs)).toEqual({ 200: 1, 409: 19 });
    const winner = rs.find((r) => r.status === 200)!;
    const [row] = await t.ds.query(`SELECT status, voucher_no, paid_amount_fen::int AS fen, version FROM subsidies WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'paid', voucher_no: winner.body.voucherNo, fen: 20_000_000, version: 2 });
    expect(await countOf(t, `SELECT count(*)::int AS n FROM subsidy_events WHERE subsidy_id = $1 AND action = 'pay'`, [id])).toBe(1);
  });
});

describe('saves and uploads racing the submission', () => {
  // The form and the attachments may change only while the application is the applicant's to edit. The
  // state is checked under the same case-row lock the submission takes, so nothing changes the live
  // application after the submission froze it.
  it('after submit the application equals its submitted snapshot; every refused save is a 409, none a 5xx', async () => {
    const pdf = await tinyPdf('补充材料');
    for (let round = 0; round < 3; round++) {
      const e = await newApplicant(t);
      const app = await fill(t, e, await draft(t, e));
      const token = await auth(t, e);
      const statusesSeen: number[] = [];
      let submitted = false;
      /** Save again and again (with the version just read) until the server says the stage is over. */
      const saver = async (w: number) => {
        for (let i = 0; i < 40; i++) {
          const cur = await t.http().get(`/api/certification-applications/${app.id}`).set('Authorization', token);
          const res = await t
            .http()
            .put(`/api/certification-applications/${app.id}`)
            .set('Authorization', token)
            .send({ dataVersion: cur.body.dataVersion, plan: `写入者 ${w} 第 ${i} 次保存的三年产教融合规划` });
          statusesSeen.push(res.status);
          if (res.status === 409 && res.body.code !== 'VERSION_CONFLICT') return;
          if (submitted && i > 3) return;
        }
      };
      const uploader = async (w: number) => {
        for (let i = 0; i < 20; i++) {
          const res = await t
            .http()
            .post(`/api/cases/${app.caseRef}/attachments`)
            .set('Authorization', token)
            .field('purpose', 'other')
            .attach('file', pdf, `补充-${w}-${i}.pdf`);
          statusesSeen.push(res.status);
          if (res.status === 409) return;
          if (submitted && i > 3) return;
        }
      };
      const submit = async () => {
        await new Promise((r) => setTimeout(r, 30));
        const res = await act(t, e, app.id, { action: 'submit' });
        submitted = true;
        return res;
      };
      const [sub] = await Promise.all([submit(), ...Array.from({ length: 6 }, (_, w) => saver(w)), ...Array.from({ length: 3 }, (_, w) => uploader(w))]);
      expect(sub.status).toBe(200);
      expect(sub.body.case.state).toBe('county_review');
      expect(statusesSeen.filter((s) => ![200, 201, 409].includes(s))).toEqual([]);
      expect(statusesSeen).toContain(409);

      const [snap] = await t.ds.query(`SELECT data FROM case_snapshots WHERE case_id = $1 AND seq = 1`, [sub.body.case.caseId]);
      const live = (await t.http().get(`/api/certification-applications/${app.id}`).set('Authorization', token)).body;
      expect({ plan: live.plan, evidence: live.evidence, declarations: live.declarations }).toEqual({
        plan: snap.data.plan,
        evidence: snap.data.evidence,
        declarations: snap.data.declarations,
      });
      const files = (await t.http().get(`/api/cases/${app.caseRef}/attachments`).set('Authorization', token)).body as Array<{ id: number }>;
      expect(files.map((f) => f.id)).toEqual(snap.data.attachments.map((f: { id: number }) => f.id));
    }
  });
});

describe('the certify effect run more than once', () => {
  async function certified(): Promise<{ e: Applicant; caseId: number; effect: { id: string; payload: Record<string, unknown> } }> {
    const e = await newApplicant(t);
    const app = await atDecision(t, e);
    expect((await act(t, deciders[0], app.id, { action: 'certify' })).status).toBe(200);
    await t.drain();
    const [effect] = await t.ds.query(`SELECT id, payload FROM outbox WHERE job_name = 'workflow.effect' AND (payload->>'caseId')::bigint = $1`, [
      app.case.caseId,
    ]);
    expect(effect.payload).toMatchObject({ effect: 'certification.certify', caseId: app.case.caseId });
    return { e, caseId: app.case.caseId, effect };
  }

  it('a second outbox row with the same payload: still one certification, one subsidy, one certificate', async () => {
    const { e, effect } = await certified();
    expect(await holdings(e.organisationId)).toEqual({ certifications: 1, subsidies: 1, certificates: 1, notices: 1 });
    await t.ds.query(`INSERT INTO outbox (job_name, payload) VALUES ('workflow.effect', $1)`, [JSON.stringify(effect.payload)]);
    await t.drain();
    const [again] = await t.ds.query(
      `SELECT processed_at IS NOT NULL AS done, last_error FROM outbox WHERE job_name = 'workflow.effect' AND id <> $1 AND payload = $2::jsonb`,
      [effect.id, JSON.stringify(effect.payload)],
    );
    expect(again).toEqual({ done: true, last_error: null });
    expect(await holdings(e.organisationId)).toEqual({ certifications: 1, subsidies: 1, certificates: 1, notices: 1 });
  });

  it('the handler called several times at once: none fails, and there is still one of everything', async () => {
    const { e, effect } = await certified();
    const handler = t.app.get(JobRegistry).handler('workflow.effect')!;
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => handler(effect.payload as never, { outboxId: Number(effect.id), attempt: i + 2 })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    await t.drain();
    expect(await holdings(e.organisationId)).toEqual({ certifications: 1, subsidies: 1, certificates: 1, notices: 1 });
  });

  it('racing the first run itself: the effect of a fresh decision run 5 times at once makes one of everything', async () => {
    const e = await newApplicant(t);
    const app = await atDecision(t, e);
    // the in-process runner may take the effect's own outbox row meanwhile: one more racer
    expect((await act(t, deciders[1], app.id, { action: 'certify' })).status).toBe(200);
    const [effect] = await t.ds.query(`SELECT id, payload FROM outbox WHERE job_name = 'workflow.effect' AND (payload->>'caseId')::bigint = $1`, [
      app.case.caseId,
    ]);
    const handler = t.app.get(JobRegistry).handler('workflow.effect')!;
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => handler(effect.payload as never, { outboxId: Number(effect.id), attempt: i + 1 })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    await t.drain();
    expect(await holdings(e.organisationId)).toEqual({ certifications: 1, subsidies: 1, certificates: 1, notices: 1 });
  });

  it('after the certification was revoked, a late re-run does not bring it back', async () => {
    const { e, effect } = await certified();
    const [{ id }] = await t.ds.query(`SELECT id::int FROM certifications WHERE enterprise_id = $1`, [e.organisationId]);
    expect(
      (
        await t
          .http()
          .post(`/api/certifications/${id}/revoke`)
          .set('Authorization', await auth(t, 'city'))
          .send({ reason: '重大安全事故' })
      ).status,
    ).toBe(200);
    await t.drain();
    const handler = t.app.get(JobRegistry).handler('workflow.effect')!;
    await handler(effect.payload as never, { outboxId: Number(effect.id), attempt: 2 });
    await t.drain();
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certifications WHERE enterprise_id = $1 AND revoked_at IS NULL`, [e.organisationId])).toBe(0);
    expect(await holdings(e.organisationId)).toEqual({ certifications: 1, subsidies: 1, certificates: 1, notices: 1 });
  });
});

describe('a pool of two connections, settings cache expired', () => {
  // Whoever holds a lock (or waits on a unique key) inside a transaction must not need a second pooled
  // connection: with the settings cache (2 s) expired, a transaction that read settings outside itself
  // waited forever for a connection held by the requests queued behind it.
  let small: TestApp;
  beforeAll(async () => {
    small = await startTestApp({ DATABASE_POOL_SIZE: '2' });
  });
  afterAll(() => small.close());
  const cacheExpired = () => new Promise((r) => setTimeout(r, 2100));

  it('10 concurrent "record provincial" for one enterprise complete: one 201, nine 200, one subsidy', async () => {
    const e = await newApplicant(small);
    const token = await auth(small, 'city');
    await cacheExpired();
    const rs = await Promise.all(
      Array.from({ length: 10 }, () =>
        small
          .http()
          .post('/api/certifications')
          .set('Authorization', token)
          .send({ enterpriseId: e.organisationId, level: 'provincial', documentNo: '浙发改社会〔2025〕12号', certifiedAt: '2025-05-01' }),
      ),
    );
    expect(statuses(rs)).toEqual({ 200: 9, 201: 1 });
    expect(await countOf(small, `SELECT count(*)::int AS n FROM subsidies WHERE enterprise_id = $1`, [e.organisationId])).toBe(1);
  });

  it('5 concurrent "new application" requests complete with one draft', async () => {
    const e = await newApplicant(small);
    const token = await auth(small, e);
    await cacheExpired();
    const rs = await Promise.all(
      Array.from({ length: 5 }, () => small.http().post('/api/certification-applications').set('Authorization', token).send({ year: 2025 })),
    );
    expect(rs.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
  });
});
