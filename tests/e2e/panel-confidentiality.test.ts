import { REVIEW_ATTACHMENT_PURPOSE } from '@portal/contracts';
import { act, openTestCase, startTestApp, tinyPdf, userId, type TestApp } from '@portal/testing';
import { createUser, getAs, organisationId } from '../support/people.js';

/**
 * Issue 9, items 1 and 2: a sitting panel is confidential. Membership, names, scores, comments and
 * recusal reasons are for city reviewers (and each expert their own); the applicant sees the outcome
 * and the average once the panel is done. Checked on every API that carries panel data, as the
 * applicant and as another expert. And an open seat cannot go to an expert who already sat.
 */

let t: TestApp;
const ids: Record<string, number> = {};
const EXPERT_NAMES = ['评审专家一', '评审专家二', '评审专家三', '评审专家四'];
const SECRETS = ['专家一的评语：合作基础扎实', '与申请单位有合作关系', '专家一评分表.pdf'];

beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
  ids.expert4 = await createUser(t, {
    username: 'expert4',
    displayName: '评审专家四',
    roles: ['expert'],
    organisationId: await organisationId(t, 'school', '温州技师学院'),
  });
  for (const u of ['enterprise', 'city', 'expert1', 'expert2', 'expert3']) ids[u] = await userId(t, u);
});
afterAll(() => t.close());

