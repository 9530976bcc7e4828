import { CertificationsService } from '@portal/certification';
import { screenshot } from '@portal/testing';
import { browserSuite, useBrowserApp } from '../support/browser-app.js';

browserSuite('a certified enterprise submits its annual report in Chromium', () => {
  const web = useBrowserApp();

  beforeAll(async () => {
    const [{ id: enterpriseId }] = await web.t.ds.query(`SELECT id FROM organisations WHERE name = '温州瓯江电气科技有限公司'`);
    await web.t.ds.transaction((em) =>
      web.t.app.get(CertificationsService).grant(em, { enterpriseId, level: 'city', source: 'portal', certifiedAt: '2025-06-30', actorId: null }),
    );
  }, 120_000);

  it('opens 我的认定与年度报告, fills the form, and the report is listed and stored', async () => {
    const page = await web.open('enterprise');
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
    const [row] = await web.t.ds.query(`SELECT year, content FROM annual_reports`);
    expect(row).toMatchObject({ year: 2025, content: { orderClasses: 2, internsHosted: 40, summary: '与温州职业技术学院共建订单班两个，接收实习生四十名。' } });
  });
});
