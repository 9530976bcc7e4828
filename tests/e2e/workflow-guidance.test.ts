import { CalendarService } from '@portal/workflow';
import { act, openTestCase, startTestApp, userId, type TestApp } from '@portal/testing';
import { getAs } from '../support/people.js';

/**
 * Issue 9, items 3-5 on the engine: the demo data can finish a journey (a second city reviewer), a user
 * with nothing to do is told why and who can act, the inbox offers 认领 only where the user may act,
 * the definition reads its policy numbers from settings, and users see labels, never raw codes.
 */

let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
  for (const u of ['enterprise', 'county', 'city', 'expert1', 'expert2', 'expert3']) ids[u] = await userId(t, u);
});
afterAll(() => t.close());

function ok<R extends { status: number; body?: unknown }>(res: R, status = 200): R {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}
const setSetting = async (key: string, value: number) =>
  ok(
    await t
      .http()
      .put(`/api/settings/${key}`)
      .set('Authorization', `Bearer ${await t.token('admin')}`)
      .send({ value }),
  );

async function atCityReview(name: string) {
  const c = await openTestCase(t, 'enterprise', { name });
  ok(await act(t, 'enterprise', c.ref, { action: 'submit' }));
  ok(await act(t, 'county', c.ref, { action: 'approve' }));
  return c;
}
async function atDecision(name: string) {
  const c = await atCityReview(name);
  ok(await act(t, 'city', c.ref, { action: 'send_to_panel', panel: [ids.expert1, ids.expert2, ids.expert3] }));
  for (const u of ['expert1', 'expert2', 'expert3']) ok(await act(t, u, c.ref, { action: 'score', scores: { cooperation: 40, plan: 40 } }));
  await t.ds.query(`UPDATE outbox SET available_at = now() WHERE job_name = 'workflow.timer' AND processed_at IS NULL`);
  await t.drain();
  const [row] = await t.ds.query(`SELECT state FROM cases WHERE id = $1`, [c.id]);
  expect(row.state).toBe('decision');
  return c;
}

interface Summary {
  allowedActions: Array<{ action: string; needs: { panel?: { min: number } } }>;
  noActionReasons: string[];
  whoCanAct: Array<{ role: string; label: string; people: string[] }>;
}

describe('a journey the demo data can finish', () => {
  it('the seeded second city reviewer decides; the first is told why not and who can', async () => {
    const c = await atDecision('引导测试');
    const city = ok(await getAs(t, 'city', `/api/cases/${c.ref}`)).body as Summary;
    expect(city.allowedActions).toEqual([]);
    expect(city.noActionReasons.join('')).toContain('市级复核');
    expect(city.whoCanAct).toEqual([{ role: 'city_reviewer', label: '市级审核', people: ['市教育局审核员二'] }]);

    // the applicant: why (not theirs), and who (the role, no names of officials)
    const owner = ok(await getAs(t, 'enterprise', `/api/cases/${c.ref}`)).body as Summary;
    expect(owner.allowedActions).toEqual([]);
    expect(owner.noActionReasons.length).toBeGreaterThan(0);
    expect(owner.noActionReasons.join('')).toMatch(/[\u4e00-\u9fa5]/);
    expect(owner.whoCanAct).toEqual([{ role: 'city_reviewer', label: '市级审核', people: [] }]);

    // someone with an action: no reasons
    const city2 = ok(await getAs(t, 'city2', `/api/cases/${c.ref}`)).body as Summary;
    expect(city2.allowedActions.map((a) => a.action).sort()).toEqual(['certify', 'decline', 'return']);
    expect(city2.noActionReasons).toEqual([]);

    // the inbox: no 认领 for city, whose claim the server refuses too; city2 may claim
    const filter = encodeURIComponent(JSON.stringify({ state: 'decision', status: 'open' }));
    const cityInbox = (await getAs(t, 'city', `/api/tasks?filter=${filter}`)).body as Array<{
      id: number;
      caseId: number;
      claimable: boolean;
      blockedReason: string | null;
    }>;
    const task = cityInbox.find((x) => x.caseId === c.id)!;
    expect(task).toMatchObject({ claimable: false, blockedReason: expect.stringContaining('市级复核') });
    const refused = await t
      .http()
      .post(`/api/tasks/${task.id}/claim`)
      .set('Authorization', `Bearer ${await t.token('city')}`);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('市级复核');
    const [unclaimed] = await t.ds.query(`SELECT assignee_id FROM tasks WHERE id = $1`, [task.id]);
    expect(unclaimed.assignee_id).toBeNull();
    const city2Inbox = (await getAs(t, 'city2', `/api/tasks?filter=${filter}`)).body as Array<{
      caseId: number;
      claimable: boolean;
      blockedReason: string | null;
    }>;
    expect(city2Inbox.find((x) => x.caseId === c.id)).toMatchObject({ claimable: true, blockedReason: null });

    ok(
      await t
        .http()
        .post(`/api/tasks/${task.id}/claim`)
        .set('Authorization', `Bearer ${await t.token('city2')}`),
    );
    const done = ok(await act(t, 'city2', c.ref, { action: 'certify', comment: '予以认定' }));
    expect(done.body.state).toBe('approved');
  });
});

