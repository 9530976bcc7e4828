import type { Browser, Page } from 'playwright-core';
import { act, browserAvailable, demoPassword, launchBrowser, openTestPractice, pageAs, screenshot, startTestApp, type TestApp } from '@portal/testing';

// Runs wherever Debian's Chromium is installed (CI sets REQUIRE_BROWSER, so there a missing one fails).
const suite = browserAvailable() ? describe : describe['skip'];

suite('a case with parties in Chromium: the parties on the case, the active stage, the outcome of a final state', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    t = await startTestApp({}, { testWorkflow: true });
    base = await t.listen();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close();
  });

  const open = async (username: string, ref: string): Promise<Page> => {
    const page = await pageAs(browser, base, username, demoPassword());
    pages.push(page);
    await page.goto(`${base}/#/cases/${ref}`);
    await page.getByTestId('case-header').waitFor();
    return page;
  };

  it('the teacher sees the host on the case; the host confirms its hours; the record runs and closes green', async () => {
    const [{ id: host }] = await t.ds.query<Array<{ id: number }>>(`SELECT organisation_id AS id FROM users WHERE username = 'enterprise'`);
    const c = await openTestPractice(t, 'teacher', { organisationId: host }, { name: '入企实践测试' });
    expect((await act(t, 'teacher', c.ref, { action: 'submit' })).status).toBe(200);

    const teacher = await open('teacher', c.ref);
    await teacher.getByTestId('case-party').getByText('接收企业：温州瓯江电气科技有限公司').waitFor();
    expect(await teacher.getByTestId('stage-chip').textContent()).toBe('企业确认');

    expect((await act(t, 'enterprise', c.ref, { action: 'confirm', data: { hours: 40 } })).status).toBe(200);
    expect((await act(t, 'school', c.ref, { action: 'approve' })).status).toBe(200);
    const running = await open('school', c.ref);
    await running.getByTestId('case-progress').getByText('事项正在“实践中”阶段进行中。').waitFor();
    // the timeline names the roles as users read them: the party by its label, never a code
    const timeline = running.getByTestId('case-timeline');
    await timeline.getByText('（接收企业）').waitFor();
    expect(await timeline.innerText()).not.toMatch(/party:|owner_person/);
    await screenshot(running, 'case-parties-active');
    await running.getByTestId('case-actions').getByRole('button', { name: '结束实践' }).waitFor();

    expect((await act(t, 'school', c.ref, { action: 'close' })).status).toBe(200);
    const closed = await open('teacher', c.ref);
    const chip = closed.getByTestId('stage-chip');
    await chip.getByText('已完成').waitFor();
    // a positive outcome, as the definition states it (its key 'practised' is in no list of names)
    expect(await chip.getAttribute('class')).toContain('MuiChip-colorSuccess');
    expect(await closed.getByTestId('case-progress').getAttribute('class')).toContain('MuiAlert-colorSuccess');
  });
});
