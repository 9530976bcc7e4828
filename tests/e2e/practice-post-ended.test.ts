import { SettingsService } from '@portal/core';
import { PracticeApplicationsService } from '@portal/practice';
import { startTestApp, userId, type TestApp } from '@portal/testing';
import { WorkflowProcessors } from '@portal/workflow';
import { call, daysAgo, newTeacher } from '../support/practice.js';

/**
 * 千企万岗: an application still awaiting the school (待学校审批) or the enterprise (待企业接收) when its post's period is
 * over is closed by the engine (`expire` → 岗位已结束) from its periodic sweep — tasks closed, the teacher told, the
 * event on the chain, the application no longer live — instead of waiting for its SLA. A post still open (ending today,
 * Asia/Shanghai) is untouched; the grace days are a setting; the sweep is idempotent and two workers share it.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface App {
  id: number;
  caseId: number;
}

let n = 0;
/** A post of the demo enterprise, open now (its dates may be moved into the past in SQL afterwards). */
async function post(endDate = daysAgo(-30)): Promise<number> {
  n += 1;
  const res = await call(t, 'enterprise', 'post', '/api/practice-posts', {
    title: `岗位结束测试 ${n}`,
    major: '电气自动化技术',
    openings: 5,
    startDate: daysAgo(20),
    endDate,
    content: '参与装配线工艺改进',
    mentorName: '李导师',
  });
  if (res.status !== 201) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function apply(teacher: string, postId: number): Promise<App> {
  const res = await call(t, teacher, 'post', '/api/practice-applications', { postId });
  if (res.status !== 201) throw new Error(`apply: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, caseId: Number(String(res.body.caseRef).split(':')[1]) };
}

const endPost = (postId: number, endDate: string) => t.ds.query(`UPDATE practice_posts SET end_date = $2 WHERE id = $1`, [postId, endDate]);

async function caseOf(a: App) {
  const [c] = await t.ds.query<Array<{ state: string; version: number; live: boolean; open_tasks: number; events: number; last: string; role: string | null }>>(
    `SELECT c.state, c.version, a.live,
            (SELECT count(*)::int FROM tasks WHERE case_id = c.id AND status = 'open') AS open_tasks,
            (SELECT count(*)::int FROM case_events WHERE case_id = c.id) AS events,
            (SELECT action FROM case_events WHERE case_id = c.id ORDER BY seq DESC LIMIT 1) AS last,
            (SELECT actor_role FROM case_events WHERE case_id = c.id ORDER BY seq DESC LIMIT 1) AS role
       FROM cases c JOIN practice_applications a ON a.case_id = c.id WHERE c.id = $1`,
    [a.caseId],
  );
  return c;
}

/** The periodic job as the scheduler enqueues it (the SLA sweep, then the features' sweeps). */
async function runSweepJob(): Promise<void> {
  await t.ds.query(`INSERT INTO outbox (job_name, payload) VALUES ('workflow.sla-sweep', '{}')`);
  await t.drain();
}

const notices = (caseId: number) =>
  t.ds.query<Array<{ username: string; title: string }>>(
    `SELECT u.username, n.title FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.case_id = $1 AND n.title LIKE '%岗位已结束%' ORDER BY n.id`,
    [caseId],
  );

it('closes the open applications of an ended post (岗位已结束, tasks closed, teacher told, no longer live); a post ending today and a decided application are untouched', async () => {
  const t1 = await newTeacher(t);
  const t2 = await newTeacher(t);
  const ended = await post();
  const awaitingSchool = await apply(t1.username, ended);
  const awaitingEnterprise = await apply(t2.username, ended);
  expect((await call(t, 'school', 'post', `/api/practice-applications/${awaitingEnterprise.id}/actions`, { action: 'school_approve' })).status).toBe(200);
  const accepted = await apply((await newTeacher(t)).username, ended);
  expect((await call(t, 'school', 'post', `/api/practice-applications/${accepted.id}/actions`, { action: 'school_approve' })).status).toBe(200);
  expect((await call(t, 'enterprise', 'post', `/api/practice-applications/${accepted.id}/actions`, { action: 'accept' })).status).toBe(200);
  // a post whose last day is today is still open
  const endsToday = await post(daysAgo(0));
  const running = await apply(t1.username, endsToday);
  const runningBefore = await caseOf(running);
  const acceptedBefore = await caseOf(accepted);
  await endPost(ended, daysAgo(1));

  await runSweepJob();

  for (const [a, from, teacher] of [
    [awaitingSchool, 'applied', t1.username],
    [awaitingEnterprise, 'school_approved', t2.username],
  ] as const) {
    expect(await caseOf(a)).toMatchObject({ state: 'post_ended', live: false, open_tasks: 0, last: 'expire', role: 'system' });
    const [ev] = await t.ds.query(`SELECT from_state, to_state, actor_id, payload FROM case_events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [a.caseId]);
    expect(ev).toEqual({ from_state: from, to_state: 'post_ended', actor_id: null, payload: { postEndDate: daysAgo(1) } });
    // the tasks it had were cancelled by the engine, not done by anyone
    const tasks = await t.ds.query(`SELECT status, completed_by, outcome FROM tasks WHERE case_id = $1 AND state = $2`, [a.caseId, from]);
    expect(tasks).toEqual([{ status: 'cancelled', completed_by: null, outcome: 'expire' }]);
    // the teacher, and only the teacher, is told
    expect(await notices(a.caseId)).toEqual([{ username: teacher, title: '千企万岗岗位申请：岗位已结束' }]);
    // the teacher sees it ended, with nothing left to do on it
    const seen = (await call(t, teacher, 'get', `/api/practice-applications/${a.id}`)).body;
    expect(seen).toMatchObject({ state: 'post_ended', stateLabel: '岗位已结束', allowedActions: [] });
  }
  // the decided one and the running one: as they were
  expect(await caseOf(accepted)).toEqual(acceptedBefore);
  expect(await caseOf(running)).toEqual(runningBefore);
  expect(runningBefore).toMatchObject({ state: 'applied', live: true, open_tasks: 1 });
  // no user can take `expire`
  const res = await call(t, t1.username, 'post', `/api/practice-applications/${running.id}/actions`, { action: 'expire' });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(await caseOf(running)).toEqual(runningBefore);

  // idempotent: the sweep again moves nothing, writes no event and tells nobody again
  const events = await t.ds.query(`SELECT count(*)::int AS n FROM case_events`);
  expect(await t.app.get(WorkflowProcessors).featureSweeps()).toEqual({ 'practice.post-ended': 0 });
  await runSweepJob();
  expect(await t.ds.query(`SELECT count(*)::int AS n FROM case_events`)).toEqual(events);
  expect(await notices(awaitingSchool.caseId)).toHaveLength(1);
  // ended today's post tomorrow: then it closes too (the day after its last day, Asia/Shanghai)
  await endPost(endsToday, daysAgo(1));
  expect(await t.app.get(WorkflowProcessors).featureSweeps()).toEqual({ 'practice.post-ended': 1 });
  expect((await caseOf(running)).state).toBe('post_ended');
});

