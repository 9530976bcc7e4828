import { makeCreditCode, openTestPractice, startTestApp, userId, type TestApp } from '@portal/testing';
import { WorkflowService } from '@portal/workflow';
import { act, atPanel, auth, certified, cityReviewer, newApplicant, SCORES } from '../support/certification.js';
import { startMailbox, type Mailbox, type ReceivedMail } from '../support/mailbox.js';
import { createUser, organisationOf } from '../support/people.js';

/**
 * Issue 9, item 2: who is told. Finance of a notice's county when the notice it is addressed to exists;
 * city reviewers of an objection and of a recusal; and each is also an e-mail, received here by a real
 * SMTP server the test starts (smtp-server) that the portal's SMTP setting points at.
 */

let mailbox: Mailbox;
let inbox: ReceivedMail[];
let t: TestApp;
let decider: string;

beforeAll(async () => {
  mailbox = await startMailbox();
  inbox = mailbox.mails;
  t = await startTestApp({ SMTP_URL: mailbox.url }, { testWorkflow: true });
  decider = await cityReviewer(t, 'mail_decider');
  // finance of 鹿城区 and the city reviewer have addresses (an admin sets them)
  for (const [username, email] of [
    ['finance', 'finance@lucheng.example'],
    ['city', 'city@wzedu.example'],
  ] as const) {
    const res = await t
      .http()
      .put(`/api/users/${await userId(t, username)}`)
      .set('Authorization', await auth(t, 'admin'))
      .send({ email });
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  await t.close();
  await mailbox.close();
});

/** Mail received for `to` whose subject contains `words`. */
const mailTo = (to: string, words: string) => inbox.filter((m) => m.to.includes(to) && m.subject.includes(words));
const notesOf = async (username: string) =>
  (
    await t
      .http()
      .get('/api/notifications')
      .set('Authorization', await auth(t, username))
  ).body as Array<{ kind: string; title: string; body: string | null; caseId: number | null }>;

describe('who is told', () => {
  it('finance of the county is told (in the portal and by e-mail) once the notice addressed to it is issued', async () => {
    const e = await newApplicant(t);
    const app = await certified(t, e, decider);
    const [{ name }] = await t.ds.query(`SELECT name FROM organisations WHERE id = $1`, [e.organisationId]);
    const note = (await notesOf('finance')).find((n) => n.kind === 'document_issued' && n.title.includes(name));
    expect(note).toMatchObject({ title: `补助资金拨付通知书：${name}`, caseId: app.case.caseId });
    expect(note!.body).toContain('¥50,000.00');
    const mails = mailTo('finance@lucheng.example', name);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`【温州市产教融合平台】补助资金拨付通知书：${name}`);
    expect(mails[0].text).toContain('请按通知拨付并在平台登记拨付凭证');
    // nobody else is mailed about it
    expect(inbox.filter((m) => m.subject.includes(name)).flatMap((m) => m.to)).toEqual(['finance@lucheng.example']);
  });

  it('city reviewers are told of a recusal and of an objection; the case says the objection holds it', async () => {
    const e = await newApplicant(t);
    const app = await atPanel(t, e);
    // expert1 recuses: the city (who runs the panel) is told, with the reason
    let res = await act(t, 'expert1', app.id, { action: 'recuse', comment: '与申请企业存在业务往来' });
    expect(res.status).toBe(200);
    await t.drain();
    const recusal = (await notesOf('city')).find((n) => n.kind === 'recused' && n.caseId === app.case.caseId);
    expect(recusal).toMatchObject({ title: '产教融合型企业认定：评审专家申请回避', body: expect.stringContaining('与申请企业存在业务往来') });
    expect(mailTo('city@wzedu.example', '评审专家申请回避')).toHaveLength(1);
    expect(mailTo('city@wzedu.example', '评审专家申请回避')[0].text).toContain('与申请企业存在业务往来');

    // the city appoints another expert, the panel scores, the city publishes the 公示
    const expert4 = await createUser(t, { username: 'mail_expert4', roles: ['expert'], organisationId: await organisationOf(t, 'expert1') });
    res = await act(t, 'city', app.id, { action: 'appoint', panel: [expert4] });
    expect(res.status).toBe(200);
    const seats: Array<{ username: string }> = await t.ds.query(
      `SELECT u.username FROM tasks k JOIN users u ON u.id = k.assignee_id WHERE k.case_id = $1 AND k.kind = 'panel' AND k.status = 'open'`,
      [app.case.caseId],
    );
    for (const s of seats) expect((await act(t, s.username, app.id, { action: 'score', scores: SCORES })).status).toBe(200);
    res = await act(t, 'city', app.id, { action: 'publicize' });
    expect(res.body.case).toMatchObject({ state: 'publicity', openObjections: 0 });

    // someone objects on the public page (no login)
    res = await t
      .http()
      .post(`/api/publicity-notices/${app.id}/objections`)
      .send({ name: '张三', phone: '13800000000', content: '该企业 2024 年发生过安全事故，申报材料声明不实。' });
    expect(res.status).toBe(201);
    await t.drain();
    const objection = (await notesOf('city')).find((n) => n.kind === 'objection' && n.caseId === app.case.caseId);
    expect(objection).toMatchObject({ title: '产教融合型企业认定：公示收到异议' });
    const mails = mailTo('city@wzedu.example', '公示收到异议');
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain('处理前不能作出决定');
    // the objector's phone is not in what is sent around
    expect(mails[0].text).not.toContain('13800000000');
    // the case's header data says the 公示 is held by an open objection
    const summary = await t
      .http()
      .get(`/api/cases/${app.caseRef}`)
      .set('Authorization', await auth(t, 'city'));
    expect(summary.body).toMatchObject({ state: 'publicity', openObjections: 1 });
  });
});

