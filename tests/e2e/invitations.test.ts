import { addDays, chineseDate, endOfPortalDay, portalToday } from '@portal/contracts';
import { registrationBody, startTestApp, type TestApp } from '@portal/testing';
import { setSetting } from '../support/certification.js';
import { startMailbox, type Mailbox } from '../support/mailbox.js';
import { attachChecklist, classAct, completeForm } from '../support/order-classes.js';
import { actOn, call, daysAgo, logRecord, newTeacher, type Login } from '../support/practice.js';

/**
 * Invitations by credit code (a teacher's unregistered host, a school's unregistered partner enterprise) count only once
 * an organisation with that credit code accepts them with the one-time token mailed to the invited address: registering
 * the credit code alone gives nothing — no read, no act, no task — so that nobody takes over an invitation meant for
 * someone else (a teacher confirming their own hours through a company they registered, a stranger reading a class's
 * roster). The token is read from the mail a real SMTP server received.
 */

let t: TestApp;
let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
  t = await startTestApp({ SMTP_URL: mailbox.url });
});
afterAll(async () => {
  await t.close();
  await mailbox.close();
});

/** An enterprise registers itself with `creditCode` (or a fresh one); answers its applicant's login. */
async function register(creditCode?: string): Promise<Login & { name: string; creditCode: string }> {
  const body = registrationBody({ county: '330381' });
  if (creditCode) body.organisation.creditCode = creditCode;
  const res = await t.http().post('/api/auth/register-enterprise').send(body);
  expect(res.status).toBe(201);
  return { username: body.user.username, password: body.user.password, name: body.organisation.name, creditCode: body.organisation.creditCode };
}

const lookup = (token: string) => t.http().post('/api/invitations/lookup').send({ token });
const accept = (who: Login, token: string) => call(t, who, 'post', '/api/invitations/accept', { token });

/** A teacher's submitted record whose host, not registered, is invited at `email`; answers the record and the mailed token. */
async function invitedRecord(email: string) {
  const teacher = await newTeacher(t);
  const code = registrationBody().organisation.creditCode;
  const rec = await logRecord(t, teacher.username, { hostCreditCode: code, hostEmail: email, startDate: daysAgo(20), endDate: daysAgo(11), hours: 60 });
  expect(rec.status).toBe(201);
  expect((await actOn(t, teacher.username, rec.body.id, { action: 'submit' })).status).toBe(200);
  await t.drain();
  return { teacher, code, id: rec.body.id as number, caseRef: rec.body.caseRef as string, token: mailbox.tokenFor(email) };
}

