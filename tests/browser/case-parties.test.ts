import type { Page } from 'playwright-core';
import { act, openTestPractice, screenshot } from '@portal/testing';
import { browserSuite, useBrowserApp } from '../support/browser-app.js';

browserSuite('a case with parties in Chromium: the parties on the case, the active stage, the outcome of a final state', () => {
  const web = useBrowserApp({}, { testWorkflow: true });

  const open = async (username: string, ref: string): Promise<Page> => {
    const page = await web.open(username);
    await page.goto(`${web.base}/#/cases/${ref}`);
    await page.getByTestId('case-header').waitFor();
    return page;
  };

  it('the teacher sees the host on the case; the host confirms its hours; the record runs and closes green', async () => {
    const [{ id: host }] = await web.t.ds.query<Array<{ id: number }>>(`SELECT organisation_id AS id FROM users WHERE username = 'enterprise'`);
    const c = await openTestPractice(web.t, 'teacher', { organisationId: host }, { name: '入企实践测试' });
    expect((await act(web.t, 'teacher', c.ref, { action: 'submit' })).status).toBe(200);

    const teacher = await open('teacher', c.ref);
    await teacher.getByTestId('case-party').getByText('接收企业：温州瓯江电气科技有限公司').waitFor();
    expect(await teacher.getByTestId('stage-chip').textContent()).toBe('企业确认');

    expect((await act(web.t, 'enterprise', c.ref, { action: 'confirm', data: { hours: 40 } })).status).toBe(200);
    expect((await act(web.t, 'school', c.ref, { action: 'approve' })).status).toBe(200);
    const running = await open('school', c.ref);
    await running.getByTestId('case-progress').getByText('事项正在“实践中”阶段进行中。').waitFor();
    // the timeline names the roles as users read them: the party by its label, never a code
    const timeline = running.getByTestId('case-timeline');
    await timeline.getByText('（接收企业）').waitFor();
    expect(await timeline.innerText()).not.toMatch(/party:|owner_person/);
    await screenshot(running, 'case-parties-active');
    await running.getByTestId('case-actions').getByRole('button', { name: '结束实践' }).waitFor();

    expect((await act(web.t, 'school', c.ref, { action: 'close' })).status).toBe(200);
    const closed = await open('teacher', c.ref);
    const chip = closed.getByTestId('stage-chip');
    await chip.getByText('已完成').waitFor();
    // a positive outcome, as the definition states it (its key 'practised' is in no list of names)
    expect(await chip.getAttribute('class')).toContain('MuiChip-colorSuccess');
    expect(await closed.getByTestId('case-progress').getAttribute('class')).toContain('MuiAlert-colorSuccess');
  });
});