describe('an organisation invited by credit code', () => {
  it('is mailed once: who invited it, to what, until when, and the one-time link to accept; naming it again with the same address sends nothing more', async () => {
    const code = makeCreditCode();
    const c = await openTestPractice(t, 'teacher', { invitedCreditCode: code, invitedEmail: 'hr@newco.example' }, { name: '数控车间岗位实践' });
    await t.drain();
    const [{ name: school }] = await t.ds.query<Array<{ name: string }>>(
      `SELECT o.name FROM organisations o JOIN users u ON u.organisation_id = o.id WHERE u.username = 'teacher'`,
    );
    const mails = inbox.filter((m) => m.to.includes('hr@newco.example'));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`【温州市产教融合平台】${school}邀请贵单位参与测试实践：数控车间岗位实践`);
    expect(mails[0].text).toContain(`统一社会信用代码 ${code}`);
    expect(mails[0].text).toContain('接收企业');
    expect(mails[0].text).toMatch(/\/#\/invitations\/accept\?invitation=[A-Za-z0-9_-]{43}\n/);
    expect(mails[0].text).toMatch(/链接有效期至\d{4}年\d{1,2}月\d{1,2}日（含当日）/);
    const first = mailbox.tokenFor('hr@newco.example');

    await t.ds.transaction((em) => t.app.get(WorkflowService).setParty(em, c.id, { party: 'host', invitedCreditCode: code, invitedEmail: 'hr@newco.example' }));
    await t.drain();
    expect(inbox.filter((m) => m.to.includes('hr@newco.example'))).toHaveLength(1);
    // only the token's hash is kept
    const [kept] = await t.ds.query(`SELECT invite_token_hash FROM case_parties WHERE case_id = $1`, [c.id]);
    expect(kept.invite_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(kept)).not.toContain(first);
    // another address is a new invitation
    await t.ds.transaction((em) =>
      t.app.get(WorkflowService).setParty(em, c.id, { party: 'host', invitedCreditCode: code, invitedEmail: 'boss@newco.example' }),
    );
    await t.drain();
    expect(inbox.filter((m) => m.to.includes('boss@newco.example'))).toHaveLength(1);
  });

  it('a registered organisation named as the party is not mailed an invitation', async () => {
    const before = inbox.length;
    await openTestPractice(t, 'teacher', { organisationId: await organisationOf(t, 'enterprise') });
    await t.drain();
    expect(inbox.slice(before).filter((m) => m.subject.includes('邀请贵单位'))).toEqual([]);
  });
});