describe('a practice record whose host is invited', () => {
  it('registering the invited credit code alone gives nothing: no read, no act, no task, no list', async () => {
    const r = await invitedRecord('hr@squat.example');
    // the teacher (or anyone) registers the code without the mailed token
    const squatter = await register(r.code);
    expect((await call(t, squatter, 'get', `/api/practice-records/${r.id}`)).status).toBe(404);
    expect((await call(t, squatter, 'get', `/api/cases/${r.caseRef}`)).status).toBe(404);
    expect((await call(t, squatter, 'get', '/api/practice-records')).body).toEqual([]);
    expect((await call(t, squatter, 'get', '/api/tasks')).body).toEqual([]);
    const confirm = await actOn(t, squatter, r.id, { action: 'confirm', data: { hours: 60 } });
    expect([403, 404]).toContain(confirm.status);
    // a well-formed token that was never mailed
    const forged = await accept(squatter, 'A'.repeat(43));
    expect([forged.status, forged.body.message]).toEqual([404, '邀请链接无效或已被新的邀请取代，请使用最新一封邀请邮件中的链接']);
    const state = await t.ds.query(`SELECT c.state, cp.organisation_id FROM cases c JOIN case_parties cp ON cp.case_id = c.id WHERE c.id = $1`, [
      Number(r.caseRef.split(':')[1]),
    ]);
    expect(state).toEqual([{ state: 'host_confirm', organisation_id: null }]);
  });

  it('the token shows what it invites to; the organisation with that credit code accepts it, then reads, has the task and confirms', async () => {
    const r = await invitedRecord('hr@host.example');
    const [{ school }] = await t.ds.query(`SELECT s.name AS school FROM users u JOIN organisations s ON s.id = u.organisation_id WHERE u.username = $1`, [
      r.teacher.username,
    ]);
    const shown = await lookup(r.token);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ creditCode: r.code, inviter: school, partyLabel: '接收企业', status: 'pending', registered: false });
    expect(shown.body.workflowTitle).toBe('教师企业实践');
    expect(new Date(shown.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);

    // another enterprise holding the link is refused, naming the credit code it is for
    const other = await register();
    const wrong = await accept(other, r.token);
    expect([wrong.status, wrong.body.message]).toEqual([403, `此邀请发给统一社会信用代码为 ${r.code} 的单位，您所在的单位不是该单位`]);

    const host = await register(r.code);
    expect((await lookup(r.token)).body.registered).toBe(true);
    const accepted = await accept(host, r.token);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ caseRef: r.caseRef, workflowKey: 'practice-record' });
    // accepting again answers the same; the invitation now says so
    expect((await accept(host, r.token)).status).toBe(200);
    expect((await lookup(r.token)).body.status).toBe('accepted');
    expect((await accept(other, r.token)).status).toBe(409);

    const record = await call(t, host, 'get', `/api/practice-records/${r.id}`);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ hostName: host.name, hostInvitedCreditCode: null });
    // those who judge the record see that the host joined through the teacher's invitation
    const parties = (await call(t, 'school', 'get', `/api/cases/${r.caseRef}`)).body.parties as Array<Record<string, unknown>>;
    expect(parties).toEqual([expect.objectContaining({ party: 'host', organisationName: host.name, invited: false, acceptedAt: expect.any(String) })]);
    expect((await call(t, r.teacher.username, 'get', `/api/cases/${r.caseRef}`)).body.title).toContain(`：${host.name}（`);
    const tasks = (await call(t, host, 'get', '/api/tasks')).body as Array<{ caseId: number }>;
    expect(tasks.map((x) => x.caseId)).toEqual([Number(r.caseRef.split(':')[1])]);
    const events = (await call(t, r.teacher.username, 'get', `/api/cases/${r.caseRef}/events`)).body as Array<{ action: string }>;
    expect(events.map((e) => e.action)).toContain('invitation_accepted');
    const confirmed = await actOn(t, host, r.id, { action: 'confirm', data: { hours: 60 } });
    expect([confirmed.status, confirmed.body.case?.state]).toEqual([200, 'school_approval']);
  });

  it('an expired invitation is refused; the teacher resends it, the old link stops working and the new one is accepted', async () => {
    await setSetting(t, 'workflow.invitationDays', 7);
    const r = await invitedRecord('hr@late.example');
    // valid through the seventh day from today (Asia/Shanghai), to its last instant
    const { expiresAt } = (await lookup(r.token)).body as { expiresAt: string };
    expect(new Date(expiresAt)).toEqual(endOfPortalDay(addDays(portalToday(), 7)));
    expect(mailbox.mails.at(-1)?.text).toContain(`链接有效期至${chineseDate(addDays(portalToday(), 7))}（含当日）`);
    await t.ds.query(`UPDATE case_parties SET invite_expires_at = now() - interval '1 minute' WHERE case_id = $1`, [Number(r.caseRef.split(':')[1])]);
    expect((await lookup(r.token)).body.status).toBe('expired');
    const host = await register(r.code);
    const late = await accept(host, r.token);
    expect([late.status, late.body.message]).toEqual([409, '邀请已过期，请联系邀请方重新发送邀请']);

    // only the owner resends: not the host, not the teacher's school
    const resend = (who: string | Login) => call(t, who, 'post', `/api/cases/${r.caseRef}/parties/host/invitation`);
    expect((await resend(host)).status).toBe(404);
    expect((await resend('school')).status).toBe(403);
    expect((await resend(r.teacher.username)).status).toBe(204);
    await t.drain();
    const fresh = mailbox.tokenFor('hr@late.example');
    expect(fresh).not.toBe(r.token);
    expect((await lookup(r.token)).status).toBe(404);
    expect((await accept(host, fresh)).status).toBe(200);
    // nothing is pending any more
    expect((await resend(r.teacher.username)).status).toBe(409);
    await setSetting(t, 'workflow.invitationDays', 30);
  });

  it('editing the record with the invited credit code, registered meanwhile, keeps the invitation: no binding without the token', async () => {
    const teacher = await newTeacher(t);
    const code = registrationBody().organisation.creditCode;
    const input = {
      hostCreditCode: code,
      hostEmail: 'hr@edit.example',
      startDate: daysAgo(20),
      endDate: daysAgo(11),
      hours: 60,
      form: 'post',
      content: '参与数控车间的工艺改进。',
      outcomes: '编写实训项目 1 个。',
    };
    const rec = await logRecord(t, teacher.username, input);
    expect(rec.status).toBe(201);
    await t.drain();
    const token = mailbox.tokenFor('hr@edit.example');
    const squatter = await register(code);
    // the web app sends the host's credit code again with every edit
    const edited = await call(t, teacher.username, 'put', `/api/practice-records/${rec.body.id}`, { ...input, hours: 56, dataVersion: rec.body.dataVersion });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ hostOrgId: null, hostInvitedCreditCode: code, hours: 56 });
    expect((await call(t, squatter, 'get', `/api/practice-records/${rec.body.id}`)).status).toBe(404);
    // the same address: the link mailed before still holds, and no second mail was sent
    await t.drain();
    expect(mailbox.mails.filter((m) => m.to.includes('hr@edit.example'))).toHaveLength(1);
    expect((await lookup(token)).body.status).toBe('pending');
  });

  it('a case that has ended takes no acceptance and sends no invitation', async () => {
    const r = await invitedRecord('hr@ended.example');
    expect((await actOn(t, r.teacher.username, r.id, { action: 'withdraw' })).status).toBe(200);
    const host = await register(r.code);
    const late = await accept(host, r.token);
    expect([late.status, late.body.message]).toEqual([409, '该事项已结束（已撤回），无需再接受邀请']);
    const resend = await call(t, r.teacher.username, 'post', `/api/cases/${r.caseRef}/parties/host/invitation`);
    expect([resend.status, resend.body.message]).toEqual([409, '该事项已结束（已撤回），不再发送邀请']);
    expect((await call(t, host, 'get', `/api/cases/${r.caseRef}`)).status).toBe(404);
  });

  it('bad tokens are 4xx naming the problem', async () => {
    const short = await t.http().post('/api/invitations/lookup').send({ token: 'abc' });
    expect([short.status, short.body.details?.[0]?.field]).toEqual([400, 'token']);
    expect((await t.http().post('/api/invitations/lookup').send({})).status).toBe(400);
    expect(
      (
        await t
          .http()
          .post('/api/invitations/accept')
          .send({ token: 'A'.repeat(43) })
      ).status,
    ).toBe(401);
  });
});

