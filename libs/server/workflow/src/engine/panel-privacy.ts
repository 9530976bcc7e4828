import type { CaseEventDto } from '@portal/contracts';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import type { WorkflowDefinition } from './definition.js';

/**
 * A panel (会签) is confidential (issue 9): who sits on it, each member's score, comment and recusal
 * reason are for city reviewers and admins, and each expert sees their own. Everyone else who reads the
 * case (the applicant, a county reviewer, another expert) sees that a panel was formed and, once it is
 * done, its outcome with the average score: never names or single scores.
 */
export function seesPanel(viewer: Actor): boolean {
  return isAdmin(viewer) || hasRole(viewer, 'city_reviewer');
}

const PANEL_ACTS = new Set(['score', 'recuse']);

/** The kind of the transition an event records (from its action and the state it left), if it is one of the definition's. */
function eventKind(def: WorkflowDefinition, e: Pick<CaseEventDto, 'action' | 'fromState'>): string | undefined {
  return def.transitions.find((t) => t.action === e.action && (typeof t.from === 'string' ? t.from === e.fromState : t.from.includes(e.fromState ?? '')))?.kind;
}

/**
 * A case's events as this viewer may read them: a panel member's score or recusal only for the member
 * themself, and the panel's membership (the appointed user ids, a seat's reassignment) not at all.
 */
export function panelSafeEvents(def: WorkflowDefinition, events: CaseEventDto[], viewer: Actor): CaseEventDto[] {
  if (seesPanel(viewer)) return events;
  const out: CaseEventDto[] = [];
  for (const e of events) {
    if (PANEL_ACTS.has(eventKind(def, e) ?? '') && e.actorId !== viewer.id && e.onBehalfOf !== viewer.id) continue;
    const payload = e.payload && typeof e.payload === 'object' && !Array.isArray(e.payload) ? (e.payload as Record<string, unknown>) : null;
    // a panel seat handed from one expert to another (task_reassign) names both: the city's and admins' only
    if (e.action.startsWith('task_') && payload?.kind === 'panel') continue;
    if (payload && 'panel' in payload) {
      const { panel: _members, ...rest } = payload;
      out.push({ ...e, payload: Object.keys(rest).length ? rest : null });
    } else {
      out.push(e);
    }
  }
  return out;
}
