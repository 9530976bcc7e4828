import ExcelJS from 'exceljs';
import { screenshot } from '@portal/testing';
import { browserSuite, useBrowserApp } from '../support/browser-app.js';
import { organisationOf } from '../support/people.js';
import { newTeacher } from '../support/practice.js';

const HOST = '温州瓯江电气科技有限公司';
/** A date cell as Excel keeps one (exceljs: midnight UTC of the day). */
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

browserSuite('历年记录导入 in Chromium: a school admin uploads an .xlsx, sees each row’s result, commits, finds the counted record', () => {
  const web = useBrowserApp({ JOBS_ENABLED: 'false' });

  it('one good row and one bad: the preview names the bad row’s problem in Chinese, the commit imports the good one as 已认定', async () => {
    const teacher = await newTeacher(web.t, 'school', { displayName: '导入教师' });
    const [host] = await web.t.ds.query(`SELECT credit_code FROM organisations WHERE id = $1`, [await organisationOf(web.t, 'enterprise')]);
    // the template's columns, typed as a school would: date cells, a number of hours
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('历年记录');
    sheet.addRow(['教师用户名', '接收企业统一社会信用代码', '开始日期', '结束日期', '学时', '实践形式', '实践内容', '实践成果']);
    sheet.addRow([teacher.username, host.credit_code, day('2024-03-01'), day('2024-04-30'), 320, '岗位实践', '配电柜装配工艺改进', '实训项目 1 个']);
    sheet.addRow(['nobody_here', host.credit_code, day('2024-05-06'), day('2024-05-10'), 40, '技能培训', '不存在的教师', '']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const page = await web.open('school');
    await page.getByRole('menuitem', { name: '历年记录导入' }).click();
    await page.waitForURL((u) => u.hash.startsWith('#/practice-import'));
    await page.getByText('导入历年企业实践记录').waitFor();
    await page.getByTestId('practice-import-file').setInputFiles({
      name: '历年记录.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });

    // the preview: both rows counted, the bad one (row 3 of the sheet) with its reason; nothing written yet
    const preview = page.getByTestId('practice-import-preview');
    await preview.getByText('预览结果：共 2 行，可导入 1 行，有问题 1 行').waitFor();
    const bad = preview.getByTestId('practice-import-row-3');
    await bad.getByText('本校没有这个用户名的教师').waitFor();
    expect(await bad.locator('td').nth(1).innerText()).toBe('nobody_here');
    expect(await preview.locator('tbody tr').count()).toBe(1);
    expect((await web.t.ds.query(`SELECT count(*)::int AS n FROM practice_records WHERE teacher_id = $1`, [teacher.id]))[0].n).toBe(0);
    await screenshot(page, 'practice-import-01-preview');

    await page.getByTestId('practice-import-commit').click();
    await page.getByTestId('practice-import-committed').getByText('已导入 1 条记录并认定').waitFor();
    await screenshot(page, 'practice-import-02-committed');

    // the counted record in the school's list of the teacher's records: the host, the period, the hours, 已认定
    await page.goto(`${web.base}/#/practice-records?filter=${encodeURIComponent(JSON.stringify({ teacherId: teacher.id }))}`);
    const row = page.locator('table tbody tr').filter({ hasText: '导入教师' });
    await row.waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
    for (const text of [HOST, '2024-03-01 至 2024-04-30', '岗位实践', '320', '已认定']) await row.getByText(text, { exact: true }).waitFor();
    await screenshot(page, 'practice-import-03-list');
    const [stored] = await web.t.ds.query(`SELECT r.hours, c.state FROM practice_records r JOIN cases c ON c.id = r.case_id WHERE r.teacher_id = $1`, [
      teacher.id,
    ]);
    expect(stored).toMatchObject({ hours: 320, state: 'counted' });
  }, 120_000);
});