describe('an order class whose partner enterprise is invited', () => {
  /** A draft class of the demo school whose partner, not registered, is invited at `email`. */
  async function invitedClass(name: string, email: string) {
    const school = `Bearer ${await t.token('school')}`;
    const code = registrationBody().organisation.creditCode;
    const res = await t.http().post('/api/order-classes').set('Authorization', school).send({ name, invitedCreditCode: code, invitedEmail: email });
    expect(res.status).toBe(201);
    return { school, code, id: res.body.id as number, dataVersion: res.body.dataVersion as number };
  }

  it('a stranger registering the code reads nothing; the invited enterprise accepts, becomes the partner and confirms', async () => {
    const { school, code, id, dataVersion } = await invitedClass('邀请合作订单班', 'hr@partner.example');
    const res = await t.http().put(`/api/order-classes/${id}`).set('Authorization', school).send(completeForm(dataVersion));
    await attachChecklist(t, school, res.body.caseRef);
    expect((await classAct(t, 'school', id, { action: 'submit' })).status).toBe(200);
    await t.drain();
    const token = mailbox.tokenFor('hr@partner.example');
    expect((await lookup(token)).body).toMatchObject({ creditCode: code, partyLabel: '合作企业', workflowTitle: '订单班备案' });

    const partner = await register(code);
    // registered, not accepted: the class and its roster are not its to read
    expect((await call(t, partner, 'get', `/api/order-classes/${id}`)).status).toBe(404);
    expect((await call(t, partner, 'get', `/api/order-classes/${id}/students`)).status).toBe(404);
    expect((await call(t, partner, 'get', '/api/order-classes')).body).toEqual([]);

    expect((await accept(partner, token)).status).toBe(200);
    const mine = (await call(t, partner, 'get', '/api/order-classes')).body as Array<{ id: number; enterprise: Record<string, unknown> }>;
    expect(mine.map((c) => c.id)).toEqual([id]);
    expect(mine[0].enterprise).toMatchObject({ invited: false, name: partner.name, creditCode: code });
    const confirmed = await call(t, partner, 'post', `/api/order-classes/${id}/actions`, { action: 'confirm' });
    expect([confirmed.status, confirmed.body.case?.state]).toEqual([200, 'county_filing']);
  });

  it('the school edits the class naming the invited code, registered meanwhile: the invitation stays until accepted', async () => {
    const { school, code, id, dataVersion } = await invitedClass('邀请修改订单班', 'hr@partner2.example');
    await t.drain();
    const token = mailbox.tokenFor('hr@partner2.example');
    const partner = await register(code);
    const res = await t
      .http()
      .put(`/api/order-classes/${id}`)
      .set('Authorization', school)
      .send(completeForm(dataVersion, { invitedCreditCode: code, invitedEmail: 'hr@partner2.example' }));
    expect(res.status).toBe(200);
    expect(res.body.enterprise).toMatchObject({ invited: true, organisationId: null, creditCode: code });
    expect((await call(t, partner, 'get', `/api/order-classes/${id}`)).status).toBe(404);
    expect((await lookup(token)).body.status).toBe('pending');
    expect((await accept(partner, token)).status).toBe(200);
    expect((await call(t, partner, 'get', `/api/order-classes/${id}`)).body.enterprise).toMatchObject({ invited: false, organisationId: expect.any(Number) });
  });
});
