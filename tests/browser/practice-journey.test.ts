import type { Page } from 'playwright-core';
import { addDays, portalToday } from '@portal/contracts';
import { demoPassword, screenshot } from '@portal/testing';
import { browserSuite, expectTitle, useBrowserApp } from '../support/browser-app.js';
import { actOn, logRecord, newTeacher } from '../support/practice.js';

const ENTERPRISE = '温州瓯江电气科技有限公司';

browserSuite('教师入企实践 in Chromium: the school, the teacher, the post’s handshake, the post’s mentor, the school again, the ledger', () => {
  const web = useBrowserApp();

  beforeAll(async () => {
    // the enterprise has published a post naming its mentor, an account of its own who confirms the hours (its own
    // screen is shot below)
    const enterprise = `Bearer ${await web.t.token('enterprise')}`;
    const me = await web.t.http().get('/api/me').set('Authorization', enterprise);
    const mentor = await web.t
      .http()
      .post('/api/users')
      .set('Authorization', enterprise)
      .send({
        username: 'pb_post_mentor',
        displayName: '李导师',
        password: demoPassword(),
        roles: ['enterprise_applicant'],
        organisationId: me.body.organisationId,
      });
    expect(mentor.status).toBe(201);
    const res = await web.t
      .http()
      .post('/api/practice-posts')
      .set('Authorization', enterprise)
      .send({
        title: '电气装配线工艺岗',
        major: '电气自动化技术',
        openings: 5,
        // the practice logged below lies in the post's period, which lasts until today (the school and the
        // enterprise may still let the teacher go and accept)
        startDate: addDays(portalToday(), -60),
        endDate: portalToday(),
        content: '参与装配线工艺改进与质量控制',
        mentorName: '李导师',
        mentorUserId: mentor.body.id,
      });
    expect(res.status).toBe(201);
  }, 120_000);

  /** Open a menu item and wait until its page is the one shown (the previous page's rows are gone). */
  const go = async (page: Page, item: string, hash: string, column?: string) => {
    await page.getByRole('menuitem', { name: item }).click();
    await page.waitForURL((u) => u.hash.startsWith(hash));
    if (column) await page.getByRole('columnheader', { name: column }).first().waitFor();
  };

  /** Click an action of the case, confirm its dialog, and wait for the stage it leads to. */
  const act = async (page: Page, action: string, stage: string) => {
    await page.getByTestId('case-actions').getByRole('button', { name: action }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('stage-chip').filter({ hasText: stage }).waitFor();
  };

  it('a school creates a teacher; the teacher reads a post and applies; the school lets the teacher go, the enterprise accepts; the teacher logs practice on the post; its mentor confirms fewer hours; the school approves; the ledger shows it', async () => {
    // the school creates its teacher
    const school = await web.open('school');
    await go(school, '本校教师', '#/teachers');
    await school.getByRole('link', { name: '新建教师' }).click();
    await school.locator('input[name="username"]').fill('pb_teacher');
    await school.locator('input[name="displayName"]').fill('周老师');
    await school.locator('input[name="password"]').fill(demoPassword());
    await school.locator('input[name="major"]').fill('电气自动化技术');
    await school.getByRole('button', { name: '保存' }).click();
    // the list names the login too: the import of past records identifies a teacher by it
    await school.locator('table tbody tr').filter({ hasText: '周老师' }).filter({ hasText: 'pb_teacher' }).waitFor();
    // the hours column names the rule's window, the setting practice.windowYears (5 by default)
    await school.locator('th.column-hours').filter({ hasText: '近 5 年学时' }).waitFor();
    // the warning list's filter names its window, the setting practice.warnMonths (12 by default), not a fixed year
    await school.getByText('目前达标、12 个月内将不达标').waitFor();
    expect(await school.getByText('一年内').count()).toBe(0);
    await screenshot(school, 'practice-school-teachers');
    // its profile: 双师型 with its date (the evidence is uploaded on the same page)
    await school.locator('table tbody tr').filter({ hasText: '周老师' }).click();
    await school.getByText('上传双师型证明').waitFor();
    await school.getByLabel('双师型', { exact: true }).check();
    await school.locator('input[name="dualQualifiedOn"]').fill(addDays(portalToday(), -100));
    await screenshot(school, 'practice-school-teacher-edit');
    await school.getByRole('button', { name: '保存' }).click();
    await school
      .locator('table tbody tr')
      .filter({ hasText: '周老师' })
      .filter({ hasText: addDays(portalToday(), -100) })
      .waitFor();

    // the teacher finds the post, opens it to read what the work is, and applies there
    const teacher = await web.open('pb_teacher');
    await go(teacher, '千企万岗', '#/practice-posts', '剩余名额');
    const postRow = teacher.locator('table tbody tr').filter({ hasText: '电气装配线工艺岗' });
    await postRow.waitFor();
    await screenshot(teacher, 'practice-teacher-posts');
    await postRow.click();
    const details = teacher.getByTestId('post-details');
    await details.getByText('参与装配线工艺改进与质量控制').waitFor();
    const facts = await details.innerText();
    for (const fact of [ENTERPRISE, '电气自动化技术', '5 / 5', `${addDays(portalToday(), -60)} 至 ${portalToday()}`, '李导师']) expect(facts).toContain(fact);
    await screenshot(teacher, 'practice-teacher-post');
    await details.getByTestId('apply-post').click();
    await teacher.getByText('已提交申请，等待学校审批').waitFor();
    // the page now says where the application stands, instead of offering to apply again
    await details.getByTestId('my-application').filter({ hasText: '待学校审批' }).waitFor();
    expect(await details.getByTestId('apply-post').count()).toBe(0);
    // and so does the list's row
    await teacher.getByRole('button', { name: '返回' }).click();
    await postRow.getByTestId('my-application').filter({ hasText: '待学校审批' }).waitFor();

    // the school lets the teacher go, in its 岗位申请
    await go(school, '岗位申请', '#/practice-applications', '岗位');
    const schoolRow = school.locator('table tbody tr').filter({ hasText: '周老师' }).filter({ hasText: '电气装配线工艺岗' });
    await schoolRow.getByRole('button', { name: '同意外出实践' }).click();
    let dialog = school.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'detached' });
    await schoolRow.filter({ hasText: '待企业接收' }).waitFor();
    await screenshot(school, 'practice-school-application-approved');

    // the enterprise accepts the teacher, in its 岗位申请: an opening is taken
    const enterprise = await web.open('enterprise');
    await go(enterprise, '岗位申请', '#/practice-applications', '岗位');
    const enterpriseRow = enterprise.locator('table tbody tr').filter({ hasText: '周老师' }).filter({ hasText: '电气装配线工艺岗' });
    await enterpriseRow.filter({ hasText: '待企业接收' }).waitFor();
    await screenshot(enterprise, 'practice-enterprise-applications');
    await enterpriseRow.getByRole('button', { name: '接收', exact: true }).click();
    dialog = enterprise.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'detached' });
    await enterpriseRow.filter({ hasText: '已接收' }).waitFor();
    await screenshot(enterprise, 'practice-enterprise-accepted');

    // the teacher logs the practice on the accepted post, from the post's page: the host is the post's enterprise
    await teacher.reload();
    await postRow.getByTestId('my-application').filter({ hasText: '已接收' }).waitFor();
    await postRow.click();
    await details.getByText('4 / 5').waitFor();
    await screenshot(teacher, 'practice-teacher-post-accepted');
    await details.getByTestId('log-on-post').click();
    await teacher.waitForURL((u) => u.hash.startsWith('#/practice-records/create'));
    // the form comes filled in with the post and its enterprise as the host
    await teacher.locator(`input[value="${ENTERPRISE}"]`).waitFor();
    await teacher.getByText(`电气装配线工艺岗（${ENTERPRISE}，`).waitFor();
    // 20 days, 150 hours
    await teacher.locator('input[name="startDate"]').fill(addDays(portalToday(), -30));
    await teacher.locator('input[name="endDate"]').fill(addDays(portalToday(), -11));
    await teacher.locator('input[name="hours"]').fill('150');
    await teacher.locator('textarea[name="content"]').fill('参与电气装配线的工艺流程、质量控制与设备调试。');
    await screenshot(teacher, 'practice-teacher-record-form');
    await teacher.getByRole('button', { name: '保存' }).click();
    await teacher.getByTestId('case-header').waitFor();
    await act(teacher, '提交企业确认', '企业确认学时');
    // the stage is the host's (a party of the case): named by its label and its organisation, not left blank
    const progress = teacher.getByTestId('case-progress');
    await progress.filter({ hasText: `由接收企业（${ENTERPRISE}）办理` }).waitFor();
    expect(await progress.textContent()).toMatch(/^申请正在“企业确认学时”阶段，由接收企业（温州瓯江电气科技有限公司）办理，办理时限至 \d{4}-\d{2}-\d{2}。$/);
    await screenshot(teacher, 'practice-teacher-record-submitted');

    // the post's named mentor confirms 140 of the 150 hours
    const mentor = await web.open('pb_post_mentor');
    await go(mentor, '待确认实践', '#/practice-records', '实践形式');
    await mentor.locator('table tbody tr').filter({ hasText: '周老师' }).first().click();
    await mentor.locator('[data-action="confirm"]').click();
    dialog = mentor.getByRole('dialog');
    await dialog.getByTestId('confirm-hours').fill('140');
    await dialog.getByRole('textbox', { name: '说明' }).fill('扣除请假 10 学时');
    await dialog.screenshot({ path: 'tests/browser/artifacts/practice-mentor-confirm.png' });
    await dialog.getByTestId('confirm-submit').click();
    await mentor.getByTestId('stage-chip').filter({ hasText: '学校审核' }).waitFor();
    await mentor.getByText('140（填报学时 150）').waitFor();
    await screenshot(mentor, 'practice-mentor-confirmed');

    // the school approves it from 实践审核
    await go(school, '实践审核', '#/practice-records', '实践形式');
    await school.locator('table tbody tr').filter({ hasText: '周老师' }).first().click();
    await school.getByTestId('case-header').waitFor();
    await screenshot(school, 'practice-school-approval-page');
    await act(school, '审核通过', '已认定');
    await screenshot(school, 'practice-school-approved');

    // the certificate is issued; the teacher sees it on the record and the ledger counts the hours
    await web.t.drain();
    await teacher.reload();
    await teacher.getByText('教师企业实践证明').waitFor();
    await teacher.getByRole('button', { name: '下载' }).waitFor();
    await screenshot(teacher, 'practice-teacher-certificate');
    await teacher.getByRole('menuitem', { name: '我的实践达标' }).click();
    await teacher.getByTestId('ledger-progress').filter({ hasText: '0.79 个月（140 学时）' }).waitFor();
    await teacher.getByTestId('ledger-not-met').waitFor();
    // the rule's window is the setting practice.windowYears (5 by default), written as the summary certificate writes it
    await teacher.getByText('我的企业实践（近 5 年）').waitFor();
    expect(await teacher.getByTestId('ledger-not-met').innerText()).toBe('尚未达到每 5 年累计不少于 6 个月的要求，还差 916 学时');
    await teacher.getByRole('button', { name: '出具近 5 年汇总证明（职称评审用）' }).waitFor();
    expect(await teacher.getByText(/%\{|五年/).count()).toBe(0);
    await screenshot(teacher, 'practice-teacher-ledger');
    // the 5-year summary: asked for, issued, and downloaded from the page itself
    await teacher.getByRole('button', { name: '出具近 5 年汇总证明（职称评审用）' }).click();
    await web.t.drain();
    const issued = teacher.getByTestId('summary-issued');
    await issued.filter({ hasText: /汇总证明已出具（编号 WZSH-\d{4}-\d{5}）/ }).waitFor({ timeout: 30_000 });
    const [pdf] = await Promise.all([teacher.waitForEvent('download'), issued.getByRole('button', { name: '下载' }).click()]);
    expect(pdf.suggestedFilename()).toMatch(/^WZSH-\d{4}-\d{5}\.pdf$/);
    await screenshot(teacher, 'practice-teacher-summary-issued');
    // the teacher's home page shows the same standing, with the ways to act on it
    await teacher.getByRole('menuitem', { name: '首页' }).click();
    await teacher.getByTestId('teacher-ledger').getByTestId('ledger-progress').filter({ hasText: '0.79 个月（140 学时）' }).waitFor();
    await teacher.getByTestId('teacher-ledger').getByRole('link', { name: '查找千企万岗岗位' }).waitFor();
    await teacher.getByTestId('teacher-ledger').getByText('我的企业实践（近 5 年）').waitFor();
    await screenshot(teacher, 'practice-teacher-home');
    // the page of certificates shows a teacher their documents, not an enterprise's certification card
    await teacher.goto(`${web.base}/#/my-certificates`);
    await teacher.getByText('教师企业实践证明').first().waitFor();
    expect(await teacher.getByText('尚未获得认定').count()).toBe(0);
    // 实践证明 (the menu's documents list, the teacher's own) is titled as its entry, not 文件
    await go(teacher, '实践证明', '#/documents', '编号');
    await teacher.locator('table tbody tr').filter({ hasText: '教师企业实践证明' }).first().waitFor();
    await expectTitle(teacher, '实践证明');
    await screenshot(teacher, 'practice-teacher-documents');

    // the record is the accepted post's, its host the post's enterprise, its hours confirmed by the post's mentor
    const [row] = await web.t.ds.query(
      `SELECT r.hours, r.counted, c.state, p.title, o.name AS host,
              (SELECT u2.username FROM case_events e JOIN users u2 ON u2.id = e.actor_id WHERE e.case_id = c.id AND e.action = 'confirm') AS confirmed_by
         FROM practice_records r JOIN cases c ON c.id = r.case_id JOIN users u ON u.id = r.teacher_id JOIN practice_posts p ON p.id = r.post_id
         JOIN organisations o ON o.id = p.enterprise_id
        WHERE u.username = 'pb_teacher'`,
    );
    expect(row).toEqual({ hours: 140, counted: true, state: 'counted', title: '电气装配线工艺岗', host: ENTERPRISE, confirmed_by: 'pb_post_mentor' });
  }, 240_000);

  it('an enterprise publishes a post in its form and names the mentor who will confirm the hours, picked from its own accounts', async () => {
    const admin = `Bearer ${await web.t.token('enterprise')}`;
    const me = await web.t.http().get('/api/me').set('Authorization', admin);
    const mentor = await web.t
      .http()
      .post('/api/users')
      .set('Authorization', admin)
      .send({
        username: 'pb_mentor',
        displayName: '陈导师',
        password: demoPassword(),
        roles: ['enterprise_applicant'],
        organisationId: me.body.organisationId,
      });
    expect(mentor.status).toBe(201);

    const page = await web.open('enterprise');
    await go(page, '实践岗位', '#/practice-posts', '剩余名额');
    await page.getByRole('link', { name: '发布岗位' }).click();
    await page.locator('input[name="title"]').fill('数控车间工艺岗');
    await page.getByLabel('专业').fill('数控');
    await page.getByRole('option', { name: '数控技术' }).click();
    await page.locator('input[name="openings"]').fill('3');
    await page.locator('input[name="startDate"]').fill(addDays(portalToday(), 10));
    await page.locator('input[name="endDate"]').fill(addDays(portalToday(), 40));
    await page.locator('textarea[name="content"]').fill('参与数控加工工艺编制');
    await page.locator('input[name="mentorName"]').fill('陈导师');
    await page.getByLabel('企业导师账号（确认学时）').fill('陈');
    await page.getByRole('option', { name: '陈导师' }).click();
    await screenshot(page, 'practice-enterprise-new-post');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('table tbody tr').filter({ hasText: '数控车间工艺岗' }).waitFor();

    const [post] = await web.t.ds.query(
      `SELECT p.mentor_name, u.username FROM practice_posts p JOIN users u ON u.id = p.mentor_user_id WHERE p.title = '数控车间工艺岗'`,
    );
    expect(post).toEqual({ mentor_name: '陈导师', username: 'pb_mentor' });
  }, 120_000);

  it("returning a teacher's record, the dialog says it goes back to the teacher (教师本人), not to an applicant organisation", async () => {
    const [{ id: host }] = await web.t.ds.query<Array<{ id: number }>>(`SELECT organisation_id AS id FROM users WHERE username = 'enterprise'`);
    const a = await newTeacher(web.t);
    const rec = await logRecord(web.t, a.username, {
      hostOrgId: host,
      startDate: addDays(portalToday(), -20),
      endDate: addDays(portalToday(), -15),
      hours: 40,
    });
    expect(rec.status).toBe(201);
    expect((await actOn(web.t, a.username, rec.body.id, { action: 'submit' })).status).toBe(200);

    const page = await web.open('enterprise');
    await page.goto(`${web.base}/#/cases/${rec.body.caseRef}`);
    await page.getByTestId('case-header').waitFor();
    await page.locator('[data-action="return"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const target = dialog.getByLabel('退回至');
    await target.waitFor();
    expect(await target.textContent()).toBe('教师本人（修改后重新提交）');
    expect(await dialog.innerText()).not.toContain('申请单位');
    await dialog.screenshot({ path: 'tests/browser/artifacts/practice-return-to-teacher.png' });
  }, 120_000);
});
