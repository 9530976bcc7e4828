import { addDays, addYears, portalToday } from '@portal/contracts';
import { screenshot } from '@portal/testing';
import type { Page } from 'playwright-core';
import { browserSuite, useBrowserApp } from '../support/browser-app.js';
import { act, submitted } from '../support/certification.js';
import { classAct, draftClass } from '../support/order-classes.js';
import { createUser, organisationId, organisationOf, registerEnterprise } from '../support/people.js';
import { actOn, call, daysAgo, logRecord, newTeacher } from '../support/practice.js';

browserSuite('an enterprise’s home page in Chromium: its pending work first, then its certification', () => {
  const web = useBrowserApp({ JOBS_ENABLED: 'false' });
  let enterpriseId: number;

  beforeAll(async () => {
    enterpriseId = await organisationOf(web.t, 'enterprise');
  }, 120_000);

  /** The list page's filter, read from its address. */
  const filterOf = (page: Page) => JSON.parse(decodeURIComponent(new URL(page.url().replace('/#/', '/')).searchParams.get('filter')!));
  const home = async (page: Page) => {
    await page.goto(`${web.base}/#/`);
    await page.getByTestId('enterprise-pending').waitFor();
  };

  it('with nothing to do and no certification: says so, and the button opens the application page', async () => {
    const page = await web.open('enterprise');
    const pending = page.getByTestId('enterprise-pending');
    await pending.getByText('暂无待本企业办理的事项').waitFor();
    const card = page.getByTestId('enterprise-certification');
    await card.getByTestId('enterprise-certification-none').getByText('本企业尚未取得产教融合型企业认定，也没有正在办理的认定申请', { exact: false }).waitFor();
    await page.getByTestId('kpi-board').waitFor();
    await screenshot(page, 'enterprise-home-01-nothing-yet');
    await card.getByRole('button', { name: '发起认定申请' }).click();
    await page.waitForURL((u) => u.hash.startsWith('#/my-application'));
    await page.getByRole('button', { name: '开始申报' }).waitFor();
  }, 120_000);

  it('counts what awaits it (each count opens its list with the same total), the oldest first with their deadlines; its certifications and application', async () => {
    // two order classes the demo school submitted for the enterprise's confirmation: the first 9 days ago, 2 days overdue
    const older = await draftClass(web.t, { name: '智能配电订单班' });
    const newer = await draftClass(web.t, { name: '工业机器人订单班' });
    // and one submitted for another enterprise: not this one's to confirm
    const other = await registerEnterprise(web.t, '330302');
    const foreign = await draftClass(web.t, { name: '他企订单班', enterpriseUser: other.username });
    for (const c of [older, newer, foreign]) expect((await classAct(web.t, 'school', c.id, { action: 'submit' })).status).toBe(200);
    await web.t.ds.query(
      `UPDATE cases SET stage_entered_at = now() - interval '9 days', stage_due_at = now() - interval '2 days' WHERE id = (SELECT case_id FROM order_classes WHERE id = $1)`,
      [older.id],
    );
    // a teacher's practice record awaiting the enterprise's confirmation of its hours
    const teacher = await newTeacher(web.t, 'school', { displayName: '李老师' });
    const record = await logRecord(web.t, teacher.username, { hostOrgId: enterpriseId, startDate: daysAgo(14), endDate: daysAgo(10), hours: 32 });
    expect(record.status).toBe(201);
    expect((await actOn(web.t, teacher.username, record.body.id, { action: 'submit' })).status).toBe(200);
    // a 千企万岗 application another school has let go, awaiting the enterprise's acceptance
    await createUser(web.t, { username: 'home_school2', roles: ['school_admin'], organisationId: await organisationId(web.t, 'school', '温州职业技术学院') });
    const post = await call(web.t, 'enterprise', 'post', '/api/practice-posts', {
      title: '配电柜装配岗',
      major: '电气自动化技术',
      openings: 2,
      startDate: daysAgo(-7),
      endDate: daysAgo(-60),
      content: '参与装配线工艺改进',
      mentorName: '李导师',
    });
    expect(post.status).toBe(201);
    const applicant = await newTeacher(web.t, 'home_school2', { displayName: '申请教师' });
    const applied = await call(web.t, applicant.username, 'post', '/api/practice-applications', { postId: post.body.id });
    expect(applied.status).toBe(201);
    expect((await call(web.t, 'home_school2', 'post', `/api/practice-applications/${applied.body.id}/actions`, { action: 'school_approve' })).status).toBe(200);

    // its certifications: a city one that has expired, a provincial one the city recorded; and its renewal application at 县级初审
    const today = portalToday();
    await web.t.ds.query(`INSERT INTO certifications (enterprise_id, level, source, certified_at, valid_until) VALUES ($1, 'city', 'portal', $2, $3)`, [
      enterpriseId,
      addYears(today, -4),
      addDays(today, -30),
    ]);
    const recorded = await call(web.t, 'city', 'post', '/api/certifications', {
      enterpriseId,
      level: 'provincial',
      documentNo: '浙发改社会〔2025〕8号',
      certifiedAt: addDays(today, -10),
    });
    expect(recorded.status).toBe(201);
    const application = await submitted(web.t, 'enterprise');

    const page = await web.open('enterprise');
    const pending = page.getByTestId('enterprise-pending');
    await pending.getByTestId('enterprise-pending-total').waitFor();
    expect(await pending.getByTestId('enterprise-pending-total').innerText()).toBe('共 4 件');
    expect(await pending.getByTestId('pending-order-classes-count').innerText()).toBe('2 个');
    expect(await pending.getByTestId('pending-practice-records-count').innerText()).toBe('1 条');
    expect(await pending.getByTestId('pending-practice-applications-count').innerText()).toBe('1 份');
    // the oldest first: the overdue class (waiting 9 days), then the one that arrived today with its deadline
    const classRows = await pending
      .getByTestId('pending-order-classes')
      .locator('[data-testid^="pending-order-classes-row-"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    expect(classRows).toEqual([older.id, newer.id].map((id) => `pending-order-classes-row-${id}`));
    const olderRow = pending.getByTestId(`pending-order-classes-row-${older.id}`);
    await olderRow.getByText('浙江工贸职业技术学院').waitFor();
    expect(await olderRow.getByTestId('pending-waited').innerText()).toBe('已等待 9 天');
    expect(await olderRow.getByTestId('pending-overdue').innerText()).toBe('已逾期 2 天');
    const newerRow = pending.getByTestId(`pending-order-classes-row-${newer.id}`);
    expect(await newerRow.getByTestId('pending-waited').innerText()).toBe('今日新到');
    expect(await newerRow.getByTestId('pending-due').innerText()).toMatch(/^办理时限 \d{4}-\d{2}-\d{2}$/);
    await pending.getByTestId(`pending-practice-records-row-${record.body.id}`).getByText('李老师（32 学时）').waitFor();
    await pending.getByTestId(`pending-practice-applications-row-${applied.body.id}`).getByText('申请教师 · 温州职业技术学院').waitFor();
    // the applications awaiting acceptance are shown once: in the pending card, no longer under the posts
    await page.getByTestId('enterprise-posts').getByText('我的千企万岗岗位').waitFor();
    expect(await page.getByTestId('enterprise-posts').getByText('申请教师').count()).toBe(0);

    // its certification: both certifications with their status in words, the application with its stage
    const card = page.getByTestId('enterprise-certification');
    const provincial = card.getByTestId(`enterprise-certification-${recorded.body.id}`);
    await provincial.getByText('省级产教融合型企业').waitFor();
    await provincial.getByText('有效', { exact: true }).waitFor();
    await provincial.getByText('文号 浙发改社会〔2025〕8号').waitFor();
    const city = card.locator('[data-testid^="enterprise-certification-"]').filter({ hasText: '市级产教融合型企业' });
    await city.getByText('已过期', { exact: true }).waitFor();
    await city.getByText(`有效期至 ${addDays(today, -30)}`, { exact: false }).waitFor();
    const app = card.getByTestId('enterprise-certification-application');
    await app.getByText(`${application.year} 年度认定申请`).waitFor();
    expect(await app.getByTestId('stage-chip').innerText()).toBe('县级初审');
    await app.getByText(/^办理时限 \d{4}-\d{2}-\d{2}$/).waitFor();

    // pending work first, right under the welcome card; then the certification; then the figures
    await page.getByTestId('kpi-board').waitFor();
    const y = async (id: string) => (await page.getByTestId(id).boundingBox())!.y;
    expect(await y('welcome')).toBeLessThan(await y('enterprise-pending'));
    expect(await y('enterprise-pending')).toBeLessThan(await y('enterprise-certification'));
    expect(await y('enterprise-certification')).toBeLessThan(await y('kpi-board'));
    await page.waitForTimeout(500);
    await screenshot(page, 'enterprise-home-02-pending-and-certification');

    // each count opens its list, filtered as counted: the same total
    const lists = [
      ['pending-order-classes-count', '#/order-classes', { state: 'enterprise_confirm' }, 2],
      ['pending-practice-records-count', '#/practice-records', { state: 'host_confirm' }, 1],
      ['pending-practice-applications-count', '#/practice-applications', { state: 'school_approved' }, 1],
    ] as const;
    for (const [testId, hash, filter, n] of lists) {
      await home(page);
      await page.getByTestId(testId).click();
      await page.waitForURL((u) => u.hash.startsWith(hash));
      expect(filterOf(page)).toEqual(filter);
      await page.getByText(`共 ${n} 条`).waitFor();
      expect(await page.locator('table tbody tr').count()).toBe(n);
      if (hash === '#/order-classes') {
        await screenshot(page, 'enterprise-home-03-order-classes-to-confirm');
        // headers stay on one line (the theme); in a narrow window the list scrolls inside its card, the page does not widen
        const wraps = await page.evaluate<string[]>(`[...document.querySelectorAll('table thead th')]
          .filter((th) => th.textContent.trim()).map((th) => getComputedStyle(th).whiteSpace)`);
        expect(wraps.length).toBeGreaterThan(5);
        expect(new Set(wraps)).toEqual(new Set(['nowrap']));
        await page.setViewportSize({ width: 960, height: 900 });
        const widths = await page.evaluate<{ page: number; window: number; list: number; card: number }>(`(() => {
          const wrapper = document.querySelector('.RaDataTable-tableWrapper');
          return { page: document.documentElement.scrollWidth, window: window.innerWidth, list: wrapper.scrollWidth, card: wrapper.clientWidth };
        })()`);
        expect(widths.page).toBeLessThanOrEqual(widths.window);
        expect(widths.list).toBeGreaterThan(widths.card);
        await screenshot(page, 'enterprise-home-03b-order-classes-narrow-window');
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    }
    // a row opens its record; the application opens the enterprise's application page
    await home(page);
    await page.getByTestId(`pending-order-classes-row-${older.id}`).click();
    await page.waitForURL((u) => u.hash.startsWith(`#/order-classes/${older.id}/show`));
    await page.getByText('智能配电订单班').first().waitFor();
    await home(page);
    await page.getByTestId('enterprise-certification-open-application').click();
    await page.waitForURL((u) => u.hash.startsWith('#/my-application'));
    await page.getByTestId('stage-chip').getByText('县级初审').first().waitFor();
  }, 180_000);

  it('puts its own application returned for corrections first among what awaits it, with the items and the deadline', async () => {
    const [mine] = (
      await web.t
        .http()
        .get('/api/certification-applications')
        .set('Authorization', `Bearer ${await web.t.token('enterprise')}`)
    ).body;
    const returned = await act(web.t, 'county', mine.id, { action: 'return', comment: '请补充合作协议', items: ['补充校企合作协议原件'] });
    expect(returned.status).toBe(200);
    const page = await web.open('enterprise');
    const group = page.getByTestId('pending-returned-applications');
    await group.getByText(`${mine.year} 年度产教融合型企业认定申报`).waitFor();
    await group.getByText('需补正 1 项').waitFor();
    expect(await group.getByTestId('pending-returned-applications-count').innerText()).toBe('1 份');
    // first among the kinds of pending work
    const first = await page.getByTestId('enterprise-pending').locator('[data-testid^="pending-"]').first().getAttribute('data-testid');
    expect(first).toBe('pending-returned-applications');
    await screenshot(page, 'enterprise-home-04-returned-application');
    await group.getByTestId(`pending-returned-applications-row-${mine.id}`).click();
    await page.waitForURL((u) => u.hash.startsWith('#/my-application'));
    await page.getByTestId('stage-chip').getByText('退回补正').first().waitFor();
  }, 120_000);
});
