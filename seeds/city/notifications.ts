import type { WorkflowDefinition } from '@portal/workflow';
import type { EntityManager } from 'typeorm';
import { insertRows } from './engine.js';

/**
 * The in-app notifications (站内通知) of a generated city: what the engine and the features would have told their
 * users about the cases as they now stand, worded as they word it, to the users they would have found (the 'notify'
 * job's recipients), each at the time it happened — read when older than a week:
 * - 待办 for every open task (stage-entry.ts): its assignee, else the stage's roles in the task's county, organisation
 *   or at city level; 待办：专家评审 for every open panel seat;
 * - 被退回补正 and the decision (workflow.service.ts) of the last 30 days, to the case's owner (every one of the demo
 *   accounts' own cases: the demo enterprise hears of its certification, the demo teacher of each record's);
 * - 补助资金拨付通知书 to the finance bureau, for every notice of a subsidy still awaiting payment;
 * - 公示收到异议 (objections.service.ts) to the city reviewers, for every objection lodged.
 */

/** A notice's notification (DocumentRequest.notify), at the time the notice was issued. */
export interface NoticeNotification {
  title: string;
  body: string;
  countyCode: string | null;
  caseId?: number;
  subsidyId: number;
  at: Date;
}

const READ = `CASE WHEN x.at < now() - interval '7 days' THEN x.at + interval '1 day' END`;
/** Users at city level who may hold a city stage's task (few: a join on roles stays small). */
const CITY_USERS = `(SELECT id, roles FROM users WHERE active AND jurisdiction IS NULL AND roles && ARRAY['city_reviewer', 'admin', 'expert'])`;

