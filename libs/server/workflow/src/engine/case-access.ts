import { hasRole, isAdmin, type Actor } from '@portal/identity';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from './case-row.js';
import type { ReadRule, StageDef, WorkflowDefinition } from './definition.js';

/** A party of a case as the rules need it: an invitation counts for no organisation until it is accepted (InvitationsService). */
export interface CaseParty {
  party: string;
  organisationId: number | null;
  userId: number | null;
}

/** The parties of a case (one statement); an invited organisation counts once it has accepted. */
export async function caseParties(em: EntityManager, caseId: number): Promise<CaseParty[]> {
  const rows = await em.query<Array<{ party: string; organisation_id: number | null; user_id: number | null }>>(
    `SELECT party, organisation_id, user_id FROM case_parties WHERE case_id = $1 ORDER BY id`,
    [caseId],
  );
  return rows.map((r) => ({ party: r.party, organisationId: r.organisation_id, userId: r.user_id }));
}

/**
 * The read rules of the registered definitions, by workflow key: the one read rule (canReadCase,
 * caseReadScope) is per definition, and its callers (attachments, documents, features' lists) know a case
 * row, not its definition. Filled by WorkflowRegistry.define.
 */
const readRules = new Map<string, { read: ReadRule; parties: boolean }>();

/** certification's rule, the default: the whole owner organisation; reviewers in scope once submitted */
const DEFAULT_READ: ReadRule = { ownerOrganisation: 'all', reviewers: true };

export function registerReadRule(def: WorkflowDefinition): void {
  readRules.set(def.key, { read: def.read ?? DEFAULT_READ, parties: Object.keys(def.parties ?? {}).length > 0 });
}

function ruleOf(workflowKey: string | undefined): { read: ReadRule; parties: boolean } {
  return (workflowKey ? readRules.get(workflowKey) : undefined) ?? { read: DEFAULT_READ, parties: false };
}

/** Whether the actor reads every case of the owner organisation they belong to (all its users, or its admins). */
function readsOwnOrganisation(actor: Actor, read: ReadRule): boolean {
  return read.ownerOrganisation === 'all' || actor.roles.some((r) => read.ownerOrganisation.includes(r));
}

/**
 * Who may read a case, per its definition's read rule: the owner organisation (all its users, or only its
 * admins), the owner person, the parties (organisation or person; an invited organisation once it has accepted),
 * anyone who holds or held a task on it (panel experts); once it has been submitted, also reviewers in
 * scope (admins and city reviewers, county reviewers of its county) unless the definition says otherwise.
 * A draft never submitted is the owner's own (issue 9): reviewers see neither it nor that it exists.
 */
export async function canReadCase(actor: Actor, row: CaseRow, em: EntityManager): Promise<boolean> {
  const { read, parties } = ruleOf(row.workflowKey);
  if (actor.organisationId === row.ownerOrgId && readsOwnOrganisation(actor, read)) return true;
  if (row.ownerUserId !== null && row.ownerUserId === actor.id) return true;
  if (row.submissions > 0 && read.reviewers !== false) {
    if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) return true;
    if (hasRole(actor, 'county_reviewer') && actor.jurisdiction !== null && actor.jurisdiction === row.countyCode) return true;
  }
  const rows = await em.query<unknown[]>(
    parties
      ? `SELECT 1 FROM tasks WHERE case_id = $1 AND assignee_id = $2
         UNION ALL
         SELECT 1 FROM case_parties cp WHERE cp.case_id = $1 AND (cp.user_id = $2 OR cp.organisation_id = $3)
         LIMIT 1`
      : `SELECT 1 FROM tasks WHERE case_id = $1 AND assignee_id = $2 LIMIT 1`,
    parties ? [row.id, actor.id, actor.organisationId] : [row.id, actor.id],
  );
  return rows.length > 0;
}

/**
 * SQL condition (on alias `c`) selecting the cases an actor may read, with its parameters from $offset:
 * the same rule as canReadCase, for lists. `workflowKey`: the workflow listed (its read rule); without it,
 * certification's rule.
 *
 * Written so that PostgreSQL can read it through indexes (issue 13: a county reviewer's list at a million cases):
 * every arm of the OR is an index condition — the reviewer's part (`cases (county_code, …)`), the owner organisation
 * (`cases (owner_org_id)`), the owner person (`cases (owner_user_id)`) and the ids of the cases the actor holds or
 * held a task on or is a party to, read once for the statement (an InitPlan array) through `tasks (assignee_id,
 * case_id)` and the `case_parties` indexes and matched on the primary key — so the planner may combine them (a
 * BitmapOr) for a count, or filter an ordered index scan for a page. An EXISTS per row, as before, could do neither:
 * counting a county reviewer's stage read the whole primary key. The array leaves out the cases the reviewer's part
 * already covers (a county reviewer's tasks in their own county), so it stays small however many tasks a reviewer
 * has worked. Same rows as before (tests/e2e/list-read-scope.test.ts checks them against canReadCase).
 */