describe('settings drive the definition', () => {
  it('the panel minimum is the setting workflow.panelMinMembers, not a literal 3', async () => {
    try {
      await setSetting('workflow.panelMinMembers', 2);
      const c = await atCityReview('专家人数测试');
      const s = (await getAs(t, 'city', `/api/cases/${c.ref}`)).body as Summary;
      expect(s.allowedActions.find((a) => a.action === 'send_to_panel')!.needs.panel!.min).toBe(2);
      ok(await act(t, 'city', c.ref, { action: 'send_to_panel', panel: [ids.expert1, ids.expert2] }));

      await setSetting('workflow.panelMinMembers', 4);
      const d = await atCityReview('专家人数测试二');
      expect(((await getAs(t, 'city', `/api/cases/${d.ref}`)).body as Summary).allowedActions.find((a) => a.action === 'send_to_panel')!.needs.panel!.min).toBe(
        4,
      );
      const short = await act(t, 'city', d.ref, { action: 'send_to_panel', panel: [ids.expert1, ids.expert2, ids.expert3] });
      expect(short.status).toBe(400);
      expect(short.body.message).toContain('4');
      expect(short.body.details[0].field).toBe('panel');
    } finally {
      await setSetting('workflow.panelMinMembers', 3);
    }
  });

  it('the SLA sweep finds a task due after a long holiday within the reminder window (no 45-day literal)', async () => {
    const c = await openTestCase(t, 'enterprise', { name: '长假提醒' });
    ok(await act(t, 'enterprise', c.ref, { action: 'submit' }));
    await t.drain();
    const calendar = t.app.get(CalendarService);
    try {
      // 70 days of holiday from tomorrow (Shanghai): a task due in 50 days is due within one working day
      await t.ds.query(
        `INSERT INTO calendar_days (day, kind, name) SELECT d::date, 'holiday', '测试长假'
           FROM generate_series((now() AT TIME ZONE 'Asia/Shanghai')::date + 1, (now() AT TIME ZONE 'Asia/Shanghai')::date + 70, interval '1 day') AS d
         ON CONFLICT (day) DO NOTHING`,
      );
      calendar.invalidate();
      await t.ds.query(`UPDATE tasks SET due_at = now() + interval '50 days' WHERE case_id = $1 AND status = 'open'`, [c.id]);
      await t.ds.query(`INSERT INTO outbox (job_name, payload) VALUES ('workflow.sla-sweep', '{}')`);
      await t.drain();
      const notes = await t.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE case_id = $1 AND kind = 'reminder'`, [c.id]);
      expect(notes[0].n).toBeGreaterThan(0);
    } finally {
      await t.ds.query(`DELETE FROM calendar_days WHERE name = '测试长假'`);
      calendar.invalidate();
    }
  });
});

describe('users see labels, not codes', () => {
  it('an action refused in this state is named by its label; an unknown action is a 400 on the field', async () => {
    const c = await atCityReview('标签测试');
    const res = await act(t, 'county', c.ref, { action: 'approve' });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('推荐');
    expect(res.body.message).not.toContain('approve');
    const unknown = await act(t, 'county', c.ref, { action: 'frobnicate' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].field).toBe('action');
    expect(unknown.body.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('every setting has a Chinese label and description', async () => {
    const res = ok(await getAs(t, 'admin', '/api/settings?range=[0,99]'));
    expect(res.body.length).toBeGreaterThan(10);
    for (const s of res.body as Array<{ id: string; label: string; description: string }>) {
      expect(s.label).toMatch(/[\u4e00-\u9fa5]/);
      expect(typeof s.description).toBe('string');
      expect(s.description).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});