it('waits the setting practice.postEndedGraceDays after the post ended', async () => {
  const settings = t.app.get(SettingsService);
  const admin = await userId(t, 'admin');
  await settings.set('practice.postEndedGraceDays', 3, admin);
  try {
    const p = await post();
    const a = await apply((await newTeacher(t)).username, p);
    await endPost(p, daysAgo(3));
    expect(await t.app.get(PracticeApplicationsService).closeEnded()).toBe(0);
    expect((await caseOf(a)).state).toBe('applied');
    await endPost(p, daysAgo(4));
    expect(await t.app.get(PracticeApplicationsService).closeEnded()).toBe(1);
    expect((await caseOf(a)).state).toBe('post_ended');
  } finally {
    await settings.set('practice.postEndedGraceDays', 0, admin);
  }
});

it('two workers sweeping at once close each application once', async () => {
  const apps: App[] = [];
  const p = await post();
  for (let i = 0; i < 6; i++) apps.push(await apply((await newTeacher(t)).username, p));
  await endPost(p, daysAgo(2));
  const service = t.app.get(PracticeApplicationsService);
  const [a, b] = await Promise.all([service.closeEnded(), service.closeEnded()]);
  expect(a + b).toBe(apps.length);
  for (const app of apps) {
    const c = await caseOf(app);
    expect(c).toMatchObject({ state: 'post_ended', live: false, open_tasks: 0 });
    const [{ n: expires }] = await t.ds.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND action = 'expire'`, [app.caseId]);
    expect(expires).toBe(1);
  }
});
