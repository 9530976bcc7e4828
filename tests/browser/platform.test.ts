import type { Page } from 'playwright-core';
import { demoPassword, loginInBrowser, screenshot } from '@portal/testing';
import { browserSuite, useBrowserApp } from '../support/browser-app.js';

browserSuite('the web app in Chromium: login, role-aware menu, user administration', () => {
  const web = useBrowserApp();
  let page: Page;

  beforeEach(async () => {
    page = await web.newPage();
  });

  const menuTexts = async () =>
    (await page.locator('.RaMenu-open a, .RaMenu-closed a, [class*="RaMenu"] a').allInnerTexts()).map((s) => s.trim()).filter(Boolean);

  it('shows the login page in Chinese and refuses a wrong password with a Chinese message', async () => {
    await page.goto(`${web.base}/#/login`);
    await page.getByText('温州市产教融合平台').first().waitFor();
    await screenshot(page, 'platform-01-login');
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill('wrong-password');
    await page.locator('button[type="submit"]').click();
    await page.getByText('用户名或密码错误').waitFor();
    await screenshot(page, 'platform-02-login-refused');
  });

  it('logs the admin in with the admin menu, and the admin creates a user', async () => {
    await loginInBrowser(page, web.base, 'admin', demoPassword());
    await page.getByText('用户管理').first().waitFor();
    const menu = await menuTexts();
    for (const item of ['机构管理', '用户管理', '系统设置', '登录日志']) expect(menu).toContain(item);
    await screenshot(page, 'platform-03-admin-dashboard');

    await page.goto(`${web.base}/#/users/create`);
    await page.locator('input[name="username"]').fill('browser_teacher');
    await page.locator('input[name="displayName"]').fill('浏览器测试教师');
    await page.locator('input[name="password"]').fill('Browser2025');
    // organisation: 浙江工贸职业技术学院 (a school) via the reference autocomplete
    const org = page.locator('input[name="organisationId"], [id*="organisationId"] input').first();
    await org.click();
    await org.fill('浙江工贸');
    await page
      .getByRole('option', { name: /浙江工贸职业技术学院/ })
      .first()
      .click();
    // role: 专业教师
    await page.getByRole('combobox', { name: /角色/ }).click();
    await page.getByRole('option', { name: '专业教师' }).click();
    await page.keyboard.press('Escape');
    await screenshot(page, 'platform-04-user-create-form');
    await page.getByRole('button', { name: /保存/ }).click();
    await page.waitForURL((u) => !u.hash.includes('/create'), { timeout: 15_000 });
    const [created] = await web.t.ds.query(
      `SELECT u.roles, o.name FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.username = 'browser_teacher'`,
    );
    expect(created).toEqual({ roles: ['teacher'], name: '浙江工贸职业技术学院' });
    await screenshot(page, 'platform-05-user-created');
    // a time reads as in Wenzhou, in the portal's one format, whatever the browser's clock (Chromium here runs on UTC)
    const [{ at }] = await web.t.ds.query(
      `SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS at FROM users WHERE username = 'browser_teacher'`,
    );
    await page.goto(`${web.base}/#/users`);
    await page.locator('table tbody tr').filter({ hasText: 'browser_teacher' }).getByText(at, { exact: true }).waitFor();
    // the new teacher can log in
    expect((await web.t.http().post('/api/auth/login').send({ username: 'browser_teacher', password: 'Browser2025' })).status).toBe(200);
  });

  it('edits a user without ever holding the whole phone: shown masked, a new number sent only when typed, removed only when asked', async () => {
    const admin = `Bearer ${await web.t.token('admin')}`;
    const [{ id: schoolId }] = await web.t.ds.query(`SELECT id FROM organisations WHERE name = '浙江工贸职业技术学院'`);
    const made = await web.t
      .http()
      .post('/api/users')
      .set('Authorization', admin)
      .send({
        username: 'browser_phone',
        displayName: '号码教师',
        password: 'Browser2025',
        organisationId: schoolId,
        roles: ['teacher'],
        phone: '13812345678',
      });
    expect(made.status).toBe(201);
    const phoneOf = async () => (await web.t.ds.query(`SELECT phone, display_name FROM users WHERE id = $1`, [made.body.id]))[0];
    await loginInBrowser(page, web.base, 'admin', demoPassword());
    const open = async () => {
      await page.goto(`${web.base}/#/users/${made.body.id}`);
      await page.getByText('当前号码 138****5678（已脱敏）；留空则不修改').waitFor();
    };
    await open();
    expect(await page.locator('input[name="phone"]').inputValue()).toBe('');
    expect(await page.content()).not.toContain('13812345678');
    await screenshot(page, 'platform-09-user-edit-phone');
    // another change leaves the stored phone as it was
    await page.locator('input[name="displayName"]').fill('号码教师（改）');
    await page.getByRole('button', { name: /保存/ }).click();
    await page.waitForURL((u) => u.hash === '#/users', { timeout: 15_000 });
    expect(await phoneOf()).toEqual({ phone: '13812345678', display_name: '号码教师（改）' });
    // a new number typed in is written whole
    await open();
    await page.locator('input[name="phone"]').fill('13900001234');
    await page.getByRole('button', { name: /保存/ }).click();
    await page.waitForURL((u) => u.hash === '#/users', { timeout: 15_000 });
    expect(await phoneOf()).toEqual({ phone: '13900001234', display_name: '号码教师（改）' });
    // emptying the input keeps the number; the box removes it
    await page.goto(`${web.base}/#/users/${made.body.id}`);
    await page.getByText('当前号码 139****1234（已脱敏）；留空则不修改').waitFor();
    await page.getByLabel('清除手机号码').check();
    expect(await page.locator('input[name="phone"]').isDisabled()).toBe(true);
    await screenshot(page, 'platform-10-user-clear-phone');
    await page.getByRole('button', { name: /保存/ }).click();
    await page.waitForURL((u) => u.hash === '#/users', { timeout: 15_000 });
    expect(await phoneOf()).toEqual({ phone: null, display_name: '号码教师（改）' });
    await page.goto(`${web.base}/#/users/${made.body.id}`);
    await page.getByText('尚未填写手机号码；留空则不填写').waitFor();
  });

  it('lets the admin keep the holiday and 调休 calendar: a new holiday is stored and counted', async () => {
    await loginInBrowser(page, web.base, 'admin', demoPassword());
    await page.getByText('节假日与调休').first().click();
    await page.getByText('2026-10-01').first().waitFor();
    await screenshot(page, 'platform-07-calendar');
    await page.goto(`${web.base}/#/calendar-days/create`);
    await page.locator('input[name="day"]').fill('2027-05-06');
    await page.getByRole('combobox', { name: /类型/ }).click();
    await page.getByRole('option', { name: '法定节假日' }).click();
    await page.locator('input[name="name"]').fill('测试假日');
    await page.getByRole('button', { name: /保存/ }).click();
    await page.waitForURL((u) => !u.hash.includes('/create'), { timeout: 15_000 });
    expect(await web.t.ds.query(`SELECT kind, name FROM calendar_days WHERE day = '2027-05-06'`)).toEqual([{ kind: 'holiday', name: '测试假日' }]);
  });

  it('shows settings and workflows in Chinese: labels and descriptions, never keys or action codes', async () => {
    await loginInBrowser(page, web.base, 'admin', demoPassword());
    await page.goto(`${web.base}/#/settings`);
    await page.getByText('公示期（工作日）').first().waitFor();
    await page.getByText('评审通过后社会公示的期限').first().waitFor();
    expect(await page.getByText('workflow.publicityWorkingDays').count()).toBe(0);
    await screenshot(page, 'platform-08-settings');
    await page.goto(`${web.base}/#/workflows`);
    await page.getByTestId('workflow-diagram').waitFor();
    await page.getByText('提交申报').first().waitFor();
    expect(await page.getByText('(submit)').count()).toBe(0);
  });

  it('logs an enterprise user in with its own menu and no admin items', async () => {
    await loginInBrowser(page, web.base, 'enterprise', demoPassword());
    await page.getByText('我的单位').first().waitFor();
    const menu = await menuTexts();
    expect(menu).toContain('我的单位');
    for (const item of ['机构管理', '系统设置', '登录日志']) expect(menu).not.toContain(item);
    await page.getByText('我的单位').first().click();
    await page.getByText('温州瓯江电气科技有限公司').first().waitFor();
    await screenshot(page, 'platform-06-enterprise-my-organisation');
  });
});
