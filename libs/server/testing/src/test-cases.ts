import { AuthService } from '@portal/identity';
import { WorkflowService } from '@portal/workflow';
import type { TestApp } from './test-app.js';
import { TEST_PRACTICE_WORKFLOW, TEST_WORKFLOW } from './test-workflow.js';

/**
 * Open a case of the test workflow for a user's organisation (as a feature would when its applicant
 * creates a draft), with some feature data; answers its id and ref.
 */
export async function openTestCase(
  t: TestApp,
  username: string,
  data: { name?: string; [field: string]: unknown } = { name: '测试申请', amount: 1 },
): Promise<{ id: number; ref: string }> {
  const [{ id: userId }] = await t.ds.query<Array<{ id: number }>>(`SELECT id FROM users WHERE username = $1`, [username]);
  const actor = (await t.app.get(AuthService).actorById(userId))!;
  const workflow = t.app.get(WorkflowService);
  const row = await t.ds.transaction(async (em) => {
    const r = await workflow.open(em, {
      workflowKey: TEST_WORKFLOW,
      ownerOrgId: actor.organisationId,
      countyCode: actor.organisationCountyCode,
      title: data.name ?? '测试申请',
      actor,
    });
    await em.query(`INSERT INTO test_case_data (case_id, data) VALUES ($1, $2)`, [r.id, JSON.stringify(data)]);
    return r;
  });
  return { id: row.id, ref: `${TEST_WORKFLOW}:${row.id}` };
}

/** Change the test case's feature data (as the applicant editing a returned application). */
export async function editTestCase(t: TestApp, id: number, data: Record<string, unknown>): Promise<void> {
  await t.ds.query(`UPDATE test_case_data SET data = $2 WHERE case_id = $1`, [id, JSON.stringify(data)]);
}

/** POST an action as a user; answers the supertest response. */
export async function act(t: TestApp, username: string, ref: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const req = t
    .http()
    .post(`/api/cases/${ref}/actions`)
    .set('Authorization', `Bearer ${await t.token(username)}`);
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req.send(body);
}

export async function userId(t: TestApp, username: string): Promise<number> {
  const [{ id }] = await t.ds.query<Array<{ id: number }>>(`SELECT id FROM users WHERE username = $1`, [username]);
  return id;
}

/**
 * Open a practice record of the second test workflow: owned by a teacher (the person) of their school, with
 * the host enterprise as a party (an organisation, optionally its person, or an invitation by credit code).
 */
export async function openTestPractice(
  t: TestApp,
  teacher: string,
  host: { organisationId?: number; userId?: number; invitedCreditCode?: string; invitedEmail?: string },
  data: { name?: string; [field: string]: unknown } = { name: '测试实践' },
): Promise<{ id: number; ref: string }> {
  const actor = (await t.app.get(AuthService).actorById(await userId(t, teacher)))!;
  const workflow = t.app.get(WorkflowService);
  const row = await t.ds.transaction(async (em) => {
    const r = await workflow.open(em, {
      workflowKey: TEST_PRACTICE_WORKFLOW,
      ownerOrgId: actor.organisationId,
      ownerUserId: actor.id,
      countyCode: actor.organisationCountyCode,
      title: data.name ?? '测试实践',
      actor,
      parties: [{ party: 'host', ...host }],
    });
    await em.query(`INSERT INTO test_case_data (case_id, data) VALUES ($1, $2)`, [r.id, JSON.stringify(data)]);
    return r;
  });
  return { id: row.id, ref: `${TEST_PRACTICE_WORKFLOW}:${row.id}` };
}
