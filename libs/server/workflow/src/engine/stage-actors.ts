import { ROLE_LABELS, type StageActorDto } from '@portal/contracts';
import type { Actor } from '@portal/identity';
import type { EntityManager } from 'typeorm';
import { sodConflict, type ActedAt } from './act-checks.js';
import { worksStage } from './case-access.js';
import type { CaseRow } from './case-row.js';
import type { WorkflowDefinition } from './definition.js';
import { seesPanel } from './panel-privacy.js';

/**
 * Who can move a case on at its current stage, for the viewer: the role, and the people of it who may act
 * now (a claimed task's holder, else everyone of the role and jurisdiction whom separation of duties
 * allows). Officials' names are for officials: the applicant sees roles; a sitting panel's members are
 * named to city reviewers only.
 */
export async function stageActors(em: EntityManager, def: WorkflowDefinition, row: CaseRow, viewer: Actor): Promise<StageActorDto[]> {
  const st = def.states[row.state];
  if (st.kind === 'final') return [];
  if (st.kind === 'applicant')
    return row.ownerUserId !== null ? [{ role: 'owner_person', label: '申请人', people: [] }] : [{ role: 'owner', label: '申请单位', people: [] }];
  if (st.kind === 'timed') return [{ role: 'system', label: '系统（期满后自动进入下一阶段）', people: [] }];
  if (st.actor) {
    // a stage worked by a party (its named person, else its organisation) or the owner person
    const key = st.actor.startsWith('party:') ? st.actor.slice('party:'.length) : undefined;
    return [{ role: st.actor, label: key ? (def.parties?.[key]?.label ?? '当事方') : '申请人', people: [] }];
  }
  if (!st.role) return [];
  const role = st.role;
  const label = ROLE_LABELS[role].zh;
  if (st.kind === 'panel') {
    if (!seesPanel(viewer)) return [{ role, label, people: [] }];
    const seats: Array<{ display_name: string }> = await em.query(
      `SELECT u.display_name FROM tasks t JOIN users u ON u.id = t.assignee_id WHERE t.case_id = $1 AND t.state = $2 AND t.kind = 'panel' AND t.status = 'open' ORDER BY u.display_name`,
      [row.id, row.state],
    );
    return [{ role, label, people: seats.map((s) => s.display_name) }];
  }
  if (viewer.organisationId === row.ownerOrgId) return [{ role, label, people: [] }];
  // one round trip (this runs in every answer to an action, inside its transaction): the claimed task's holder,
  // else the role's users and who has acted on the case, for separation of duties
  const [{ claimed, users, events }]: Array<{
    claimed: string | null;
    users: Array<{ id: number; display_name: string; roles: Actor['roles']; jurisdiction: string | null; organisation_id: number }> | null;
    events: Array<ActedAt & { actor_id: number | null; on_behalf_of: number | null }> | null;
  }> = await em.query(
    `WITH claimed AS (
       SELECT u.display_name FROM tasks t JOIN users u ON u.id = t.assignee_id
        WHERE t.case_id = $1 AND t.state = $2 AND t.status = 'open' AND t.kind = 'review' LIMIT 1)
     SELECT (SELECT display_name FROM claimed) AS claimed,
            CASE WHEN NOT EXISTS (SELECT 1 FROM claimed) THEN
              (SELECT json_agg(json_build_object('id', id, 'display_name', display_name, 'roles', roles, 'jurisdiction', jurisdiction,
                                                 'organisation_id', organisation_id) ORDER BY display_name, id)
                 FROM users WHERE active AND $3 = ANY(roles) AND (organisation_id <> $4) = NOT $5) END AS users,
            CASE WHEN NOT EXISTS (SELECT 1 FROM claimed) THEN
              (SELECT json_agg(e) FROM (SELECT DISTINCT actor_id, on_behalf_of, from_state, actor_role
                                          FROM case_events WHERE case_id = $1 AND from_state IS NOT NULL) e) END AS events`,
    [row.id, row.state, role, row.ownerOrgId, st.scope === 'owner_organisation'],
  );
  if (claimed !== null) return [{ role, label, people: [claimed] }];
  const people = (users ?? [])
    .filter((u) => !worksStage({ roles: u.roles, jurisdiction: u.jurisdiction, organisationId: u.organisation_id }, st, row))
    .filter((u) => u.id !== row.ownerUserId)
    .filter(
      (u) =>
        st.clerical ||
        !sodConflict(
          def,
          row.state,
          (events ?? []).filter((e) => e.actor_id === u.id || e.on_behalf_of === u.id),
        ),
    )
    .map((u) => u.display_name);
  return [{ role, label, people }];
}
