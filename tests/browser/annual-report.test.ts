import type { Browser, Page } from 'playwright-core';
import { CertificationsService } from '@portal/certification';
import { browserAvailable, demoPassword, launchBrowser, pageAs, screenshot, startTestApp, type TestApp } from '@portal/testing';

// Runs wherever Debian's Chromium is installed (CI sets REQUIRE_BROWSER, so there a missing one fails).
const suite = browserAvailable() ? describe : describe['skip'];

suite('a certified enterprise submits its annual report in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp();
    base = await t.listen();
    browser = await launchBrowser();
    const [{ id: enterpriseId }] = await t.ds.query(`SELECT id FROM organisations WHERE name = '温州瓯江电气科技有限公司'`);
    await t.ds.transaction((em) =>
      t.app.get(CertificationsService).grant(em, { enterpriseId, level: 'city', source: 'portal', certifiedAt: '2025-06-30', actorId: null }),
    );
  }, 120_000);
  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await t?.close();
  });

  it('opens 我的认定与年度报告, fills the form, and the report is listed and stored', async () => {
    page = await pageAs(browser, base, 'enterprise', demoPassword());
    await page.getByRole('menuitem', { name: '我的认定与年度报告' }).click();
    await page.getByRole('button', { name: '年度报告' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('尚未提交年度报告').waitFor();
    await dialog.getByLabel('报告年度').fill('2025');
    await dialog.getByLabel('年度工作总结').fill('与温州职业技术学院共建订单班两个，接收实习生四十名。');
    await dialog.getByLabel('订单班（个）').fill('2');
    await dialog.getByLabel('接收实习（人）').fill('40');
    await screenshot(page, 'annual-01-form');
    await dialog.getByRole('button', { name: '提交' }).click();
    await dialog.getByTestId('annual-report').filter({ hasText: '2025 年度' }).waitFor();
    await screenshot(page, 'annual-02-submitted');
    const [row] = await t.ds.query(`SELECT year, content FROM annual_reports`);
    expect(row).toMatchObject({ year: 2025, content: { orderClasses: 2, internsHosted: 40, summary: '与温州职业技术学院共建订单班两个，接收实习生四十名。' } });
  });
});