export async function seedNotifications(
  em: EntityManager,
  definitions: WorkflowDefinition[],
  fromCaseId: number,
  notices: NoticeNotification[],
  demo: { orgs: number[]; users: number[] },
): Promise<number> {
  await em.query(`DROP TABLE IF EXISTS city_stages, city_notices`);
  await em.query(
    `CREATE TEMP TABLE city_stages (workflow_key text, state text, label text, roles text[], title text, owner_roles text[], final boolean) ON COMMIT DROP;
     CREATE TEMP TABLE city_notices (subsidy_id bigint, title text, body text, county_code text, case_id bigint, at timestamptz) ON COMMIT DROP`,
  );
  await insertRows(
    em,
    'city_stages',
    { workflow_key: 'text', state: 'text', label: 'text', roles: 'text', title: 'text', owner_roles: 'text', final: 'boolean' },
    definitions.flatMap((d) =>
      Object.entries(d.states).map(([key, st]) => {
        const party = st.actor?.startsWith('party:') ? d.parties?.[st.actor.slice('party:'.length)] : undefined;
        const roles = st.role ? [st.role] : (party?.roles ?? []);
        return [d.key, key, st.label, JSON.stringify(roles), d.title, JSON.stringify(d.ownerRoles ?? []), st.kind === 'final'];
      }),
    ),
    {
      select: `u.workflow_key, u.state, u.label, ARRAY(SELECT jsonb_array_elements_text(u.roles::jsonb)), u.title,
               ARRAY(SELECT jsonb_array_elements_text(u.owner_roles::jsonb)), u.final`,
    },
  );
  // the generator loaded these tables in this very transaction: without statistics the planner takes them for small
  // and joins 100,000 open tasks to 300,000 users row by row (at size 100,000 one statement ran for over 15 minutes)
  await em.query(`ANALYZE tasks, cases, case_events, users, objections, city_stages`);
  const [{ before }] = await em.query<Array<{ before: string }>>(`SELECT count(*) AS before FROM notifications`);
  const insert = (sql: string, params: unknown[] = []) =>
    em.query(
      `WITH x AS (${sql})
       INSERT INTO notifications (user_id, kind, title, body, case_id, dedupe_key, read_at, created_at)
       SELECT x.user_id, x.kind, x.title, x.body, x.case_id, x.dedupe_key, ${READ}, x.at FROM x
       ON CONFLICT (user_id, dedupe_key) DO NOTHING`,
      params,
    );
  // open tasks: the stage's 待办, to whom the engine would have told
  const TASKS = `FROM tasks t JOIN cases c ON c.id = t.case_id JOIN city_stages st ON st.workflow_key = c.workflow_key AND st.state = t.state`;
  const task = (recipient: string) => `SELECT u.id AS user_id, 'task_assigned' AS kind,
      CASE WHEN t.kind = 'panel' THEN '待办：专家评审' ELSE '待办：' || st.label END AS title, st.title || '：' || c.title AS body,
      c.id AS case_id, 'city:task:' || t.id AS dedupe_key, t.created_at AS at
    ${TASKS} ${recipient} WHERE t.status = 'open' AND t.kind IN ('review', 'panel') AND c.id >= $1`;
  await insert(task(`JOIN users u ON u.id = t.assignee_id AND u.active`), [fromCaseId]);
  await insert(task(`JOIN users u ON t.assignee_id IS NULL AND u.jurisdiction = t.county_code AND u.active AND u.roles && st.roles`), [fromCaseId]);
  await insert(
    task(`JOIN users u ON t.assignee_id IS NULL AND t.county_code IS NULL AND u.organisation_id = t.organisation_id AND u.active AND u.roles && st.roles`),
    [fromCaseId],
  );
  await insert(task(`JOIN ${CITY_USERS} u ON t.assignee_id IS NULL AND t.county_code IS NULL AND t.organisation_id IS NULL AND u.roles && st.roles`), [
    fromCaseId,
  ]);
  // returns and decisions of the last 30 days, to the case's owner (its person, else its organisation's owner roles)
  const EVENTS = `FROM case_events e JOIN cases c ON c.id = e.case_id JOIN city_stages st ON st.workflow_key = c.workflow_key AND st.state = e.to_state
    WHERE c.id >= $1 AND (e.at > now() - interval '30 days' OR c.owner_org_id = ANY($2) OR c.owner_user_id = ANY($3))
      AND e.from_state IS DISTINCT FROM e.to_state AND (e.action = 'return' OR st.final)`;
  const decided = `SELECT e.id, c.id AS case_id, c.owner_user_id, c.owner_org_id, st.owner_roles, e.at,
      CASE WHEN e.action = 'return' THEN 'returned' ELSE 'decided' END AS kind,
      st.title || CASE WHEN e.action = 'return' THEN '被退回补正' ELSE '：' || st.label END AS title,
      CASE WHEN st.final AND e.comment IS NOT NULL THEN c.title || '：' || e.comment ELSE c.title END AS body ${EVENTS}`;
  await insert(
    `SELECT coalesce(d.owner_user_id, u.id) AS user_id, d.kind, d.title, d.body, d.case_id, 'city:event:' || d.id AS dedupe_key, d.at
       FROM (${decided}) d LEFT JOIN users u ON d.owner_user_id IS NULL AND u.organisation_id = d.owner_org_id AND u.active AND u.roles && d.owner_roles
      WHERE coalesce(d.owner_user_id, u.id) IS NOT NULL`,
    [fromCaseId, demo.orgs, demo.users],
  );
  // notices awaiting payment, to the finance bureau of their county
  await insertRows(
    em,
    'city_notices',
    { subsidy_id: 'bigint', title: 'text', body: 'text', county_code: 'text', case_id: 'bigint', at: 'timestamptz' },
    notices.map((n) => [n.subsidyId, n.title, n.body, n.countyCode, n.caseId ?? null, n.at.toISOString()]),
  );
  await insert(
    `SELECT u.id AS user_id, 'document_issued' AS kind, n.title, n.body, n.case_id, 'city:notice:' || n.subsidy_id AS dedupe_key, n.at
       FROM city_notices n JOIN users u ON u.jurisdiction IS NOT DISTINCT FROM n.county_code AND u.active AND 'finance' = ANY(u.roles)`,
  );
  // objections lodged during 公示, to the city reviewers who rule on them
  await insert(
    `SELECT u.id AS user_id, 'objection' AS kind, st.title || '：公示收到异议' AS title,
            c.title || '（' || st.label || '）收到一件实名异议，处理前不能作出决定。' AS body, c.id AS case_id, 'objection:' || o.id AS dedupe_key, o.created_at AS at
       FROM objections o JOIN cases c ON c.id = o.case_id JOIN city_stages st ON st.workflow_key = c.workflow_key AND st.state = 'publicity'
       JOIN ${CITY_USERS} u ON 'city_reviewer' = ANY(u.roles)
      WHERE c.id >= $1`,
    [fromCaseId],
  );
  await em.query(`DROP TABLE city_stages, city_notices`);
  const [{ after }] = await em.query<Array<{ after: string }>>(`SELECT count(*) AS after FROM notifications`);
  return Number(after) - Number(before);
}
