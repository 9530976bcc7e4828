import { CERTIFICATION_CHECKLIST, type CertificationApplicationDto } from '@portal/contracts';
import { tinyPdf, userId, type TestApp } from '@portal/testing';
import { createUser, organisationOf, registerEnterprise } from './people.js';

/**
 * Driving 产教融合型企业认定 applications through the real HTTP API for the certification e2e tests:
 * an applicant (a registered enterprise with its own password), a filled form, the checklist attached,
 * and each review stage taken by the persona whose stage it is.
 */

export interface Applicant {
  username: string;
  password?: string;
  organisationId: number;
}

export const auth = async (t: TestApp, user: string | Applicant): Promise<string> =>
  `Bearer ${typeof user === 'string' ? await t.token(user) : await t.token(user.username, user.password)}`;

/** A new enterprise registered in `county` with its applicant's login. */
export async function newApplicant(t: TestApp, county = '330302'): Promise<Applicant> {
  const e = await registerEnterprise(t, county);
  return { username: e.username, password: e.password, organisationId: e.organisationId };
}

/** A second city reviewer, e.g. for the decision (separation of duties: not the one who did 市级复核). */
export async function cityReviewer(t: TestApp, username: string): Promise<string> {
  await createUser(t, { username, roles: ['city_reviewer'], organisationId: await organisationOf(t, 'city') });
  return username;
}

export const FILLED_FORM = {
  plan: '三年内与温州职业技术学院共建电气自动化产业学院，每年接收实习生 30 名。',
  declarations: { noMajorAccident: true, notDishonest: true, mainBusinessNotEducation: true },
  evidence: [
    { type: 'order_class', description: '电气自动化订单班', schoolName: '温州职业技术学院', year: 2023, count: 1, source: 'manual' },
    { type: 'internship', description: '接收实习生', schoolName: '温州职业技术学院', year: 2024, count: 30, source: 'manual' },
    { type: 'investment', description: '捐赠实训设备', year: 2024, amountYuan: 350000, source: 'manual' },
  ],
};

export async function draft(t: TestApp, who: string | Applicant): Promise<CertificationApplicationDto> {
  const res = await t
    .http()
    .post('/api/certification-applications')
    .set('Authorization', await auth(t, who))
    .send({ year: 2025 });
  if (res.status !== 201 && res.status !== 200) throw new Error(`draft failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Fill the form and attach every checklist item; answers the application after the save. */
export async function fill(t: TestApp, who: string | Applicant, app: CertificationApplicationDto): Promise<CertificationApplicationDto> {
  const res = await t
    .http()
    .put(`/api/certification-applications/${app.id}`)
    .set('Authorization', await auth(t, who))
    .send({ dataVersion: app.dataVersion, ...FILLED_FORM });
  if (res.status !== 200) throw new Error(`save failed: ${res.status} ${JSON.stringify(res.body)}`);
  for (const c of CERTIFICATION_CHECKLIST) {
    const up = await t
      .http()
      .post(`/api/cases/${app.caseRef}/attachments`)
      .set('Authorization', await auth(t, who))
      .field('purpose', c.purpose)
      .attach('file', await tinyPdf(c.label), `${c.purpose}.pdf`);
    if (up.status !== 201) throw new Error(`upload failed: ${up.status} ${JSON.stringify(up.body)}`);
  }
  return res.body;
}

export async function act(t: TestApp, who: string | Applicant, id: number, body: Record<string, unknown>) {
  return t
    .http()
    .post(`/api/certification-applications/${id}/actions`)
    .set('Authorization', await auth(t, who))
    .send(body);
}

async function step(t: TestApp, who: string | Applicant, id: number, body: Record<string, unknown>, state: string): Promise<CertificationApplicationDto> {
  const res = await act(t, who, id, body);
  if (res.status !== 200 || res.body.case.state !== state)
    throw new Error(`${String(body.action)} by ${typeof who === 'string' ? who : who.username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const SCORES = { cooperation: 25, talent: 24, investment: 16, plan: 15 };

/** Draft, fill, submit: at 县级初审. */
export async function submitted(t: TestApp, who: string | Applicant): Promise<CertificationApplicationDto> {
  const app = await fill(t, who, await draft(t, who));
  return step(t, who, app.id, { action: 'submit' }, 'county_review');
}

/** Submitted and recommended by the county: at 市级复核. */
export async function atCityReview(t: TestApp, who: Applicant): Promise<CertificationApplicationDto> {
  const app = await submitted(t, who);
  return step(t, 'county', app.id, { action: 'recommend', comment: '材料齐全，同意推荐' }, 'city_review');
}

/** Sent to a panel of `experts` (usernames) by the city: at 专家评审. */
export async function atPanel(t: TestApp, who: Applicant, experts = ['expert1', 'expert2', 'expert3']): Promise<CertificationApplicationDto> {
  const app = await atCityReview(t, who);
  const panel = await Promise.all(experts.map((u) => userId(t, u)));
  return step(t, 'city', app.id, { action: 'send_to_panel', panel }, 'panel');
}

/** Scored by the panel, through 公示 (its timer made due): at 认定决定. */
export async function atDecision(t: TestApp, who: Applicant): Promise<CertificationApplicationDto> {
  const app = await atPanel(t, who);
  for (const u of ['expert1', 'expert2', 'expert3'])
    await step(t, u, app.id, { action: 'score', scores: SCORES }, u === 'expert3' ? 'publicity_pending' : 'panel');
  await step(t, 'city', app.id, { action: 'publicize' }, 'publicity');
  await t.ds.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'workflow.timer' AND processed_at IS NULL`);
  await t.drain();
  const [c] = await t.ds.query(`SELECT state FROM cases WHERE id = $1`, [app.case.caseId]);
  if (c.state !== 'decision') throw new Error(`expected 认定决定 after 公示, got ${c.state}`);
  return app;
}

export const countOf = async (t: TestApp, sql: string, params: unknown[] = []): Promise<number> => Number((await t.ds.query(sql, params))[0].n);

/** An admin changes a policy setting over HTTP; this process's settings cache is cleared by the change. */
export async function setSetting(t: TestApp, key: string, value: number): Promise<void> {
  const res = await t
    .http()
    .put(`/api/settings/${key}`)
    .set('Authorization', await auth(t, 'admin'))
    .send({ value });
  if (res.status !== 200) throw new Error(`setting ${key} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A certified application: through every stage, then 予以认定 by a second city reviewer; jobs drained. */
export async function certified(t: TestApp, who: Applicant, decider: string): Promise<CertificationApplicationDto> {
  const app = await atDecision(t, who);
  const res = await act(t, decider, app.id, { action: 'certify', comment: '予以认定' });
  if (res.status !== 200 || res.body.case.state !== 'certified') throw new Error(`certify: ${res.status} ${JSON.stringify(res.body)}`);
  await t.drain();
  return res.body;
}
