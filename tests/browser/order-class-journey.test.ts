import type { Page } from 'playwright-core';
import { screenshot, tinyPdf } from '@portal/testing';
import { browserSuite, expectActiveMenu, expectTitle, useBrowserApp } from '../support/browser-app.js';
import { makeIdNumber, makePhone, manyIdNumbers, studentName, withWrongCheckChar } from '../support/id-numbers.js';
import { completeForm, draftClass } from '../support/order-classes.js';
import { csvOf } from '../support/spreadsheets.js';

const CLASS = '瓯江电气智能配电订单班';

/** The complete form without its salary ceiling (one field the page's form then completes). */
const noCeiling = (form: Record<string, unknown>) => ({ ...form, employment: { ...(form.employment as Record<string, unknown>), salaryMaxYuan: null } });

browserSuite('订单班 in Chromium: the school registers and imports its roster, the enterprise co-signs, the county bureau files it', () => {
  const web = useBrowserApp();

  /** Click an action of the case, add a comment when asked, confirm, and wait for the stage it leads to. */
  const act = async (page: Page, action: string, stage: string, comment?: string) => {
    await page.getByTestId('case-actions').getByRole('button', { name: action }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    if (comment) await dialog.getByRole('textbox').first().fill(comment);
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.getByText(`已完成：${action}`).first().waitFor();
    await page.getByTestId('stage-chip').filter({ hasText: stage }).first().waitFor();
  };

  it('goes from registration to filing, with the roster preview listing the bad rows and the receipt offered to the school', async () => {
    // ── school: 登记订单班 → the enterprise picked from the registered ones → the draft
    const school = await web.open('school');
    await school.getByRole('menuitem', { name: '登记订单班' }).click();
    // the create form is 登记订单班's alone (我的订单班 opens the list it is under)
    await expectActiveMenu(school, '登记订单班');
    await school.getByRole('textbox', { name: '订单班名称' }).fill(CLASS);
    await school.getByRole('combobox', { name: '搜索企业名称或统一社会信用代码' }).fill('瓯江');
    await school.getByRole('option', { name: /温州瓯江电气科技有限公司/ }).click();
    await school.getByRole('combobox', { name: '专业' }).click();
    await school.getByRole('option', { name: /电气自动化技术/ }).click();
    await school.getByRole('button', { name: '创建草稿' }).click();
    await school.getByTestId('order-class-form').waitFor();
    await school.getByTestId('stage-chip').filter({ hasText: '填报中' }).first().waitFor();
    await screenshot(school, 'order-class-01-school-draft');

    // the draft names the required materials still missing, and there is nothing to submit yet
    const missing = school.getByTestId('missing-materials');
    await missing.filter({ hasText: '还需上传：人才培养方案、校企合作协议（订单培养协议）' }).waitFor();
    expect(await school.getByTestId('case-actions').getByRole('button', { name: '提交企业确认', disabled: false }).count()).toBe(0);
    // the submit button is there, inactive, saying what the registration still lacks
    const blocked = school.getByTestId('blocked-action');
    await blocked.getByRole('button', { name: '提交企业确认', disabled: true }).waitFor();
    await blocked.getByTestId('blocked-reason').filter({ hasText: '订单班信息不完整：请填写' }).waitFor();

    // the rest of the form but its salary ceiling, as the school's saves would send it
    const [row] = await web.t.ds.query(`SELECT id, data_version FROM order_classes WHERE name = $1`, [CLASS]);
    const token = `Bearer ${await web.t.token('school')}`;
    expect(
      (
        await web.t
          .http()
          .put(`/api/order-classes/${row.id}`)
          .set('Authorization', token)
          .send(noCeiling(completeForm(row.data_version)))
      ).status,
    ).toBe(200);
    await school.reload();
    await missing.filter({ hasText: '还需上传：人才培养方案、校企合作协议（订单培养协议）' }).waitFor();

    // ── school: the two attachments uploaded on the page: the 材料类型 choice marks the required ones, the guidance
    // follows each upload, and the submit button appears once both are there, without a reload
    await school.getByRole('tab', { name: '附件' }).click();
    const attachments = school.getByTestId('case-attachments');
    const upload = async (type: RegExp, file: string, left: string | null) => {
      await attachments.getByRole('combobox', { name: '材料类型' }).click();
      await school.getByRole('option', { name: type }).click();
      await attachments.locator('input[type="file"]').setInputFiles({ name: file, mimeType: 'application/pdf', buffer: await tinyPdf(file) });
      if (left) await missing.filter({ hasText: `还需上传：${left}` }).waitFor();
    };
    await attachments.getByRole('combobox', { name: '材料类型' }).click();
    const options = school.getByRole('option');
    expect(await options.filter({ hasText: '人才培养方案（必传，未上传）' }).count()).toBe(1);
    expect(await options.filter({ hasText: '校企合作协议（订单培养协议）（必传，未上传）' }).count()).toBe(1);
    expect(await options.filter({ hasText: '其他材料（必传' }).count()).toBe(0);
    await screenshot(school, 'order-class-01b-school-required-types');
    await school.keyboard.press('Escape');
    await upload(/^人才培养方案/, '人才培养方案.pdf', '校企合作协议（订单培养协议）');
    await screenshot(school, 'order-class-01c-school-one-missing');
    await upload(/^校企合作协议/, '订单培养协议.pdf', null);
    await missing.waitFor({ state: 'detached' });
    expect(await school.getByTestId('case-actions').getByRole('button', { name: '提交企业确认', disabled: false }).count()).toBe(0);
    // only the salary range is left, and the page says so
    await blocked.getByTestId('blocked-reason').filter({ hasText: '薪酬范围' }).waitFor();
    expect(await blocked.getByTestId('blocked-reason').innerText()).not.toContain('人才培养方案');
    // the last field typed in the form is saved as typed (no button) and completes the registration: the submit
    // button follows without a reload
    expect(await school.getByRole('button', { name: '保存草稿' }).count()).toBe(0);
    await school.getByRole('textbox', { name: '月薪上限（元）' }).fill('7000');
    await school.getByTestId('save-status').filter({ hasText: '已保存' }).waitFor();
    await school.getByTestId('case-actions').getByRole('button', { name: '提交企业确认', disabled: false }).waitFor();
    expect(await blocked.count()).toBe(0);
    expect(await attachments.getByRole('cell', { name: '人才培养方案', exact: true }).count()).toBe(1);
    await attachments.getByRole('combobox', { name: '材料类型' }).click();
    expect(await options.filter({ hasText: '人才培养方案（必传，已上传）' }).count()).toBe(1);
    await school.keyboard.press('Escape');
    await screenshot(school, 'order-class-01d-school-ready-to-submit');

    // ── school: the roster imported from a file; the preview lists the bad row before anything is written
    const file = csvOf([
      ['姓名', '身份证号码', '性别', '手机号码'],
      ['张伟', makeIdNumber({ seq: 1 }), '男', makePhone(1)],
      ['李娜', makeIdNumber({ seq: 2, gender: 'female' }), '女', makePhone(2)],
      ['王强', withWrongCheckChar(makeIdNumber({ seq: 3 })), '男', makePhone(3)],
      ['赵敏', makeIdNumber({ seq: 4, gender: 'female' }), '男', ''],
    ]);
    await school.getByTestId('roster-file').setInputFiles({ name: '学生名单.csv', mimeType: 'text/csv', buffer: file });
    const preview = school.getByTestId('import-preview');
    await preview.waitFor();
    await preview.getByText('身份证号码校验位不正确').waitFor();
    await preview.getByText('性别与身份证号码不一致').waitFor();
    await preview.getByText('共 4 行：2 行可导入，2 行有问题（问题行不会导入）').waitFor();
    await screenshot(school, 'order-class-02-school-import-preview');
    await preview.getByRole('button', { name: '确认导入 2 行' }).click();
    await school.getByText('已导入 2 名学生').waitFor();
    await school.getByTestId('roster').getByText('张伟').waitFor();
    // masked on screen
    expect(await school.getByTestId('roster').textContent()).not.toContain(makeIdNumber({ seq: 1 }));
    await act(school, '提交企业确认', '企业确认');
    // the stage is the enterprise's (a party of the case): named by its label and its organisation
    await school.getByTestId('case-progress').filter({ hasText: '由合作企业（温州瓯江电气科技有限公司）办理，办理时限至' }).waitFor();
    await screenshot(school, 'order-class-02b-school-submitted');

    // ── enterprise: 待确认订单班 → the class → 确认合作（会签）
    const ent = await web.open('enterprise');
    await ent.getByRole('menuitem', { name: '待确认订单班' }).click();
    await expectActiveMenu(ent, '待确认订单班');
    await expectTitle(ent, '待确认订单班');
    await ent.locator('table tbody tr').filter({ hasText: CLASS }).first().click();
    await ent.getByTestId('order-class-details').waitFor();
    // the class opened from 待确认订单班 stays under it, not under 我的订单班 (the same list unfiltered)
    await expectActiveMenu(ent, '待确认订单班');
    await ent.getByTestId('case-actions').getByRole('button', { name: '确认合作（会签）' }).waitFor();
    await screenshot(ent, 'order-class-03-enterprise-to-confirm');
    await act(ent, '确认合作（会签）', '县级备案', '同意合作，按协议提供岗位');
    // 我的订单班 lists the enterprise's classes whatever it was filtered by under 待确认订单班 (the class has moved on)
    await ent.getByRole('menuitem', { name: '我的订单班' }).click();
    await ent.locator('table tbody tr').filter({ hasText: CLASS }).first().waitFor();
    await expectActiveMenu(ent, '我的订单班');
    await expectTitle(ent, '我的订单班');

    // ── county bureau: 待办事项 → the class → 予以备案
    const county = await web.open('county');
    // 订单班备案 lists the class; only its entry is marked, not 订单班 (the same list unfiltered), and the other way round
    await county.getByRole('menuitem', { name: '订单班备案' }).click();
    await county.locator('table tbody tr').filter({ hasText: CLASS }).first().waitFor();
    await expectActiveMenu(county, '订单班备案');
    await expectTitle(county, '订单班备案');
    await screenshot(county, 'order-class-04a-county-filing-list');
    await county.getByRole('menuitem', { name: '订单班', exact: true }).click();
    await county.locator('table tbody tr').filter({ hasText: CLASS }).first().waitFor();
    await expectActiveMenu(county, '订单班');
    await expectTitle(county, '订单班');
    // the bureau narrows the list to a school and an enterprise chosen by name (organisations of its county, by
    // kind), while the address keeps their ids as the dashboard's links give them
    const [parties] = await web.t.ds.query(
      `SELECT s.id AS "schoolId", s.name AS school, e.id AS "enterpriseId", e.name AS enterprise
         FROM order_classes oc JOIN organisations s ON s.id = oc.school_id JOIN organisations e ON e.id = oc.enterprise_id WHERE oc.name = $1`,
      [CLASS],
    );
    const filterOf = (u: URL): Record<string, unknown> => {
      const m = /[?&]filter=([^&]*)/.exec(u.hash);
      return m ? (JSON.parse(decodeURIComponent(m[1])) as Record<string, unknown>) : {};
    };
    const pick = async (label: string, typed: string, option: string) => {
      await county.getByRole('button', { name: '添加筛选' }).click();
      await county.getByRole('menuitemcheckbox', { name: label }).click();
      const box = county.getByRole('combobox', { name: label });
      await box.fill(typed);
      await county.getByRole('option', { name: option }).click();
    };
    await pick('举办学校', parties.school.slice(0, 4), parties.school);
    await county.waitForURL((u) => filterOf(u).schoolId === parties.schoolId);
    // a school is not offered as an enterprise (the choices are filtered by kind)
    await county.getByRole('button', { name: '添加筛选' }).click();
    await county.getByRole('menuitemcheckbox', { name: '合作企业' }).click();
    const prefix = parties.school.slice(0, 4);
    const asked = county.waitForResponse((r) => {
      const url = decodeURIComponent(r.url());
      return url.includes('/api/organisations?') && url.includes('"kind":"enterprise"') && url.includes(prefix);
    });
    await county.getByRole('combobox', { name: '合作企业' }).fill(prefix);
    expect((await asked).status()).toBe(200);
    expect(await county.getByRole('option', { name: parties.school }).count()).toBe(0);
    await county.getByRole('combobox', { name: '合作企业' }).fill('瓯江');
    await county.getByRole('option', { name: parties.enterprise }).click();
    await county.waitForURL((u) => filterOf(u).schoolId === parties.schoolId && filterOf(u).enterpriseId === parties.enterpriseId);
    await county.locator('table tbody tr').filter({ hasText: CLASS }).first().waitFor();
    await screenshot(county, 'order-class-04b-county-list-by-name');
    // 订单班 filtered by the filing stage is still 订单班 (the entry clicked), after a reload too
    await county.goto(`${web.base}/#/order-classes?filter=${encodeURIComponent(JSON.stringify({ state: 'county_filing' }))}`);
    await county.locator('table tbody tr').filter({ hasText: CLASS }).first().waitFor();
    await expectActiveMenu(county, '订单班');
    await county.reload();
    await county.locator('table tbody tr').filter({ hasText: CLASS }).first().waitFor();
    await expectActiveMenu(county, '订单班');
    await expectTitle(county, '订单班');
    await county.getByRole('menuitem', { name: '待办事项' }).click();
    const task = county.locator('table tbody tr').filter({ hasText: CLASS });
    await task.first().waitFor();
    await screenshot(county, 'order-class-04-county-inbox');
    await task.first().getByText(CLASS).click();
    await county.getByTestId('order-class-details').waitFor();
    await act(county, '予以备案', '培养中', '材料齐全，予以备案');
    await screenshot(county, 'order-class-05-county-filed');

    // ── school: the receipt, once the documents service has issued it
    await web.t.drain();
    const again = await web.open('school');
    await again.getByRole('menuitem', { name: '我的订单班' }).click();
    await again.locator('table tbody tr').filter({ hasText: CLASS }).first().click();
    const receipt = again.getByTestId('order-class-receipt');
    await receipt.getByText('订单班备案回执').first().waitFor();
    await receipt.getByRole('button', { name: /下载/ }).waitFor();
    await screenshot(again, 'order-class-06-school-receipt');

    // ── city: progress toward the target
    const city = await web.open('city');
    await city.getByRole('menuitem', { name: '订单班建设进度' }).click();
    await city.getByText('已备案 1 个 / 目标 200 个').waitFor();
    await screenshot(city, 'order-class-07-city-progress');
  });

  it('shows a long roster a page at a time, with its whole count', async () => {
    const cls = await draftClass(web.t, { name: '名单分页测试班' });
    const token = `Bearer ${await web.t.token('school')}`;
    for (const [i, s] of manyIdNumbers(60).entries()) {
      const res = await web.t
        .http()
        .post(`/api/order-classes/${cls.id}/students`)
        .set('Authorization', token)
        .send({ name: studentName(i + 1), idNumber: s.idNumber, gender: s.gender });
      expect(res.status).toBe(201);
    }
    const school = await web.open('school');
    await school.getByRole('menuitem', { name: '我的订单班' }).click();
    await school.locator('table tbody tr').filter({ hasText: '名单分页测试班' }).first().click();
    const roster = school.getByTestId('roster');
    await roster.getByText('共 60 人').waitFor();
    await roster.getByText('第 1-50 条，共 60 条').waitFor();
    expect(await roster.locator('tbody tr').count()).toBe(50);
    await roster.getByRole('button', { name: /下一页|next page/i }).click();
    await roster.getByText('第 51-60 条，共 60 条').waitFor();
    await roster.getByText(studentName(60)).waitFor();
    expect(await roster.locator('tbody tr').count()).toBe(10);
    await screenshot(school, 'order-class-08-roster-second-page');
  });
});
