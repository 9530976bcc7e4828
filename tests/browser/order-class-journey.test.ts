import type { Page } from 'playwright-core';
import { addDays, portalToday } from '@portal/contracts';
import { screenshot, tinyPdf } from '@portal/testing';
import { browserSuite, expectActiveMenu, expectTitle, useBrowserApp } from '../support/browser-app.js';
import { makeIdNumber, makePhone, manyIdNumbers, studentName, withWrongCheckChar } from '../support/id-numbers.js';
import { draftClass } from '../support/order-classes.js';
import { csvOf } from '../support/spreadsheets.js';

const CLASS = '瓯江电气智能配电订单班';

browserSuite(
  '订单班 in Chromium: the school registers and imports its roster, the enterprise returns then co-signs, the county bureau files it, the roster changes, the class ends and reports its outcomes',
  () => {
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

    it('goes from registration typed in the page to filing, roster changes, the completion report and the closed class with its rates', async () => {
      const today = portalToday();
      // ── school: 登记订单班 → the enterprise picked from the registered ones → the draft
      const school = await web.open('school');
      await school.getByRole('menuitem', { name: '登记订单班' }).click();
      // the create form is 登记订单班's alone (我的订单班 opens the list it is under)
      await expectActiveMenu(school, '登记订单班');
      await school.getByRole('textbox', { name: '订单班名称' }).fill('瓯江电气订单班');
      await school.getByRole('combobox', { name: '搜索企业名称或统一社会信用代码' }).fill('瓯江');
      await school.getByRole('option', { name: /温州瓯江电气科技有限公司/ }).click();
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

      // ── school: the registration typed in the page, all but its salary ceiling; saved as it is typed
      const form = school.getByTestId('order-class-form');
      const box = (name: string) => form.getByRole('textbox', { name, exact: true });
      await box('订单班名称').fill(CLASS);
      await form.getByRole('combobox', { name: '专业' }).click();
      await school.getByRole('option', { name: /电气自动化技术/ }).click();
      await box('年级（届）').fill('2025');
      await box('计划人数').fill('40');
      await form.getByLabel('培养开始日期').fill(addDays(today, -60));
      await form.getByLabel('培养结束日期').fill(addDays(today, 300));
      await box('培养方案要点与课程').fill('电工基础、PLC 编程、供配电设备运维；企业课程：智能配电柜装配工艺');
      await form.getByRole('button', { name: '添加导师' }).click();
      // a mentor without a name is held back (the server would refuse it) and the form says what is missing
      await form.locator('[data-testid="save-status"][data-status="invalid"]').waitFor();
      await box('导师姓名').fill('陈工');
      await box('职务/岗位').fill('装配车间主任');
      await box('从业年限').fill('12');
      await box('实习安排').fill('第三学期起在企业装配车间岗位实习 6 个月，双导师指导');
      await box('岗位实习（月）').fill('6');
      await box('承保机构').fill('中国人保温州分公司');
      await box('保单号').fill('PICC-2025-0001');
      await box('每生保额（元）').fill('500000');
      await form.getByRole('button', { name: '添加岗位' }).click();
      await box('岗位名称').fill('电气装配技术员');
      await box('岗位数').fill('30');
      await box('月薪下限（元）').fill('5000');
      await box('其他承诺').fill('结业考核合格者优先录用');
      await form.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
      await screenshot(school, 'order-class-01a-school-form-typed');
      // what was typed is on the server
      const [typed] = await web.t.ds.query(
        `SELECT major_code, planned_headcount, term_start::text AS term_start, mentors, employment FROM order_classes WHERE name = $1`,
        [CLASS],
      );
      expect(typed).toMatchObject({ major_code: '460306', planned_headcount: 40, term_start: addDays(today, -60) });
      expect(typed.mentors).toEqual([{ name: '陈工', title: '装配车间主任', years: 12 }]);
      expect(typed.employment).toMatchObject({ posts: [{ title: '电气装配技术员', openings: 30 }], salaryMinYuan: 5000 });
      await school.reload();
      expect(await box('岗位名称').inputValue()).toBe('电气装配技术员');
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

      // ── enterprise: 退回修改 with an item and a comment; the school reads them, corrects the form and resubmits
      const item = '岗位数应与计划人数一致，请按 45 人调整计划人数';
      await ent.getByTestId('case-actions').getByRole('button', { name: '退回修改' }).click();
      const returning = ent.getByRole('dialog');
      await returning.getByRole('textbox', { name: '补正事项 1' }).fill(item);
      await returning.getByRole('textbox', { name: '意见（必填）' }).fill('其余内容无异议');
      await screenshot(ent, 'order-class-03a-enterprise-return-dialog');
      await returning.getByRole('button', { name: '确定' }).click();
      await ent.getByText('已完成：退回修改').first().waitFor();
      await ent.getByTestId('stage-chip').filter({ hasText: '退回修改' }).first().waitFor();

      await school.reload();
      const notice = school.getByTestId('return-notice');
      await notice.getByText(item).waitFor();
      await school.getByTestId('stage-chip').filter({ hasText: '退回修改' }).first().waitFor();
      await box('计划人数').fill('45');
      await form.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
      await screenshot(school, 'order-class-03b-school-returned-corrected');
      await act(school, '修改后重新提交', '企业确认');
      expect(await school.getByTestId('return-notice').count()).toBe(0);

      await ent.reload();
      await ent.getByTestId('order-class-details').getByText('45').first().waitFor();
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

      // ── school: 名单变更 — 李娜 leaves (picked by a name searched on the server), then 孙浩 joins, each with a date and a reason
      const changes = again.getByTestId('roster-changes');
      const left = addDays(today, -10);
      const joined = addDays(today, -5);
      const searched = again.waitForResponse((r) => {
        const url = decodeURIComponent(r.url());
        return r.request().method() === 'GET' && url.includes('/students?') && url.includes('"q":"李"');
      });
      await changes.getByRole('combobox', { name: '学生' }).fill('李');
      expect((await searched).status()).toBe(200);
      await again.getByRole('option', { name: /^李娜（/ }).click();
      await changes.getByLabel('日期').fill(left);
      await changes.getByRole('textbox', { name: '原因' }).fill('转学至外地院校');
      await screenshot(again, 'order-class-09-school-leave');
      await changes.getByRole('button', { name: '登记变更' }).click();
      await changes.locator('tbody tr').filter({ hasText: '李娜' }).filter({ hasText: left }).waitFor();
      // the page again, with the case's version after the change
      await again.reload();
      await changes.getByRole('combobox', { name: '变更类型' }).click();
      await again.getByRole('option', { name: '加入' }).click();
      await changes.getByRole('textbox', { name: '姓名' }).fill('孙浩');
      await changes.getByRole('textbox', { name: '身份证号码' }).fill(makeIdNumber({ seq: 5 }));
      await changes.getByRole('textbox', { name: '手机号码' }).fill(makePhone(5));
      await changes.getByLabel('日期').fill(joined);
      await changes.getByRole('textbox', { name: '原因' }).fill('由机电一体化技术专业转入');
      await changes.getByRole('button', { name: '登记变更' }).click();
      await changes.locator('tbody tr').filter({ hasText: '孙浩' }).filter({ hasText: joined }).waitFor();
      await screenshot(again, 'order-class-10-school-changes');

      // the roster as it stood before the changes, and after them
      const roster = again.getByTestId('roster');
      const rosterAt = async (day: string, present: string[], absent: string[]) => {
        await roster.getByLabel('查看某日名单').fill(day);
        for (const n of present) await roster.locator('tbody tr').filter({ hasText: n }).waitFor();
        await roster.getByText(`共 ${present.length} 人`).waitFor();
        for (const n of absent) expect(await roster.locator('tbody tr').filter({ hasText: n }).count()).toBe(0);
      };
      await rosterAt(addDays(today, -12), ['张伟', '李娜'], ['孙浩']);
      await screenshot(again, 'order-class-11-school-roster-before');
      await rosterAt(addDays(today, -1), ['张伟', '孙浩'], ['李娜']);

      // ── school: 结束培养 → each student's outcome → 提交结业报告
      await act(again, '结束培养，填报结业情况', '结业报告');
      await roster.getByLabel('查看某日名单').fill('');
      const outcome = async (student: string, destination: string) => {
        const row = roster.locator('tbody tr').filter({ hasText: student });
        await row.getByRole('combobox', { name: '是否结业' }).click();
        await again.getByRole('option', { name: '是', exact: true }).click();
        await row.getByRole('combobox', { name: '去向' }).click();
        await again.getByRole('option', { name: destination }).click();
        const saved = again.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/outcome'));
        await row.getByRole('button', { name: '保存' }).click();
        expect((await saved).status()).toBe(200);
      };
      await outcome('张伟', '在合作企业就业');
      await outcome('孙浩', '升学');
      // the student who left has no outcome to give
      expect(await roster.locator('tbody tr').filter({ hasText: '李娜' }).getByRole('combobox').count()).toBe(0);
      await screenshot(again, 'order-class-12-school-outcomes');
      await act(again, '提交结业报告', '已结业');

      // ── closed: the rates computed from the rows (2 graduates: 1 at the enterprise, 1 to further study)
      const rate = (label: string) => again.locator('tr').filter({ has: again.getByRole('cell', { name: label, exact: true }) });
      await rate('在合作企业就业率').filter({ hasText: '50.0%' }).waitFor();
      await rate('就业率').filter({ hasText: '50.0%' }).waitFor();
      await roster.locator('tbody tr').filter({ hasText: '张伟' }).filter({ hasText: '是 · 在合作企业就业' }).waitFor();
      await screenshot(again, 'order-class-13-school-closed-rates');
    }, 240_000);

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
  },
);
