import { CertificationsService } from '@portal/certification';
import { startTestApp, type TestApp } from '@portal/testing';

let t: TestApp;
let certificationId: number;
beforeAll(async () => {
  t = await startTestApp();
  const [{ id: enterpriseId }] = await t.ds.query(`SELECT id FROM organisations WHERE name = '温州瓯江电气科技有限公司'`);
  const granted = await t.ds.transaction((em) =>
    t.app.get(CertificationsService).grant(em, { enterpriseId, level: 'city', source: 'portal', certifiedAt: '2026-06-30', actorId: null }),
  );
  certificationId = granted.id;
});
afterAll(() => t.close());

const auth = async (u: string) => `Bearer ${await t.token(u)}`;
const pending = () =>
  t.ds.query(`SELECT payload, available_at FROM outbox WHERE job_name = 'certification.annual-report' AND processed_at IS NULL ORDER BY id`);

describe('annual reports of certified enterprises (dynamic management)', () => {
  it('arms a reminder for the first year when the certification is granted: 30 days before the end of March next year', async () => {
    const rows = await pending();
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toEqual({ certificationId, year: 2026, phase: 'remind' });
    // due 2027-03-31 23:59:59.999 Shanghai = 2027-03-31T15:59:59.999Z; reminder 30 days earlier
    expect(new Date(rows[0].available_at).toISOString()).toBe('2027-03-01T15:59:59.999Z');
  });

  it('reminds the enterprise, then escalates to the city when the report is late, and arms the next year', async () => {
    await t.ds.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'certification.annual-report' AND processed_at IS NULL`);
    await t.drain();
    const remind = await t.ds.query(
      `SELECT n.kind, n.title, u.username FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.title LIKE '%2026年度%' ORDER BY n.id`,
    );
    expect(remind).toEqual([{ kind: 'reminder', title: '请于2027年3月底前提交2026年度产教融合报告', username: 'enterprise' }]);
    // the escalation waits for the due date; make it due
    await t.ds.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'certification.annual-report' AND payload->>'phase' = 'overdue'`);
    await t.drain();
    const late = await t.ds.query(
      `SELECT n.kind, u.username FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.title LIKE '%2026年度%' AND n.kind <> 'reminder' ORDER BY n.kind, u.username`,
    );
    expect(late).toEqual([
      { kind: 'escalation', username: 'city' },
      { kind: 'escalation', username: 'city2' },
      { kind: 'overdue', username: 'enterprise' },
    ]);
    expect((await pending()).map((r: { payload: unknown }) => r.payload)).toEqual([{ certificationId, year: 2027, phase: 'remind' }]);
  });

  it('takes one report per year from the enterprise only; a submitted report stops the reminders', async () => {
    const body = {
      year: 2026,
      summary: '全年与温州职业技术学院合作开设订单班两个。',
      orderClasses: 2,
      internsHosted: 40,
      practicePosts: 5,
      investmentYuan: 120000,
    };
    expect(
      (
        await t
          .http()
          .post(`/api/certifications/${certificationId}/annual-reports`)
          .set('Authorization', await auth('county'))
          .send(body)
      ).status,
    ).toBe(403);
    expect(
      (
        await t
          .http()
          .post(`/api/certifications/${certificationId}/annual-reports`)
          .set('Authorization', await auth('school'))
          .send(body)
      ).status,
    ).toBe(404);
    const res = await t
      .http()
      .post(`/api/certifications/${certificationId}/annual-reports`)
      .set('Authorization', await auth('enterprise'))
      .send(body);
    expect(res.status).toBe(201);
    expect(
      (
        await t
          .http()
          .post(`/api/certifications/${certificationId}/annual-reports`)
          .set('Authorization', await auth('enterprise'))
          .send(body)
      ).status,
    ).toBe(409);
    const list = await t
      .http()
      .get(`/api/certifications/${certificationId}/annual-reports`)
      .set('Authorization', await auth('city'));
    expect(list.body).toMatchObject([{ year: 2026, orderClasses: 2, internsHosted: 40 }]);
    // a job for the reported year (a retried reminder) finds the report and sends nothing
    const before = (await t.ds.query(`SELECT count(*)::int AS n FROM notifications`))[0].n;
    await t.ds.query(`INSERT INTO outbox (job_name, payload) VALUES ('certification.annual-report', $1)`, [
      JSON.stringify({ certificationId, year: 2026, phase: 'overdue' }),
    ]);
    await t.drain();
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM notifications`))[0].n).toBe(before);
  });
});
