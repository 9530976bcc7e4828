import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { CERTIFICATION_CHECKLIST } from '@portal/contracts';
import { screenshot, tinyPdf } from '@portal/testing';
import { browserSuite, useBrowserApp } from '../support/browser-app.js';
import { activeClass } from '../support/order-classes.js';
import { organisationOf } from '../support/people.js';
import { countedRecord, daysAgo, newTeacher } from '../support/practice.js';

const ENTERPRISE = '温州瓯江电气科技有限公司';
/** the demo data's second city reviewer: separation of duties keeps `city` (市级复核) from the decision */
const DECIDER = 'city2';

/** Today in Asia/Shanghai, YYYY-MM-DD (as the app's date inputs take it). */
function shanghaiToday(): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date())
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

browserSuite('产教融合型企业认定 in Chromium: the enterprise, county, city, three experts, 公示, the decision, the certificate and the payment', () => {
  const web = useBrowserApp();

  /** 待办事项 → the row of the demo enterprise's application at this stage → its page, with this action offered. */
  const openFromInbox = async (page: Page, stage: string, action: string, shotName?: string) => {
    await page.getByRole('menuitem', { name: '待办事项' }).click();
    const row = page.locator('table tbody tr').filter({ hasText: ENTERPRISE }).filter({ hasText: stage });
    await row.first().waitFor();
    if (shotName) await screenshot(page, shotName);
    await row.first().getByText(ENTERPRISE).click();
    await page.getByTestId('case-actions').getByRole('button', { name: action }).waitFor();
  };

  /** Click an action of the case, fill its dialog, confirm, and wait for the stage it leads to. */
  const act = async (page: Page, action: string, fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>, stage: string, shotName?: string) => {
    await page.getByTestId('case-actions').getByRole('button', { name: action }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await fill(dialog);
    if (shotName) await dialog.screenshot({ path: `tests/browser/artifacts/${shotName}.png` });
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.getByText(`已完成：${action}`).first().waitFor();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('stage-chip').filter({ hasText: stage }).waitFor();
  };

  const caseOf = async (): Promise<{ appId: number; caseId: number; state: string }> => {
    const rows = await web.t.ds.query(
      `SELECT a.id AS "appId", c.id AS "caseId", c.state FROM certification_applications a JOIN cases c ON c.id = a.case_id JOIN organisations o ON o.id = a.enterprise_id WHERE o.name = $1`,
      [ENTERPRISE],
    );
    expect(rows).toHaveLength(1);
    return { appId: Number(rows[0].appId), caseId: Number(rows[0].caseId), state: rows[0].state };
  };

  it('certifies the demo enterprise through every persona, issues the certificate and records the payment', async () => {
    // the portal's own records of the enterprise, over HTTP: an order class the county filed, a teacher's practice it hosted
    const orderClass = await activeClass(web.t, { name: '瓯江电气智能配电订单班' });
    const teacher = await newTeacher(web.t, 'school', { displayName: '林老师' });
    const practice = await countedRecord(web.t, teacher.username, {
      hostOrgId: await organisationOf(web.t, 'enterprise'),
      startDate: daysAgo(40),
      endDate: daysAgo(36),
      hours: 32,
    });

    // ── enterprise: 认定申报 → 开始申报 → the form, saved as it is typed
    const ent = await web.open('enterprise');
    await ent.getByRole('menuitem', { name: '认定申报' }).click();
    await ent.getByRole('button', { name: '开始申报' }).click();
    const form = ent.getByTestId('application-form');
    await form.waitFor();
    await ent.getByTestId('stage-chip').filter({ hasText: '填报中' }).waitFor();
    await ent.getByTestId('eligibility').locator('li[data-status="block"]').first().waitFor();
    // the form lists the evidence the portal links by itself (read-only, each opening its record) and says the pre-check counts it
    const linked = form.getByTestId('linked-evidence');
    await linked.getByText('平台自动关联的佐证（2）').waitFor();
    await linked.getByText('无需填写', { exact: false }).waitFor();
    const classRow = linked.locator('tr[data-source="order_class"]');
    await classRow.getByText('瓯江电气智能配电订单班', { exact: false }).waitFor();
    await classRow.getByText('培养中', { exact: false }).waitFor();
    expect(await classRow.getByRole('link', { name: '平台订单班' }).getAttribute('href')).toBe(`#/order-classes/${orderClass.id}/show`);
    const practiceRow = linked.locator('tr[data-source="practice_record"]');
    await practiceRow.getByText(`32 学时，${daysAgo(36)} 结束`, { exact: false }).waitFor();
    expect(await practiceRow.getByRole('link', { name: '平台实践记录' }).getAttribute('href')).toBe(`#/practice-records/${practice}/show`);
    await form.getByTestId('evidence-counted').getByText('资格预审计入校企合作佐证共 2 条：本企业填写 0 条，平台自动关联 2 条。').waitFor();
    expect(await linked.getByRole('textbox').count()).toBe(0);
    await screenshot(ent, 'journey-01-enterprise-new-draft');
    await linked.scrollIntoViewIfNeeded();
    await linked.screenshot({ path: 'tests/browser/artifacts/journey-01b-enterprise-linked-evidence.png' });
    // the enterprise may open what is linked: the practice record it hosted
    await practiceRow.getByRole('link', { name: '平台实践记录' }).click();
    await ent.waitForURL((u) => u.hash.startsWith(`#/practice-records/${practice}/show`));
    await ent.getByText('林老师').first().waitFor();
    await ent.goBack();
    await form.waitFor();

    const evidence = [
      { type: '订单班', school: '温州职业技术学院', year: '2024', count: '1', description: '电气自动化订单班（2024 级）' },
      { type: '接收实习', school: '温州技师学院', year: '2025', count: '30', description: '接收电气专业实习生 30 名' },
      { type: '职业教育投入', year: '2025', amount: '350000', description: '捐赠 PLC 实训设备' },
    ];
    for (const [i, e] of evidence.entries()) {
      await form.getByRole('button', { name: '添加佐证' }).click();
      const item = form.getByTestId(`evidence-${i}`);
      await item.getByRole('combobox', { name: '类型' }).click();
      await ent.getByRole('option', { name: e.type, exact: true }).click();
      if (e.school) await item.getByRole('textbox', { name: '合作院校' }).fill(e.school);
      await item.getByRole('spinbutton', { name: '年度' }).fill(e.year);
      if (e.count) await item.getByRole('spinbutton', { name: '数量' }).fill(e.count);
      if (e.amount) await item.getByRole('spinbutton', { name: '金额（元）' }).fill(e.amount);
      await item.getByRole('textbox', { name: '说明' }).fill(e.description);
    }
    for (const d of ['本企业近三年未发生重大安全、环保、质量事故', '本企业未被列入严重失信主体名单', '本企业主营业务不属于教育培训']) {
      await form.getByRole('checkbox', { name: d }).check();
    }
    const plan = '2026 年与温州职业技术学院共建电气自动化产业学院；2027 年新增订单班 2 个；2028 年每年接收实习生 60 名。';
    const lastSave = ent.waitForResponse(
      (r) =>
        r.request().method() === 'PUT' &&
        r.url().includes('/api/certification-applications/') &&
        (r.request().postData() ?? '').includes('2028 年每年接收实习生'),
    );
    await form.getByRole('textbox', { name: '三年产教融合规划' }).fill(plan);
    expect((await lastSave).status()).toBe(200);
    await form.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
    await form.getByTestId('evidence-counted').getByText('资格预审计入校企合作佐证共 5 条：本企业填写 3 条，平台自动关联 2 条。').waitFor();

    // the four checklist files through the file inputs
    for (const c of CERTIFICATION_CHECKLIST) {
      const row = ent.getByTestId('attachment-checklist').locator(`[data-purpose="${c.purpose}"]`);
      await row.locator('input[type="file"]').setInputFiles({ name: `${c.purpose}.pdf`, mimeType: 'application/pdf', buffer: await tinyPdf(c.label) });
      await row.getByText(`${c.purpose}.pdf`).waitFor();
    }
    // the pre-check passes every rule
    const eligibility = ent.getByTestId('eligibility');
    await eligibility.getByText('资格预审全部通过').waitFor();
    const rules = await eligibility.locator('li').count();
    expect(rules).toBeGreaterThan(5);
    expect(await eligibility.locator('li[data-status="pass"]').count()).toBe(rules);
    await screenshot(ent, 'journey-02-enterprise-filled');

    // stored as typed
    const { appId, caseId } = await caseOf();
    const [stored] = await web.t.ds.query(`SELECT plan, evidence, declarations FROM certification_applications WHERE id = $1`, [appId]);
    expect(stored.plan).toBe(plan);
    expect(stored.evidence).toEqual([
      { type: 'order_class', description: evidence[0].description, schoolName: '温州职业技术学院', year: 2024, count: 1, source: 'manual' },
      { type: 'internship', description: evidence[1].description, schoolName: '温州技师学院', year: 2025, count: 30, source: 'manual' },
      { type: 'investment', description: evidence[2].description, year: 2025, amountYuan: 350000, source: 'manual' },
    ]);
    expect(stored.declarations).toEqual({ noMajorAccident: true, notDishonest: true, mainBusinessNotEducation: true });

    await act(ent, '提交申报', async () => {}, '县级初审');
    await screenshot(ent, 'journey-03-enterprise-submitted');

    // ── county: 同意推荐
    const county = await web.open('county');
    await openFromInbox(county, '县级初审', '同意推荐', 'journey-04-county-inbox');
    // the 鹿城区 reviewer reads the order class and the counted practice of a 鹿城区 school: linked
    const countyEvidence = county.getByTestId('application-details');
    expect(await countyEvidence.locator('tr[data-source="order_class"]').getByRole('link', { name: '平台订单班' }).getAttribute('href')).toBe(
      `#/order-classes/${orderClass.id}/show`,
    );
    expect(await countyEvidence.locator('tr[data-source="practice_record"]').getByRole('link', { name: '平台实践记录' }).getAttribute('href')).toBe(
      `#/practice-records/${practice}/show`,
    );
    await act(county, '同意推荐', (d) => d.getByLabel('意见（选填）').fill('材料齐全，同意推荐'), '市级复核');
    await screenshot(county, 'journey-05-county-recommended');

    // ── city: 提交专家评审 with expert1..3
    const city = await web.open('city');
    await openFromInbox(city, '市级复核', '提交专家评审');
    await act(
      city,
      '提交专家评审',
      async (d) => {
        for (const name of ['评审专家一', '评审专家二', '评审专家三']) await d.getByRole('checkbox', { name: new RegExp(name) }).check();
        await d.getByText('已选 3 人，至少 3 人').waitFor();
      },
      '专家评审',
      'journey-06-city-panel-dialog',
    );
    await screenshot(city, 'journey-07-city-sent-to-panel');

    // ── the three experts score through 提交评分
    const scores = { expert1: ['25', '26', '16', '17'], expert2: ['24', '25', '15', '18'], expert3: ['28', '27', '18', '16'] };
    for (const [username, s] of Object.entries(scores)) {
      const expert = await web.open(username);
      await openFromInbox(expert, '专家评审', '提交评分', username === 'expert1' ? 'journey-08-expert1-inbox' : undefined);
      if (username === 'expert1') {
        // an expert reads what the portal linked, but may not open the school's order class or the teacher's record:
        // described, without a link that would lead to a 404
        const details = expert.getByTestId('application-details');
        const linkedRows = details.locator('tr[data-source="order_class"], tr[data-source="practice_record"]');
        await linkedRows.filter({ hasText: '瓯江电气智能配电订单班' }).getByText('平台订单班').waitFor();
        await linkedRows
          .filter({ hasText: `32 学时，${daysAgo(36)} 结束` })
          .getByText('平台实践记录')
          .waitFor();
        expect(await linkedRows.count()).toBe(2);
        expect(await linkedRows.getByRole('link').count()).toBe(0);
        await details.screenshot({ path: 'tests/browser/artifacts/journey-08b-expert1-evidence-unlinked.png' });
      }
      const last = username === 'expert3';
      await act(
        expert,
        '提交评分',
        async (d) => {
          const inputs = d.getByRole('spinbutton');
          expect(await inputs.count()).toBe(4);
          for (const [i, v] of s.entries()) await inputs.nth(i).fill(v);
          const total = s.reduce((a, b) => a + Number(b), 0);
          await d.getByTestId('score-total').getByText(`总分：${total} / 100`).waitFor();
        },
        last ? '待公示' : '专家评审',
        username === 'expert1' ? 'journey-09-expert1-score-dialog' : undefined,
      );
      if (last) await screenshot(expert, 'journey-10-expert3-scored-publicity');
    }
    expect((await caseOf()).state).toBe('publicity_pending');

    // ── the city publishes the 公示 (a clerical step: the reviewer of 市级复核 may do it)
    const publisher = await web.open('city');
    await openFromInbox(publisher, '待公示', '发布公示');
    await act(publisher, '发布公示', async () => {}, '公示', 'journey-10b-city-publicize');
    expect((await caseOf()).state).toBe('publicity');

    // ── the public 公示 page, no login
    const publicPage = await web.newPage();
    await publicPage.goto(`${web.base}/#/publicity`);
    await publicPage.getByTestId('publicity-notice').filter({ hasText: ENTERPRISE }).waitFor();
    await screenshot(publicPage, 'journey-11-public-publicity');

    // the 公示 window ends (its timer made due now)
    await web.t.ds.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'workflow.timer'`);
    await web.t.drain();
    expect((await caseOf()).state).toBe('decision');

    // ── the reviewer of 市级复核 may not decide: not in 我可办理的; under 全部（督办） without 认领, and the case says
    // why and who can
    const former = await web.open('city');
    await former.getByRole('menuitem', { name: '待办事项' }).click();
    const scope = former.getByTestId('tasks-scope');
    await scope.waitFor();
    const decisionRow = former.locator('table tbody tr').filter({ hasText: ENTERPRISE }).filter({ hasText: '认定决定' });
    await former.waitForTimeout(500);
    expect(await decisionRow.count()).toBe(0);
    await scope.getByRole('button', { name: '全部（督办）' }).click();
    await decisionRow.first().waitFor();
    await decisionRow.first().getByTestId('claim-blocked').waitFor();
    expect(await decisionRow.first().getByRole('button', { name: '认领' }).count()).toBe(0);
    await decisionRow.first().getByText(ENTERPRISE).click();
    await former.getByTestId('no-action-reason').filter({ hasText: '市级复核' }).first().waitFor();
    await former.getByTestId('who-can-act').filter({ hasText: '市教育局审核员二' }).waitFor();
    expect(await former.getByTestId('case-actions').getByRole('button').count()).toBe(0);
    await screenshot(former, 'journey-11b-city-no-action-why');

    // ── the second city reviewer (demo account city2) decides: 予以认定
    const decider = await web.open(DECIDER);
    await openFromInbox(decider, '认定决定', '予以认定');
    await screenshot(decider, 'journey-12-decider-case');
    await act(decider, '予以认定', (d) => d.getByLabel('意见（选填）').fill('经公示无异议，予以认定'), '已认定');
    await screenshot(decider, 'journey-13-decider-certified');
    await web.t.drain(); // the certificate and the subsidy notice
    const docs: Array<{ kind: string }> = await web.t.ds.query(`SELECT kind FROM documents WHERE case_id = $1`, [caseId]);
    expect(docs.map((d) => d.kind)).toContain('certificate');

    // ── enterprise: the certificate on its application, and in 我的证书与文件, downloaded as a PDF
    const ent2 = await web.open('enterprise');
    await ent2.getByRole('menuitem', { name: '认定申报' }).click();
    await ent2.getByTestId('stage-chip').filter({ hasText: '已认定' }).waitFor();
    await ent2.getByTestId('issued-documents').getByText('产教融合型企业证书').first().waitFor();
    // the panel was confidential: the applicant's page names no expert and shows no single score
    for (const name of ['评审专家一', '评审专家二', '评审专家三']) expect(await ent2.getByText(name).count()).toBe(0);
    await screenshot(ent2, 'journey-14-enterprise-certified');
    await ent2.getByRole('menuitem', { name: '我的证书与文件' }).click();
    await ent2.getByText('市级产教融合型企业').waitFor();
    const certRow = ent2.locator('table tbody tr').filter({ hasText: '产教融合型企业证书' });
    await certRow.first().waitFor();
    await screenshot(ent2, 'journey-15-enterprise-my-certificates');
    const [download] = await Promise.all([ent2.waitForEvent('download'), certRow.first().getByRole('button', { name: '下载' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const file = await download.path();
    expect(file).toBeTruthy();
    expect(readFileSync(file).subarray(0, 4).toString('latin1')).toBe('%PDF');

    // ── finance: 补助台账 → 登记拨付
    const finance = await web.open('finance');
    await finance.getByRole('menuitem', { name: '补助台账' }).click();
    const subsidyRow = finance.locator('table tbody tr').filter({ hasText: ENTERPRISE });
    await subsidyRow.getByText('已发通知').waitFor();
    await screenshot(finance, 'journey-16-finance-ledger');
    await subsidyRow.getByRole('button', { name: '登记拨付' }).click();
    const pay = finance.getByRole('dialog');
    await pay.getByRole('textbox', { name: '拨付凭证号' }).fill('LC-CZ-2026-0001');
    await pay.getByLabel('拨付日期').fill(shanghaiToday());
    // a one-time subsidy is paid in full: the amount is the notice's, not typed
    expect(await pay.getByRole('spinbutton', { name: '拨付金额' }).inputValue()).toBe('50000');
    expect(await pay.getByRole('spinbutton', { name: '拨付金额' }).isEditable()).toBe(false);
    await pay.screenshot({ path: 'tests/browser/artifacts/journey-17-finance-pay-dialog.png' });
    await pay.getByRole('button', { name: '确定' }).click();
    await finance.getByText('已登记拨付').waitFor();
    await pay.waitFor({ state: 'detached' });
    await subsidyRow.getByText('已拨付').waitFor();
    await subsidyRow.getByText('LC-CZ-2026-0001', { exact: false }).waitFor();
    await screenshot(finance, 'journey-18-finance-paid');

    // ── the database: certified, an active city certification, its subsidy paid with the voucher
    expect((await caseOf()).state).toBe('certified');
    const certs = await web.t.ds.query(`SELECT level, source, revoked_at FROM certifications WHERE application_id = $1`, [appId]);
    expect(certs).toEqual([{ level: 'city', source: 'portal', revoked_at: null }]);
    const [subsidy] = await web.t.ds.query(
      `SELECT s.status, s.voucher_no, s.paid_amount_fen, s.amount_fen, to_char(s.paid_at, 'YYYY-MM-DD') AS paid_at FROM subsidies s JOIN certifications c ON c.id = s.certification_id WHERE c.application_id = $1`,
      [appId],
    );
    expect(subsidy).toEqual({ status: 'paid', voucher_no: 'LC-CZ-2026-0001', paid_amount_fen: '5000000', amount_fen: '5000000', paid_at: shanghaiToday() });
    const events: Array<{ action: string }> = await web.t.ds.query(`SELECT action FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId]);
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['submit', 'recommend', 'send_to_panel', 'score', 'panel_pass', 'publicity_end', 'certify']),
    );
  }, 240_000);
});