export function caseReadScope(actor: Actor, offset: number, workflowKey?: string): { sql: string; params: unknown[] } {
  const { read, parties } = ruleOf(workflowKey);
  const org = `$${offset}`;
  const user = `$${offset + 1}`;
  const params: unknown[] = [actor.organisationId, actor.id];
  let reviewer: ((alias: string) => string) | undefined;
  if (read.reviewers !== false) {
    if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) reviewer = (x) => `${x}.submissions > 0`;
    else if (hasRole(actor, 'county_reviewer') && actor.jurisdiction) {
      const county = `$${offset + params.push(actor.jurisdiction) - 1}`;
      reviewer = (x) => `${x}.submissions > 0 AND ${x}.county_code = ${county}`;
    }
  }
  const held = [`SELECT case_id FROM tasks WHERE assignee_id = ${user}`];
  if (parties) held.push(`SELECT case_id FROM case_parties WHERE user_id = ${user}`, `SELECT case_id FROM case_parties WHERE organisation_id = ${org}`);
  const heldIds = reviewer ? `SELECT x.id FROM cases x WHERE x.id IN (${held.join(' UNION ALL ')}) AND (${reviewer('x')}) IS NOT TRUE` : held.join(' UNION ');
  const parts = [
    ...(reviewer ? [`(${reviewer('c')})`] : []),
    // (the parameter is always referenced, so that its type is known)
    readsOwnOrganisation(actor, read) ? `c.owner_org_id = ${org}` : `(c.owner_org_id = ${org} AND false)`,
    `c.owner_user_id = ${user}`,
    `c.id = ANY (ARRAY(${heldIds}))`,
  ];
  return { sql: `(${parts.join(' OR ')})`, params };
}

/**
 * SQL condition (on alias `c`) selecting the cases an actor may read whatever their workflow, with its parameters
 * from $offset: each registered workflow's case under its own read rule (caseReadScope), any other under the
 * default rule — canReadCase, for callers that hold a case id and not its definition (documents).
 */
export function anyCaseReadScope(actor: Actor, offset: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const keys = [...readRules.keys()];
  const arms = keys.map((key) => {
    const k = `$${offset + params.push(key) - 1}`;
    const scope = caseReadScope(actor, offset + params.length, key);
    params.push(...scope.params);
    return `(c.workflow_key = ${k} AND ${scope.sql})`;
  });
  const registered = `$${offset + params.push(keys) - 1}::text[]`;
  const others = caseReadScope(actor, offset + params.length);
  params.push(...others.params);
  arms.push(`(NOT (c.workflow_key = ANY (${registered})) AND ${others.sql})`);
  return { sql: `(${arms.join(' OR ')})`, params };
}

/**
 * Whether the actor works this stage by its role in its scope: the case's county, city level, the owner
 * organisation, or a party's organisation.
 */
export function worksStage(
  actor: Pick<Actor, 'roles' | 'jurisdiction' | 'organisationId'>,
  st: StageDef,
  row: Pick<CaseRow, 'countyCode' | 'ownerOrgId'>,
  parties: readonly CaseParty[] = [],
): string | undefined {
  if (!st.role || !actor.roles.includes(st.role)) return '您不是本阶段的审核人员';
  if (st.scope === 'county' && actor.jurisdiction !== row.countyCode) return '只能审核本县（市、区）的申请';
  if (st.scope === 'city' && actor.jurisdiction !== null) return '本阶段由市级审核人员办理';
  if (st.scope === 'owner_organisation' && actor.organisationId !== row.ownerOrgId) return '本阶段由申请人所在单位办理';
  if (st.scope?.startsWith('party:')) {
    const p = parties.find((x) => `party:${x.party}` === st.scope);
    if (!p || p.organisationId !== actor.organisationId) return '本阶段由当事单位办理';
  }
  return undefined;
}
