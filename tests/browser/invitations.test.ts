import type { Page } from 'playwright-core';
import { portalToday } from '@portal/contracts';
import { makeCreditCode, registrationBody, screenshot } from '@portal/testing';
import { browserSuite, useBrowserApp } from '../support/browser-app.js';
import { startMailbox, type Mailbox } from '../support/mailbox.js';
import { actOn, daysAgo, logRecord, newTeacher } from '../support/practice.js';

browserSuite('invitations by credit code in Chromium: the mailed link, registering or logging in with the invited code, accepting', () => {
  // the app mails through a real SMTP server, started first: useBrowserApp's beforeAll reads `env` when it runs
  const env: Record<string, string> = {};
  let mailbox: Mailbox;
  beforeAll(async () => {
    mailbox = await startMailbox();
    env.SMTP_URL = mailbox.url;
  });
  const web = useBrowserApp(env);
  afterAll(async () => {
    await mailbox?.close();
  });

  /**
   * A teacher's submitted practice record whose host, not registered, is invited at `email`: the record, the mailed
   * token, and what the invitation page should say (from the database, the expiry as a date in Wenzhou).
   */
  const invitedRecord = async (email: string) => {
    const teacher = await newTeacher(web.t);
    const code = makeCreditCode('330381');
    const rec = await logRecord(web.t, teacher.username, { hostCreditCode: code, hostEmail: email, startDate: daysAgo(20), endDate: daysAgo(11), hours: 60 });
    expect(rec.status).toBe(201);
    expect((await actOn(web.t, teacher.username, rec.body.id, { action: 'submit' })).status).toBe(200);
    await web.t.drain();
    const [facts] = await web.t.ds.query<Array<{ school: string; title: string; until: string }>>(
      `SELECT s.name AS school, c.title, to_char(cp.invite_expires_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS until
         FROM cases c JOIN organisations s ON s.id = c.owner_org_id JOIN case_parties cp ON cp.case_id = c.id AND cp.party = 'host'
        WHERE c.id = $1`,
      [Number(String(rec.body.caseRef).split(':')[1])],
    );
    return { teacher, code, id: rec.body.id as number, caseRef: rec.body.caseRef as string, token: mailbox.tokenFor(email), ...facts };
  };

  const acceptUrl = (token: string) => `${web.base}/#/invitations/accept?invitation=${token}`;

  /** The invitation page's facts as shown, by their labels. */
  const factsOf = async (page: Page) => {
    const facts = page.getByTestId('invitation-facts');
    await facts.waitFor();
    const field = (key: string) => facts.locator(`[data-field="${key}"]`).innerText();
    return {
      inviter: await field('inviter'),
      subject: await field('subject'),
      party: await field('party'),
      creditCode: await field('credit_code'),
      until: await field('expires_at'),
      status: await page.getByTestId('invitation-status').innerText(),
    };
  };

  it('an unregistered host opens the mailed link, registers with the prefilled credit code, comes back, accepts and lands on the record', async () => {
    const r = await invitedRecord('hr@invited-host.example');
    const page = await web.newPage();

    // the link of the mail: who invites to what, for which credit code, until when (a Wenzhou date); not logged in
    await page.goto(acceptUrl(r.token));
    expect(await factsOf(page)).toEqual({
      inviter: r.school,
      subject: `教师企业实践：${r.title}`,
      party: '接收企业',
      creditCode: r.code,
      until: r.until,
      status: '待接受',
    });
    await page
      .getByTestId('invitation-login-hint')
      .filter({ hasText: `接受邀请需要登录统一社会信用代码为 ${r.code} 的单位的账号` })
      .waitFor();
    // the code is not registered: registering is the way offered first
    const register = page.getByTestId('invitation-register');
    expect(await register.innerText()).toBe('尚未注册，注册并接受');
    expect(await register.getAttribute('class')).toContain('MuiButton-contained');
    expect(await page.getByTestId('invitation-login').getAttribute('class')).toContain('MuiButton-outlined');
    expect(await page.locator('body').innerText()).not.toMatch(/%\{|app\.invitations/);
    await screenshot(page, 'invitations-01-accept-page-anonymous');

    // → the registration form, with the invitation said at its top and the invited credit code filled in
    await register.click();
    await page.waitForURL((u) => u.hash.startsWith('#/register?invitation='));
    const banner = page.getByTestId('invitation-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toContain(
      `您正在接受 ${r.school} 的邀请，作为接收企业参与教师企业实践：${r.title}；请使用统一社会信用代码 ${r.code} 注册。`,
    );
    expect(await page.locator('input[name="organisation.creditCode"]').inputValue()).toBe(r.code);
    await screenshot(page, 'invitations-02-register-banner');

    const body = registrationBody({ county: '330302' });
    await page.locator('input[name="organisation.name"]').fill(body.organisation.name);
    await page.getByRole('combobox', { name: '所在县（市、区）' }).click();
    await page.getByRole('option', { name: '鹿城区' }).click();
    await page.getByRole('combobox', { name: '所属产业' }).click();
    await page.getByRole('option', { name: '电气' }).click();
    await page.locator('input[name="organisation.contactName"]').fill(body.organisation.contactName);
    await page.locator('input[name="organisation.contactPhone"]').fill(body.organisation.contactPhone);
    await page.locator('input[name="user.username"]').fill(body.user.username);
    await page.locator('input[name="user.displayName"]').fill(body.user.displayName);
    await page.locator('input[name="user.password"]').fill(body.user.password);
    await page.locator('input[name="passwordConfirm"]').fill(body.user.password);
    await page.getByRole('button', { name: '注册并登录' }).click();

    // registered and logged in: back on the invitation, which can now be accepted
    await page.waitForURL((u) => u.hash.startsWith('#/invitations/accept?invitation='), { timeout: 15_000 });
    await page
      .getByTestId('invitation-account')
      .filter({ hasText: `测试申报人（${body.organisation.name}）` })
      .waitFor();
    expect((await factsOf(page)).status).toBe('待接受');
    await screenshot(page, 'invitations-03-accept-page-logged-in');
    await page.getByTestId('invitation-accept').click();

    // on the record, the host is the new enterprise, and the confirmation is its to give
    await page.waitForURL((u) => u.hash.startsWith(`#/practice-records/${r.id}/show`), { timeout: 15_000 });
    await page.getByText('已接受邀请').first().waitFor();
    await page
      .getByTestId('case-party')
      .filter({ hasText: `接收企业：${body.organisation.name}（经邀请加入，${portalToday()}）` })
      .waitFor();
    await page.locator('[data-action="confirm"]').waitFor();
    // the case's history names the acceptance in words
    const timeline = page.getByTestId('case-timeline');
    await timeline.getByText('接受邀请', { exact: true }).waitFor();
    expect(await timeline.innerText()).not.toContain('invitation_accepted');
    // (the notice gone, so that the shot shows the page as it stays)
    await page.getByText('已接受邀请').first().waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, 'invitations-04-record-after-accept');

    const [party] = await web.t.ds.query(
      `SELECT o.name, cp.accepted_at IS NOT NULL AS accepted FROM case_parties cp JOIN organisations o ON o.id = cp.organisation_id WHERE cp.case_id = $1`,
      [Number(r.caseRef.split(':')[1])],
    );
    expect(party).toEqual({ name: body.organisation.name, accepted: true });
    // the link is spent: it says so, and offers nothing to accept
    await page.goto(acceptUrl(r.token));
    expect((await factsOf(page)).status).toBe('已接受');
    await page.getByTestId('invitation-closed').waitFor();
    expect(await page.getByTestId('invitation-accept').count()).toBe(0);
  }, 180_000);

  it('another enterprise opening the link is refused with the server’s message; it logs out, the invited one logs in, comes back and accepts', async () => {
    const r = await invitedRecord('hr@other-host.example');
    const page = await web.open('enterprise');
    await page.goto(acceptUrl(r.token));
    await page.getByTestId('invitation-accept').click();
    const error = page.getByTestId('invitation-error');
    await error.waitFor();
    expect(await error.innerText()).toContain(`此邀请发给统一社会信用代码为 ${r.code} 的单位，您所在的单位不是该单位`);
    await screenshot(page, 'invitations-05-other-enterprise-refused');

    // the invited enterprise registers meanwhile (elsewhere); the page now offers logging in first
    const host = registrationBody({ county: '330381' });
    host.organisation.creditCode = r.code;
    expect((await web.t.http().post('/api/auth/register-enterprise').send(host)).status).toBe(201);

    await page.getByTestId('invitation-switch').click();
    await page.waitForURL((u) => u.hash.startsWith('#/login'));
    await page.locator('input[name="username"]').fill(host.user.username);
    await page.locator('input[name="password"]').fill(host.user.password);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => u.hash.startsWith('#/invitations/accept?invitation='), { timeout: 15_000 });
    await page.getByTestId('invitation-account').filter({ hasText: host.organisation.name }).waitFor();
    await page.getByTestId('invitation-accept').click();
    await page.waitForURL((u) => u.hash.startsWith(`#/practice-records/${r.id}/show`), { timeout: 15_000 });
    await page
      .getByTestId('case-party')
      .filter({ hasText: `接收企业：${host.organisation.name}` })
      .waitFor();

    // an anonymous visitor now sees the code as registered: logging in is the way offered first
    const r2 = await invitedRecord('hr@second.example');
    const anonymous = await web.newPage();
    const other = registrationBody({ county: '330381' });
    other.organisation.creditCode = r2.code;
    expect((await web.t.http().post('/api/auth/register-enterprise').send(other)).status).toBe(201);
    await anonymous.goto(acceptUrl(r2.token));
    await anonymous.getByTestId('invitation-facts').waitFor();
    expect(await anonymous.getByTestId('invitation-login').getAttribute('class')).toContain('MuiButton-contained');
    expect(await anonymous.getByTestId('invitation-register').getAttribute('class')).toContain('MuiButton-outlined');

    // once expired, the link says so and asks for a new one from the inviter
    await web.t.ds.query(`UPDATE case_parties SET invite_expires_at = now() - interval '1 minute' WHERE case_id = $1`, [Number(r2.caseRef.split(':')[1])]);
    const [{ day }] = await web.t.ds.query<Array<{ day: string }>>(
      `SELECT to_char(invite_expires_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day FROM case_parties WHERE case_id = $1`,
      [Number(r2.caseRef.split(':')[1])],
    );
    await anonymous.reload();
    expect((await factsOf(anonymous)).status).toBe('已过期');
    await anonymous
      .getByTestId('invitation-closed')
      .filter({ hasText: `此邀请已于 ${day} 过期，请联系邀请方（${r2.school}）重新发送邀请。` })
      .waitFor();
    expect(await anonymous.getByTestId('invitation-login').count()).toBe(0);
  }, 180_000);

  it('the teacher sees the invited host by its credit code until when, and mails the invitation again: the old link stops working', async () => {
    const r = await invitedRecord('hr@resend.example');
    const page = await web.open(r.teacher.username);
    await page.goto(`${web.base}/#/practice-records/${r.id}/show`);
    const chip = page.getByTestId('case-party');
    await chip.filter({ hasText: `接收企业：受邀单位 ${r.code}（已邀请，待接受，有效期至 ${r.until}）` }).waitFor();
    await screenshot(page, 'invitations-06-teacher-record-invited');
    await page.getByTestId('resend-invitation').click();
    await page.getByText('已重新发送邀请').first().waitFor();
    await web.t.drain();
    const fresh = mailbox.tokenFor('hr@resend.example');
    expect(fresh).not.toBe(r.token);

    const anonymous = await web.newPage();
    await anonymous.goto(acceptUrl(r.token));
    await anonymous.getByTestId('invitation-unusable').filter({ hasText: '邀请链接无效或已被新的邀请取代，请使用最新一封邀请邮件中的链接' }).waitFor();
    await screenshot(anonymous, 'invitations-07-replaced-link');
    await anonymous.goto(acceptUrl(fresh));
    expect((await factsOf(anonymous)).status).toBe('待接受');

    // the school's admin reads the record too, but did not invite: no button for it
    const school = await web.open('school');
    await school.goto(`${web.base}/#/practice-records/${r.id}/show`);
    await school
      .getByTestId('case-party')
      .filter({ hasText: `受邀单位 ${r.code}` })
      .waitFor();
    expect(await school.getByTestId('resend-invitation').count()).toBe(0);
  }, 180_000);
});
