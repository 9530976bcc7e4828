import type { Page } from 'playwright-core';
import { CERTIFICATION_CHECKLIST } from '@portal/contracts';
import { shanghaiDate } from '@portal/workflow';
import { screenshot, tinyPdf } from '@portal/testing';
import { browserSuite, useBrowserApp } from '../support/browser-app.js';

const ENTERPRISE = '温州瓯江电气科技有限公司';

/** A date N days from today in Asia/Shanghai, YYYY-MM-DD (as the app's date inputs and labels show it). */
const dayFromToday = (days: number): string => shanghaiDate(new Date(Date.now() + days * 86_400_000));

browserSuite('the reviewer inbox in Chromium: 退回补正, the applicant fixes and resubmits, 同意推荐', () => {
  const web = useBrowserApp();

  /** 待办事项 → the row of the demo enterprise's application → its page. */
  const openFromInbox = async (page: Page, shotName?: string) => {
    await page.getByRole('menuitem', { name: '待办事项' }).click();
    const row = page.locator('table tbody tr').filter({ hasText: ENTERPRISE });
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await row.getByText('县级初审').waitFor();
    if (shotName) await screenshot(page, shotName);
    await row.getByText(ENTERPRISE).click();
    await page.getByTestId('application-details').waitFor();
    await page.getByTestId('case-actions').getByRole('button', { name: '同意推荐' }).waitFor();
  };

  it('returns an application for 补正 from the inbox, shows the items to the enterprise, and recommends the resubmission', async () => {
    // the enterprise's filled application, submitted over HTTP (the browser part is the reviewer's)
    const ent = `Bearer ${await web.t.token('enterprise')}`;
    let res = await web.t.http().post('/api/certification-applications').set('Authorization', ent).send({});
    expect(res.status).toBe(201);
    const app = res.body;
    res = await web.t
      .http()
      .put(`/api/certification-applications/${app.id}`)
      .set('Authorization', ent)
      .send({
        dataVersion: app.dataVersion,
        plan: '三年内与温州职业技术学院共建电气自动化产业学院，每年接收实习生 30 名。',
        declarations: { noMajorAccident: true, notDishonest: true, mainBusinessNotEducation: true },
        evidence: [
          { type: 'order_class', description: '电气自动化订单班', schoolName: '温州职业技术学院', year: 2024, count: 1, source: 'manual' },
          { type: 'internship', description: '接收实习生', schoolName: '温州技师学院', year: 2025, count: 30, source: 'manual' },
          { type: 'investment', description: '捐赠实训设备', year: 2025, amountYuan: 350000, source: 'manual' },
        ],
      });
    expect(res.status).toBe(200);
    for (const c of CERTIFICATION_CHECKLIST) {
      const up = await web.t
        .http()
        .post(`/api/cases/${app.caseRef}/attachments`)
        .set('Authorization', ent)
        .field('purpose', c.purpose)
        .attach('file', await tinyPdf(c.label), `${c.purpose}.pdf`);
      expect(up.status).toBe(201);
    }
    res = await web.t.http().post(`/api/certification-applications/${app.id}/actions`).set('Authorization', ent).send({ action: 'submit' });
    expect(res.status).toBe(200);
    expect(res.body.case.state).toBe('county_review');

    // the county reviewer's inbox shows the task; the case opens on the application's page
    const county = await web.open('county');
    await openFromInbox(county, 'review-01-county-inbox');
    await expect(county.getByTestId('stage-chip').innerText()).resolves.toBe('县级初审');
    // the evidence table reads in the case page's column: all of it in view (no column pushed out to scroll to),
    // headings and sources on one line, a school's name on at most two (they were squeezed to a character a line:
    // 来/源, 手/工/填/报, or pushed out of sight)
    // (a string: the tests are compiled without the DOM's types)
    const lines = await county.evaluate<{ overflow: number; headings: number[]; schools: number[]; sources: Array<[string, number]> }>(`(() => {
      const table = document.querySelector('[data-testid="evidence-table"]');
      const count = (cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
      };
      const rows = [...table.querySelectorAll('tbody tr')];
      return {
        overflow: table.parentElement.scrollWidth - table.parentElement.clientWidth,
        headings: [...table.querySelectorAll('thead th')].map(count),
        schools: rows.map((r) => count(r.children[3])),
        sources: [...table.querySelectorAll('[data-testid="evidence-source"]')].map((s) => [s.textContent, count(s)]),
      };
    })()`);
    expect(lines.overflow).toBeLessThanOrEqual(0);
    expect(lines.headings.every((n) => n <= 1)).toBe(true);
    expect(lines.sources).toEqual([
      ['手工填报', 1],
      ['手工填报', 1],
      ['手工填报', 1],
    ]);
    expect(Math.max(...lines.schools)).toBeLessThanOrEqual(2);

    // 退回补正 with two items and a deadline
    const deadline = dayFromToday(14);
    const items = ['营业执照复印件不清晰，请重新上传', '三年规划请细化到年度'];
    await county.getByRole('button', { name: '退回补正' }).click();
    const dialog = county.getByRole('dialog');
    await dialog.getByRole('textbox', { name: '补正事项 1' }).fill(items[0]);
    await dialog.getByRole('button', { name: '添加一项' }).click();
    await dialog.getByRole('textbox', { name: '补正事项 2' }).fill(items[1]);
    // offered: today + the setting workflow.correctionDays (10 by default), which the reviewer changes here
    expect(await dialog.getByLabel('补正期限').inputValue()).toBe(dayFromToday(10));
    await dialog.getByLabel('补正期限').fill(deadline);
    await dialog.getByLabel('意见（选填）').fill('请按清单补正后重新提交');
    expect(await dialog.getByLabel('补正期限').inputValue()).toBe(deadline);
    await screenshot(county, 'review-02-return-dialog');
    await dialog.getByRole('button', { name: '确定' }).click();
    await county.getByText('已完成：退回补正').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await county.getByTestId('stage-chip').filter({ hasText: '退回补正' }).waitFor();
    // no longer the county's to act on
    await county.getByText('您当前没有可执行的操作。').waitFor();

    // the enterprise sees the 补正 items and the deadline on its application page
    const enterprise = await web.open('enterprise');
    await enterprise.getByRole('menuitem', { name: '认定申报' }).click();
    const notice = enterprise.getByTestId('return-notice');
    await notice.waitFor();
    await notice.getByText(`请在 ${deadline} 前补正`).waitFor();
    for (const item of items) await notice.getByText(item).waitFor();
    await enterprise.getByTestId('stage-chip').filter({ hasText: '退回补正' }).waitFor();
    await screenshot(enterprise, 'review-03-enterprise-return-items');

    // it edits the plan (saved by itself), then resubmits
    const newPlan = '三年规划（细化到年度）：2026 年共建实训基地；2027 年新增订单班 2 个；2028 年接收实习生 60 名。';
    const plan = enterprise.getByRole('textbox', { name: '三年产教融合规划' });
    const saved = enterprise.waitForResponse(
      (r) =>
        r.request().method() === 'PUT' &&
        r.url().includes(`/api/certification-applications/${app.id}`) &&
        (r.request().postData() ?? '').includes('2028 年接收实习生'),
    );
    await plan.fill(newPlan);
    expect((await saved).status()).toBe(200);
    await enterprise.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
    await screenshot(enterprise, 'review-04-enterprise-edited');
    await enterprise.getByRole('button', { name: '补正后重新提交' }).click();
    await enterprise.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await enterprise.getByText('已完成：补正后重新提交').waitFor();
    await enterprise.getByTestId('stage-chip').filter({ hasText: '县级初审' }).waitFor();
    expect(await enterprise.getByTestId('return-notice').count()).toBe(0);
    await screenshot(enterprise, 'review-05-enterprise-resubmitted');

    // back in the county's inbox; the diff between the two submissions and the timeline
    await openFromInbox(county, 'review-06-county-inbox-again');
    await county.getByRole('tab', { name: '补正前后对比' }).click();
    const diff = county.getByTestId('case-diff');
    await diff.getByText('第 1 次提交 → 第 2 次提交').waitFor();
    const planRow = diff.locator('tr').filter({ hasText: '三年产教融合规划' });
    await planRow.waitFor();
    await planRow.getByText('三年内与温州职业技术学院共建电气自动化产业学院', { exact: false }).waitFor();
    await planRow.getByText(newPlan).waitFor();
    await screenshot(county, 'review-07-county-diff');

    await county.getByRole('tab', { name: '办理记录' }).click();
    const timeline = county.getByTestId('case-timeline');
    await timeline.waitFor();
    for (const label of ['提交申报', '退回补正', '补正后重新提交']) await timeline.getByText(label, { exact: true }).first().waitFor();
    for (const item of items) await timeline.getByText(item).waitFor();
    await screenshot(county, 'review-08-county-timeline');

    // 同意推荐: the case moves on to 市级复核
    await county.getByTestId('case-actions').getByRole('button', { name: '同意推荐' }).click();
    await county.getByRole('dialog').getByLabel('意见（选填）').fill('补正到位，同意推荐');
    await county.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await county.getByText('已完成：同意推荐').waitFor();
    await county.getByTestId('stage-chip').filter({ hasText: '市级复核' }).waitFor();
    await county.getByTestId('case-progress').getByText('市级复核', { exact: false }).waitFor();
    await screenshot(county, 'review-09-county-recommended');

    // the database agrees
    const [row] = await web.t.ds.query(
      `SELECT c.id, c.state, c.submissions FROM cases c JOIN certification_applications a ON a.case_id = c.id WHERE a.id = $1`,
      [app.id],
    );
    expect(row).toMatchObject({ state: 'city_review', submissions: 2 });
    const events: Array<{ action: string; payload: { items?: string[]; deadline?: string } | null }> = await web.t.ds.query(
      `SELECT action, payload FROM case_events WHERE case_id = $1 ORDER BY seq`,
      [row.id],
    );
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['submit', 'return', 'resubmit', 'recommend']));
    expect(actions.indexOf('return')).toBeLessThan(actions.indexOf('resubmit'));
    expect(actions.indexOf('resubmit')).toBeLessThan(actions.indexOf('recommend'));
    const ret = events.find((e) => e.action === 'return')!;
    expect(ret.payload?.items).toEqual(items);
    const [{ plan: storedPlan }] = await web.t.ds.query(`SELECT plan FROM certification_applications WHERE id = $1`, [app.id]);
    expect(storedPlan).toBe(newPlan);
  }, 180_000);
});
