import { readFile } from 'node:fs/promises';
import { portalToday, type KpiDto, type KpisDto } from '@portal/contracts';
import { screenshot } from '@portal/testing';
import { browserSuite, useBrowserApp } from '../support/browser-app.js';
import { seedCertificationLedger } from '../support/dashboard-data.js';
import { activeClass } from '../support/order-classes.js';
import { createUser, organisationId, organisationOf } from '../support/people.js';
import { actOn, call, countedRecord, daysAgo, logRecord, newTeacher } from '../support/practice.js';
import { readXlsx } from '../support/spreadsheets.js';

browserSuite('the dashboard in Chromium: charts with data, a county bar opens its list, exports', () => {
  const web = useBrowserApp({ JOBS_ENABLED: 'false' });

  beforeAll(async () => {
    await seedCertificationLedger(web.t, 60);
    // an order class filed by the county bureau (the demo school with the demo enterprise): task 30's figure
    await activeClass(web.t, { name: '驾驶舱订单班' });
  }, 120_000);

  const kpisOf = async (username: string): Promise<KpisDto> =>
    (
      await web.t
        .http()
        .get('/api/kpis')
        .set('Authorization', `Bearer ${await web.t.token(username)}`)
    ).body;

  it('the city sees every indicator against its target, the trend and the splits; a county bar opens the list with the same count', async () => {
    const all = (await kpisOf('city')).indicators;
    const api = all.find((k) => k.key === 'certified_enterprises') as KpiDto;
    const page = await web.open('city');
    await page.getByTestId('kpi-board').waitFor();
    await page.getByTestId('kpi-value-certified_enterprises').waitFor();
    expect(await page.getByTestId('kpi-value-certified_enterprises').innerText()).toBe(`${api.value} 家`);
    // the filed order classes (task 30) against their target
    expect(await page.getByTestId('kpi-value-order_classes').innerText()).toBe('1 个');
    await page.getByTestId('kpi-order_classes').getByText('目标 200个（2025-12-31 前）').waitFor();
    // the plan's deadline has passed with the target not reached: the card says so
    await page.getByTestId('kpi-missed-order_classes').getByText('期限（2025-12-31）已过，未完成').waitFor();
    // …and a share with no data to judge does not (暂无数据 is not a miss)
    expect(await page.getByTestId('kpi-value-part_time_teacher_share').innerText()).toBe('暂无数据');
    expect(await page.getByTestId('kpi-missed-part_time_teacher_share').count()).toBe(0);
    // every plan target is on the page, those no feature computes yet with 暂无数据
    for (const k of all.filter((i) => i.value === null)) await page.getByTestId(`kpi-${k.key}`).getByText('暂无数据').waitFor();
    await page.getByTestId('kpi-practice_person_times').getByText('目标 10,000人次（2025-12-31 前）').waitFor();
    // the charts are drawn with data: a line, bars, Chinese axis labels
    const county = page.getByTestId('chart-county');
    await county.scrollIntoViewIfNeeded();
    await county.getByText('鹿城区').first().waitFor();
    await page.getByTestId('chart-industry').getByText('生命健康').first().waitFor();
    expect(await page.getByTestId('chart-trend').locator('path').count()).toBeGreaterThan(1);
    await page
      .getByTestId('chart-trend')
      .getByText(`${Number(portalToday().slice(5, 7))}月`)
      .first()
      .waitFor();
    const bars = county.locator('.MuiBarChart-element');
    await bars.first().waitFor();
    expect(await bars.count()).toBeGreaterThan(5);
    await page.waitForTimeout(800); // let the bars' entry animation finish before the screenshot
    await screenshot(page, 'dashboard-01-city');

    // the tallest county bar (the one with the most certified enterprises)
    const tallest = api.byCounty!.reduce((a, b) => (b.value! > a.value! ? b : a));
    const heights = await bars.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    const index = heights.indexOf(Math.max(...heights));
    await bars.nth(index).click();
    await page.waitForURL((u) => u.hash.startsWith('#/certifications'));
    const filter = JSON.parse(decodeURIComponent(new URL(page.url().replace('/#/', '/')).searchParams.get('filter')!));
    expect(filter).toEqual(tallest.link!.filter);
    const rows = page.locator('table tbody tr');
    await page.getByText(`共 ${tallest.count} 条`).waitFor();
    expect(await rows.count()).toBe(tallest.count);
    expect(tallest.count).toBe(tallest.value);
    await screenshot(page, 'dashboard-02-county-list');

    // the list exports what it shows: the export button downloads exactly these rows
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
    const xlsx = await readXlsx(await readFile(await download.path()));
    expect(xlsx[0][0]).toBe('编号');
    expect(xlsx.length - 1).toBe(tallest.count);
    expect(download.suggestedFilename()).toMatch(/^认定企业-\d{4}-\d{2}-\d{2}\.xlsx$/);
  }, 120_000);

  it('a share with no teacher to divide by reads 暂无数据 on its card and its chart, never 0 %', async () => {
    // no teacher profile yet in this database: the shares of tasks 44 and 48 have nothing to measure
    const share = (await kpisOf('city')).indicators.find((k) => k.key === 'part_time_teacher_share')!;
    expect([share.value, share.progress]).toEqual([null, null]);
    const page = await web.open('city');
    const card = page.getByTestId('kpi-value-part_time_teacher_share');
    await card.waitFor();
    expect(await card.innerText()).toBe('暂无数据');
    await page.getByRole('button', { name: '兼职教师占比', exact: true }).click();
    const county = page.getByTestId('chart-county');
    await county.getByTestId('chart-county-no-data').getByText('暂无数据').waitFor();
    expect(await page.getByTestId('kpi-board').getByText('0 %').count()).toBe(0);
    await county.scrollIntoViewIfNeeded();
    await screenshot(page, 'dashboard-08-share-no-data');
  }, 120_000);

  it('a county reviewer sees its pending work first, then its county’s figures; the workload page', async () => {
    // applications waiting at 县级初审 in the county, some overdue (cheaply through SQL)
    const [{ id: owner }] = await web.t.ds.query(`SELECT organisation_id AS id FROM users WHERE username = 'enterprise'`);
    const [{ id: creator }] = await web.t.ds.query(`SELECT id FROM users WHERE username = 'enterprise'`);
    await web.t.ds.query(
      `WITH c AS (
         INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions, stage_entered_at, stage_due_at)
         SELECT 'certification', 'county_review', $1, '330302', '待初审申请' || i || CASE WHEN i = 1 THEN '（温州瓯江电气科技有限公司 2026年度产教融合型企业认定申请）' ELSE '' END, $2, 1, now() - i * interval '4 days', now() + (5 - i * 3) * interval '1 day'
           FROM generate_series(1, 4) i RETURNING id, stage_due_at),
       a AS (INSERT INTO certification_applications (case_id, enterprise_id, year, created_by) SELECT id, $1, 2026, $2 FROM c)
       INSERT INTO tasks (case_id, state, kind, role, county_code, due_at) SELECT id, 'county_review', 'review', 'county_reviewer', '330302', stage_due_at FROM c`,
      [owner, creator],
    );
    const page = await web.open('county');
    await page.getByTestId('pending-work').waitFor();
    await page.getByTestId('pending-work').getByText('待初审申请4').waitFor();
    expect(await page.getByTestId('pending-work').getByText('已逾期').count()).toBe(3);
    await page.getByTestId('kpi-board').getByText('鹿城区 · 规划目标完成情况').waitFor();
    const box = await page.getByTestId('pending-work').boundingBox();
    const kpis = await page.getByTestId('kpi-board').boundingBox();
    expect(box!.y).toBeLessThan(kpis!.y);
    await page.waitForTimeout(500);
    await screenshot(page, 'dashboard-03-county');
    await page.getByRole('menuitem', { name: '审核工作量' }).click();
    await page.getByTestId('workload').getByText('各阶段办理用时（工作日，中位数）').waitFor();
    await page.getByTestId('workload').getByText('逾期任务 3 件').waitFor();
    await page.getByTestId('workload').getByText('待初审申请4').waitFor();
    await page.getByTestId('workload').locator('.MuiChartsAxis-tickLabel').getByText('县级初审').waitFor();
    // 等待最久的事项: the stage and the dates each on one line (the stage went a character a line), the long title
    // on a few lines (not a character a line), the table inside its card
    const longest = await page.evaluate<{ cells: number[]; titles: number[]; overflow: number }>(`(() => {
      const table = document.querySelector('[data-testid="longest-waiting"]');
      const lines = (cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
      };
      const rows = [...table.querySelectorAll('tbody tr')];
      const card = table.closest('.MuiCard-root, .MuiPaper-root');
      return {
        cells: rows.flatMap((r) => [...r.children].slice(1).map(lines)),
        titles: rows.map((r) => lines(r.children[0])),
        overflow: table.getBoundingClientRect().right - card.getBoundingClientRect().right,
      };
    })()`);
    expect(longest.cells.length).toBeGreaterThanOrEqual(16);
    expect(longest.cells.every((n) => n <= 1)).toBe(true);
    expect(Math.max(...longest.titles)).toBeLessThanOrEqual(5);
    expect(longest.overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'dashboard-04-workload-county');

    // 实践统计: the county's schools, the teacher shares against the plan's targets (the targets table, not the text)
    await page.getByRole('menuitem', { name: '实践统计' }).click();
    const shares = page.getByTestId('teacher-shares');
    await shares.waitFor();
    // no teacher in the county's schools here: a share of nobody reads 暂无数据, not 0 %
    expect(await shares.textContent()).toBe('在册教师 0 人：兼职教师占 暂无数据（目标 ≥ 20%），双师型教师占专任教师的 暂无数据（目标 ≥ 90%）');
    // the city's target as the dashboard writes it, grouped (10,000, not 10000)
    expect(await page.getByTestId('practice-total').textContent()).toMatch(/学校教师已完成 \d+ 人次（全市目标 10,000 人次）$/);
    await screenshot(page, 'dashboard-04b-practice-stats-county');

    // a city reviewer's 我的待办 holds what they may work themself, not the county's 初审; their inbox opens on
    // 我可办理的 and shows the county's tasks under 全部（督办）
    const city = await web.open('city');
    await city.getByTestId('pending-work').waitFor();
    await city.waitForTimeout(500);
    expect(await city.getByTestId('pending-work').getByText('待初审申请4').count()).toBe(0);
    await screenshot(city, 'dashboard-10-city-pending');
    await city.getByRole('menuitem', { name: '待办事项' }).click();
    const scope = city.getByTestId('tasks-scope');
    await scope.waitFor();
    expect(await scope.getByRole('button', { name: '我可办理的' }).getAttribute('aria-pressed')).toBe('true');
    await city.waitForTimeout(500);
    expect(await city.getByText('待初审申请4').count()).toBe(0);
    await scope.getByRole('button', { name: '全部（督办）' }).click();
    await city.getByText('待初审申请4').waitFor();
    await screenshot(city, 'dashboard-11-city-inbox-all');

    // an expert: pending work first, then what the portal is for (no figures)
    const expert = await web.open('expert1');
    await expert.getByTestId('pending-work').waitFor();
    expect(await expert.getByTestId('kpi-board').count()).toBe(0);
    // the plan's targets as the admin keeps them (规划目标), not figures written into the page
    const goals = expert.getByTestId('goals');
    await goals.getByText('订单班 200 个以上（2025-12-31 前）').waitFor();
    await goals.getByText('教师入企实践 10,000 人次以上（2025-12-31 前）').waitFor();
    await goals.getByText('“双师型”教师占比不低于 90%（2025-12-31 前）').waitFor();
    await screenshot(expert, 'dashboard-09-expert');
  }, 120_000);

  it('an enterprise and a school see their own figures (their order classes a number, a click opens them); the admin edits the targets', async () => {
    // the enterprise's 千企万岗 posts: one open with its openings left and an application its teacher's school let go
    // (awaiting the enterprise), one full, one closed; teachers of another school, so that the school's section below
    // counts only its own
    await createUser(web.t, { username: 'dash_school2', roles: ['school_admin'], organisationId: await organisationId(web.t, 'school', '温州职业技术学院') });
    const post = async (title: string, openings: number) => {
      const res = await call(web.t, 'enterprise', 'post', '/api/practice-posts', {
        title,
        major: '电气自动化技术',
        openings,
        startDate: daysAgo(-7),
        endDate: daysAgo(-60),
        content: '参与装配线工艺改进',
        mentorName: '李导师',
      });
      expect(res.status).toBe(201);
      return res.body.id as number;
    };
    const apply = async (postId: number, displayName: string) => {
      const teacher = await newTeacher(web.t, 'dash_school2', { displayName });
      const applied = await call(web.t, teacher.username, 'post', '/api/practice-applications', { postId });
      expect(applied.status).toBe(201);
      expect((await call(web.t, 'dash_school2', 'post', `/api/practice-applications/${applied.body.id}/actions`, { action: 'school_approve' })).status).toBe(
        200,
      );
      return applied.body.id as number;
    };
    const openPost = await post('配电柜装配岗', 3);
    const awaitingId = await apply(openPost, '申请教师');
    const fullPost = await post('质量检测岗', 1);
    expect(
      (await call(web.t, 'enterprise', 'post', `/api/practice-applications/${await apply(fullPost, '已接收教师')}/actions`, { action: 'accept' })).status,
    ).toBe(200);
    expect((await call(web.t, 'enterprise', 'put', `/api/practice-posts/${await post('已关闭岗位', 2)}`, { status: 'closed' })).status).toBe(200);
    const enterpriseId = await organisationOf(web.t, 'enterprise');

    const page = await web.open('enterprise');
    await page.getByTestId('kpi-board').waitFor();
    await page.getByTestId('kpi-certified_enterprises').waitFor();
    expect(await page.getByTestId('kpi-value-order_classes').innerText()).toBe('1 个');
    expect(await page.getByTestId('chart-county').count()).toBe(0);
    const posts = page.getByTestId('enterprise-posts');
    await posts.getByText('我的千企万岗岗位').waitFor();
    expect(await posts.getByTestId('enterprise-posts-open').innerText()).toBe('招募中 1 个');
    expect(await posts.getByTestId('enterprise-posts-all').innerText()).toBe('全部岗位 3 个');
    await posts.getByTestId(`enterprise-post-${openPost}`).getByText('剩余 3 / 3 个名额').waitFor();
    expect(await posts.getByTestId('enterprise-posts-open-list').locator('li').count()).toBe(1);
    // the application awaiting the enterprise's acceptance is pending work: in the pending card, first, not under the posts
    const awaiting = page.getByTestId('enterprise-pending');
    expect(await awaiting.getByTestId('pending-practice-applications-count').innerText()).toBe('1 份');
    await awaiting.getByTestId(`pending-practice-applications-row-${awaitingId}`).getByText('申请教师 · 温州职业技术学院').waitFor();
    expect(await posts.getByText('申请教师').count()).toBe(0);
    await posts.scrollIntoViewIfNeeded();
    await screenshot(page, 'dashboard-05-enterprise');
    // each count opens its list: the open posts filtered to the enterprise's own, then the applications to accept
    await posts.getByTestId('enterprise-posts-open').click();
    await page.waitForURL((u) => u.hash.startsWith('#/practice-posts'));
    const filter = JSON.parse(decodeURIComponent(new URL(page.url().replace('/#/', '/')).searchParams.get('filter')!));
    expect(filter).toEqual({ enterpriseId, available: true });
    await page.locator('table tbody tr').filter({ hasText: '配电柜装配岗' }).waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
    await page.goto(`${web.base}/#/`);
    await page.getByTestId('pending-practice-applications-count').click();
    await page.waitForURL((u) => u.hash.startsWith('#/practice-applications'));
    const application = page.locator('table tbody tr').filter({ hasText: '申请教师' });
    await application.waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
    await application.getByRole('button', { name: '接收', exact: true }).waitFor();
    await screenshot(page, 'dashboard-05b-enterprise-applications');
    // accepting from the list: the engine's action with the case's version; the application leaves the list of those to accept
    await application.getByRole('button', { name: '接收', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'detached' });
    await application.waitFor({ state: 'detached' });
    await screenshot(page, 'dashboard-05c-enterprise-accepted');
    expect((await call(web.t, 'enterprise', 'get', `/api/practice-applications/${awaitingId}`)).body).toMatchObject({ state: 'accepted', allowedActions: [] });

    // a school's home page: its own order classes (no certification figure is a school's), and its teachers'
    // practice status: one meets the 5-year rule (1,100 hours ≥ 6 × 176), one has a record awaiting the school,
    // one has nothing yet (furthest behind: first)
    const met = await newTeacher(web.t, 'school', { displayName: '达标教师' });
    const waiting = await newTeacher(web.t, 'school', { displayName: '待审教师' });
    const none = await newTeacher(web.t, 'school', { displayName: '未实践教师', employment: 'part_time' });
    const hostOrgId = await organisationOf(web.t, 'enterprise');
    await countedRecord(web.t, met.username, { hostOrgId, startDate: daysAgo(160), endDate: daysAgo(20), hours: 1100 });
    await countedRecord(web.t, waiting.username, { hostOrgId, startDate: daysAgo(40), endDate: daysAgo(36), hours: 24 });
    const pending = await logRecord(web.t, waiting.username, { hostOrgId, startDate: daysAgo(12), endDate: daysAgo(10), hours: 16 });
    for (const [who, body] of [
      [waiting.username, { action: 'submit' }],
      ['enterprise', { action: 'confirm', data: { hours: 16 } }],
    ] as const)
      expect((await actOn(web.t, who, pending.body.id as number, body)).status).toBe(200);
    const school = await web.open('school');
    await school.getByTestId('kpi-board').waitFor();
    expect(await school.getByTestId('kpi-value-order_classes').innerText()).toBe('1 个');
    expect(await school.getByTestId('kpi-certified_enterprises').count()).toBe(0);
    const section = school.getByTestId('teacher-practice');
    await section.getByTestId(`teacher-practice-${met.id}`).waitFor();
    expect(await section.getByTestId('teacher-practice-met').innerText()).toBe('达标 1 / 共 3 人');
    await section.getByText('专业课教师每 5 年累计企业实践不少于 6 个月（1056 学时）', { exact: false }).waitFor();
    await section.getByRole('columnheader', { name: '近 5 年学时' }).waitFor();
    await section.getByText('待学校审核实践记录 1 条').waitFor();
    const order = await section.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    expect(order).toEqual([none.id, waiting.id, met.id].map((id) => `teacher-practice-${id}`));
    await section.getByTestId(`teacher-practice-${none.id}`).getByText('0 / 1056 学时（0 / 6 个月） · 还差 1056 学时').waitFor();
    await section.getByTestId(`teacher-practice-${met.id}`).getByText('达标', { exact: true }).waitFor();
    await section.getByTestId(`teacher-practice-${waiting.id}`).getByText('待审核 1 条').waitFor();
    await screenshot(school, 'dashboard-07-school');
    // a teacher's records open from the section, filtered to that teacher
    await section.getByTestId(`teacher-practice-${waiting.id}`).getByText('实践记录', { exact: true }).click();
    await school.waitForURL((u) => u.hash.startsWith('#/practice-records'));
    await school.getByText('共 2 条').waitFor();
    await school.goto(`${web.base}/#/`);
    await school.getByTestId('kpi-board').waitFor();
    await school.getByTestId('kpi-order_classes').click();
    await school.waitForURL((u) => u.hash.startsWith('#/order-classes'));
    await school.locator('table tbody tr').filter({ hasText: '驾驶舱订单班' }).waitFor();
    expect(await school.locator('table tbody tr').count()).toBe(1);

    const admin = await web.open('admin');
    await admin.getByRole('menuitem', { name: '规划目标' }).click();
    const row = admin.locator('table tbody tr').filter({ hasText: '订单班' });
    await row.waitFor();
    await row.click();
    const value = admin.locator('input[name="value"]');
    await value.fill('230');
    await admin.getByRole('button', { name: '保存' }).click();
    await admin.locator('table tbody tr').filter({ hasText: '230 个' }).waitFor();
    await screenshot(admin, 'dashboard-06-targets');
    const [r] = await web.t.ds.query(`SELECT value, updated_by FROM targets WHERE indicator = 'order_classes' AND county_code IS NULL`);
    expect(Number(r.value)).toBe(230);
    expect(r.updated_by).not.toBeNull();
  }, 120_000);
});