function ok<R extends { status: number; body?: unknown }>(res: R, status = 200): R {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

async function atPanel(name: string) {
  const c = await openTestCase(t, 'enterprise', { name });
  ok(await act(t, 'enterprise', c.ref, { action: 'submit' }));
  ok(await act(t, 'county', c.ref, { action: 'approve' }));
  ok(await act(t, 'city', c.ref, { action: 'send_to_panel', panel: [ids.expert1, ids.expert2, ids.expert3] }));
  return c;
}

/** Everything a user can read about a case, as one JSON text to search for leaks. */
async function everything(
  user: string,
  ref: string,
  caseId: number,
): Promise<{ text: string; events: Array<{ action: string; actorId: number | null; payload: Record<string, unknown> | null; comment: string | null }> }> {
  const parts: Record<string, unknown> = {};
  for (const [k, path] of Object.entries({
    summary: `/api/cases/${ref}`,
    events: `/api/cases/${ref}/events`,
    snapshots: `/api/cases/${ref}/snapshots`,
    attachments: `/api/cases/${ref}/attachments`,
    tasks: `/api/tasks?range=[0,999]`,
    notifications: `/api/notifications?filter=${encodeURIComponent(JSON.stringify({ caseId }))}&range=[0,999]`,
    documents: `/api/documents?filter=${encodeURIComponent(JSON.stringify({ caseId }))}`,
  })) {
    const res = await getAs(t, user, path);
    expect([200]).toContain(res.status);
    parts[k] = res.body;
  }
  return { text: JSON.stringify(parts), events: parts.events as never };
}

describe('a sitting panel is confidential', () => {
  it('the applicant and another expert see no names, scores, comments, recusal reasons or expert files; city reviewers see everything', async () => {
    const c = await atPanel('保密测试');
    ok(await act(t, 'expert1', c.ref, { action: 'score', scores: { cooperation: 40, plan: 38 }, comment: SECRETS[0] }));
    ok(await act(t, 'expert3', c.ref, { action: 'recuse', comment: SECRETS[1] }));
    const up = await t
      .http()
      .post(`/api/cases/${c.ref}/attachments`)
      .set('Authorization', `Bearer ${await t.token('expert1')}`)
      .field('purpose', REVIEW_ATTACHMENT_PURPOSE)
      .attach('file', await tinyPdf('score sheet'), SECRETS[2]);
    expect(up.status).toBe(201);
    await t.drain();

    // the applicant: no member, no score, no comment, no recusal, no expert's file, on any API
    const applicant = await everything('enterprise', c.ref, c.id);
    for (const s of [...EXPERT_NAMES, ...SECRETS]) expect(applicant.text).not.toContain(s);
    expect(applicant.events.filter((e) => ['score', 'recuse'].includes(e.action))).toEqual([]);
    const sent = applicant.events.find((e) => e.action === 'send_to_panel')!;
    expect(sent.payload?.panel).toBeUndefined();
    expect((await getAs(t, 'enterprise', `/api/attachments/${up.body.id}/download`)).status).toBe(404);

    // another expert (who has not scored yet): their own seat, nobody else's name, score or reason
    const other = await everything('expert2', c.ref, c.id);
    for (const s of [...EXPERT_NAMES.filter((n) => n !== '评审专家二'), ...SECRETS]) expect(other.text).not.toContain(s);
    expect(other.events.filter((e) => ['score', 'recuse'].includes(e.action))).toEqual([]);
    expect(other.events.find((e) => e.action === 'send_to_panel')!.payload?.panel).toBeUndefined();
    expect((await getAs(t, 'expert2', `/api/attachments/${up.body.id}/download`)).status).toBe(404);

    // the expert who scored sees their own score and file
    const own = await everything('expert1', c.ref, c.id);
    expect(own.events.filter((e) => e.action === 'score').map((e) => e.payload?.scores)).toEqual([{ cooperation: 40, plan: 38 }]);
    expect(own.text).toContain(SECRETS[2]);
    expect(own.text).not.toContain(SECRETS[1]);

    // the city reviewer: membership, scores, comments, recusal reason
    const city = await everything('city', c.ref, c.id);
    for (const s of ['评审专家一', '评审专家三', ...SECRETS]) expect(city.text).toContain(s);
    expect(city.events.find((e) => e.action === 'send_to_panel')!.payload?.panel).toEqual([ids.expert1, ids.expert2, ids.expert3]);

    // the panel completes: the applicant sees the outcome and the average, still no names or single scores
    ok(await act(t, 'city', c.ref, { action: 'appoint', panel: [ids.expert4] }));
    ok(await act(t, 'expert2', c.ref, { action: 'score', scores: { cooperation: 30, plan: 30 } }));
    ok(await act(t, 'expert4', c.ref, { action: 'score', scores: { cooperation: 35, plan: 37 } }));
    await t.drain();
    const after = await everything('enterprise', c.ref, c.id);
    for (const s of [...EXPERT_NAMES, ...SECRETS]) expect(after.text).not.toContain(s);
    expect(after.events.filter((e) => ['score', 'recuse'].includes(e.action))).toEqual([]);
    expect(after.events.find((e) => e.action === 'appoint')!.payload?.panel).toBeUndefined();
    const outcome = after.events.find((e) => e.action === 'panel_pass')!;
    expect(outcome.payload).toEqual({ average: 70, passMark: 60, scored: 3 });
    // another member after the sitting: still only their own score
    const member = await everything('expert4', c.ref, c.id);
    expect(member.events.filter((e) => e.action === 'score').map((e) => e.payload?.scores)).toEqual([{ cooperation: 35, plan: 37 }]);
    for (const s of ['评审专家一', '评审专家二', ...SECRETS]) expect(member.text).not.toContain(s);
  });

  it('a later submission (after a return) freezes no expert file: snapshots and diffs stay clean for the applicant', async () => {
    const c = await atPanel('保密测试（补正）');
    const up = await t
      .http()
      .post(`/api/cases/${c.ref}/attachments`)
      .set('Authorization', `Bearer ${await t.token('expert2')}`)
      .field('purpose', REVIEW_ATTACHMENT_PURPOSE)
      .attach('file', await tinyPdf('note'), SECRETS[2]);
    expect(up.status).toBe(201);
    for (const u of ['expert1', 'expert2', 'expert3']) ok(await act(t, u, c.ref, { action: 'score', scores: { cooperation: 10, plan: 10 } }));
    // failed: back to 市级复核, returned to the applicant, resubmitted
    ok(await act(t, 'city', c.ref, { action: 'return', items: ['补充合作协议'] }));
    ok(await act(t, 'enterprise', c.ref, { action: 'resubmit' }));
    const snaps = await getAs(t, 'enterprise', `/api/cases/${c.ref}/snapshots`);
    expect(snaps.status).toBe(200);
    expect(snaps.body).toHaveLength(2);
    expect(JSON.stringify(snaps.body)).not.toContain(SECRETS[2]);
    const diff = await getAs(t, 'enterprise', `/api/cases/${c.ref}/diff`);
    expect(diff.status).toBe(200);
    expect(JSON.stringify(diff.body)).not.toContain(SECRETS[2]);
    // the failing outcome and its average are the applicant's to know; the scores are not
    const events = (await getAs(t, 'enterprise', `/api/cases/${c.ref}/events`)).body as Array<{ action: string; payload: unknown }>;
    expect(events.find((e) => e.action === 'panel_fail')!.payload).toEqual({ average: 20, passMark: 60, scored: 3 });
    expect(events.filter((e) => e.action === 'score')).toEqual([]);
  });
});

describe('a second seat for the same expert', () => {
  it('an open seat cannot be reassigned to an expert who already scored or recused in this sitting (Chinese reason, nothing written)', async () => {
    const c = await atPanel('改派测试');
    ok(await act(t, 'expert1', c.ref, { action: 'score', scores: { cooperation: 40, plan: 40 } }));
    ok(await act(t, 'expert3', c.ref, { action: 'recuse', comment: '回避' }));
    const [seat] = await t.ds.query(`SELECT id FROM tasks WHERE case_id = $1 AND kind = 'panel' AND status = 'open'`, [c.id]);
    const candidates = await getAs(t, 'city', `/api/tasks/${seat.id}/assignees`);
    expect(candidates.status).toBe(200);
    expect(candidates.body.map((u: { id: number }) => u.id)).toEqual([ids.expert4]);
    for (const again of [ids.expert1, ids.expert3]) {
      const res = await t
        .http()
        .post(`/api/tasks/${seat.id}/reassign`)
        .set('Authorization', `Bearer ${await t.token('city')}`)
        .send({ userId: again });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/本次评审/);
      expect(res.body.details[0].field).toBe('userId');
    }
    const [still] = await t.ds.query(`SELECT assignee_id FROM tasks WHERE id = $1`, [seat.id]);
    expect(still.assignee_id).toBe(ids.expert2);
    // expert1 cannot score twice
    expect((await act(t, 'expert1', c.ref, { action: 'score', scores: { cooperation: 40, plan: 40 } })).status).toBe(403);
    // a fresh expert is accepted
    ok(
      await t
        .http()
        .post(`/api/tasks/${seat.id}/reassign`)
        .set('Authorization', `Bearer ${await t.token('city')}`)
        .send({ userId: ids.expert4, reason: '专家二出差' }),
    );
    // the seat's reassignment is on the chain for the city, and says nobody's name to the applicant
    const seen = (await getAs(t, 'city', `/api/cases/${c.ref}/events`)).body as Array<{ action: string; payload: Record<string, unknown> | null }>;
    expect(seen.filter((e) => e.action === 'task_reassign').map((e) => e.payload)).toEqual([
      expect.objectContaining({ kind: 'panel', from: ids.expert2, to: ids.expert4 }),
    ]);
    const applicant = (await getAs(t, 'enterprise', `/api/cases/${c.ref}/events`)).body as Array<{ action: string }>;
    expect(applicant.map((e) => e.action)).not.toContain('task_reassign');
  });
});
