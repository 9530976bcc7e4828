import { hasRole, isAdmin, type Actor } from '@portal/identity';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from './case-row.js';
import type { StageDef } from './definition.js';

/**
 * Who may read a case: its owner organisation, and anyone who holds or held a task on it (panel experts);
 * once it has been submitted, also admins and city reviewers, and county reviewers of its county. A draft
 * never submitted is the owner's own (issue 9): reviewers see neither it nor that it exists.
 */
export async function canReadCase(actor: Actor, row: CaseRow, em: EntityManager): Promise<boolean> {
  if (actor.organisationId === row.ownerOrgId) return true;
  if (row.submissions > 0) {
    if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) return true;
    if (hasRole(actor, 'county_reviewer') && actor.jurisdiction !== null && actor.jurisdiction === row.countyCode) return true;
  }
  const rows = await em.query<unknown[]>(`SELECT 1 FROM tasks WHERE case_id = $1 AND assignee_id = $2 LIMIT 1`, [row.id, actor.id]);
  return rows.length > 0;
}

/** SQL condition (on alias `c`) selecting the cases an actor may read, with its parameters from $offset. */
export function caseReadScope(actor: Actor, offset: number): { sql: string; params: unknown[] } {
  const parts = [`c.owner_org_id = $${offset}`, `EXISTS (SELECT 1 FROM tasks tk WHERE tk.case_id = c.id AND tk.assignee_id = $${offset + 1})`];
  const params: unknown[] = [actor.organisationId, actor.id];
  if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) parts.push('c.submissions > 0');
  else if (hasRole(actor, 'county_reviewer') && actor.jurisdiction) {
    parts.push(`(c.submissions > 0 AND c.county_code = $${offset + 2})`);
    params.push(actor.jurisdiction);
  }
  return { sql: `(${parts.join(' OR ')})`, params };
}

/** Whether the actor works this review stage: its role, and for county stages the case's county. */
export function worksStage(actor: Actor, st: StageDef, row: CaseRow): string | undefined {
  if (!st.role || !actor.roles.includes(st.role)) return '您不是本阶段的审核人员';
  if (st.scope === 'county' && actor.jurisdiction !== row.countyCode) return '只能审核本县（市、区）的申请';
  if (st.scope === 'city' && actor.jurisdiction !== null) return '本阶段由市级审核人员办理';
  return undefined;
}
