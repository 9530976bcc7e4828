import { endOfPortalDay, isIsoDay, type ActionRequest, type Role, type SettingKey, type SettingValues } from '@portal/contracts';
import { DomainException, validationFailure } from '@portal/core';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Actor } from '@portal/identity';
import type { EntityManager } from 'typeorm';
import { worksStage, type CaseParty } from './case-access.js';
import type { CaseRow } from './case-row.js';
import type { StageDef, TransitionDef, WorkflowDefinition } from './definition.js';
import { RETURNED_FROM } from './workflow.registry.js';

const REVIEW_KINDS = new Set(['review', 'panel']);

/**
 * A 补正 deadline as the engine keeps it: a day (YYYY-MM-DD) is the end of that day in Shanghai, as the web app
 * sends it (a bare day parsed by `new Date` would be 08:00 Shanghai, overdue from the morning of the day it names);
 * an instant is kept as given.
 */
export function deadlineOf(value: string): Date {
  return isIsoDay(value) ? endOfPortalDay(value) : new Date(value);
}

/** The reason given when none of a transition's parties is the actor (no role of it at all). */
export const NOT_YOURS = '您无权执行此操作';

/** How an actor takes a transition: as the owner organisation, the owner person, a named party or a role. */
export type ActingAs = 'owner' | 'owner_person' | `party:${string}` | Role;

/** Whether the actor is the party `key` of the case: its named person, else a user of its organisation in the party's roles. */
export function isParty(def: WorkflowDefinition, key: string, parties: readonly CaseParty[], actor: Actor): boolean {
  const p = parties.find((x) => x.party === key);
  if (!p) return false;
  if (p.userId !== null) return p.userId === actor.id;
  return p.organisationId === actor.organisationId && actor.roles.some((r) => def.parties?.[key]?.roles.includes(r));
}

/** The stage's worker as events record it: its party or the owner person, else its role. */
export function stageWorker(st: StageDef): string | undefined {
  return st.actor ?? st.role;
}

/** A user of the case's owner organisation in one of the definition's owner roles (who acts as `owner`). */
export const actsForOwnerOrganisation = (def: WorkflowDefinition, row: CaseRow, actor: Actor): boolean =>
  actor.organisationId === row.ownerOrgId && actor.roles.some((r) => def.ownerRoles.includes(r));

/** The case's owner person (who acts as `owner_person`). */
export const isOwnerPerson = (row: CaseRow, actor: Actor): boolean => row.ownerUserId !== null && row.ownerUserId === actor.id;

/** Which party of the transition the actor is, or why they are none. */
export function partyOf(
  def: WorkflowDefinition,
  t: TransitionDef,
  st: StageDef,
  row: CaseRow,
  actor: Actor,
  parties: readonly CaseParty[] = [],
): { party: ActingAs } | { reason: string } {
  let reason = NOT_YOURS;
  for (const p of t.by) {
    if (p === 'system') continue;
    if (p === 'owner') {
      if (actsForOwnerOrganisation(def, row, actor)) return { party: 'owner' };
      reason = '只有申请单位可以执行此操作';
      continue;
    }
    if (p === 'owner_person') {
      if (isOwnerPerson(row, actor)) return { party: 'owner_person' };
      if (reason === NOT_YOURS) reason = '只有申请人本人可以执行此操作';
      continue;
    }
    if (p.startsWith('party:')) {
      const key = p.slice('party:'.length);
      // a party acts at its own stage only (or at a stage that is no one's judgement: an active one)
      if (isParty(def, key, parties, actor) && (st.actor === p || !REVIEW_KINDS.has(st.kind))) return { party: p as `party:${string}` };
      // the most telling reason wins: being the party at the wrong stage, else a role's own, else not the party
      if (isParty(def, key, parties, actor)) reason = '当前阶段不由您办理';
      else if (reason === NOT_YOURS) reason = `只有${def.parties?.[key]?.label ?? '当事方'}可以执行此操作`;
      continue;
    }
    const role = p as Role;
    if (!actor.roles.includes(role)) continue;
    // a review stage is worked by its own role only: a transition shared by several stages (return,
    // reject) names every stage's reviewers, but a county reviewer may not return a case at 市级复核
    if (st.kind === 'review' && st.role !== role) {
      reason = '您不是本阶段的审核人员';
      continue;
    }
    // a reviewer acting at a review or active stage must work that stage (role and scope)
    if ((REVIEW_KINDS.has(st.kind) || st.kind === 'active') && st.role === role) {
      const problem = worksStage(actor, st, row, parties);
      if (problem) {
        reason = problem;
        continue;
      }
    } else if (role === 'county_reviewer' && actor.jurisdiction !== row.countyCode) {
      reason = '只能办理本县（市、区）的申请';
      continue;
    }
    return { party: role };
  }
  return { reason };
}

/** The stages an actor has acted at on a case, in which role (read once, for one case or a page of them). */
export interface ActedAt {
  from_state: string;
  actor_role: string | null;
}

/** Whether acting at this stage under this role is working a judgement stage (not a clerical step). */
function judged(def: WorkflowDefinition, s: string, role: string | null): boolean {
  const st = def.states[s];
  return !!st && REVIEW_KINDS.has(st.kind) && stageWorker(st) === role && !st.clerical;
}

/**
 * Separation of duties from what the actor has done on the case: nobody works two different review stages
 * of one case (acting again at the same stage after a return is allowed). Working a stage means acting in
 * its role at a stage that is not clerical.
 */
export function sodConflict(def: WorkflowDefinition, state: string, acted: readonly ActedAt[]): string | undefined {
  const st = def.states[state];
  const other = acted
    .filter((a) => judged(def, a.from_state, a.actor_role))
    .map((a) => a.from_state)
    .find((s) => s !== state);
  return other ? `您已在“${def.states[other].label}”阶段办理过此申请，不能再办理“${st.label}”阶段` : undefined;
}

export async function actedAt(em: EntityManager, caseId: number, actorId: number): Promise<ActedAt[]> {
  return em.query(
    `SELECT DISTINCT from_state, actor_role FROM case_events WHERE case_id = $1 AND (actor_id = $2 OR on_behalf_of = $2) AND from_state IS NOT NULL`,
    [caseId, actorId],
  );
}

/**
 * The 'consecutive' rule: whoever worked the judgement stage the case passed through just before this one
 * (the last one it left for another stage) may not work this one.
 */
async function consecutiveConflict(em: EntityManager, def: WorkflowDefinition, row: CaseRow, actorId: number): Promise<string | undefined> {
  const events = await em.query<Array<{ from_state: string; actor_role: string | null; actor_id: number | null; on_behalf_of: number | null }>>(
    `SELECT from_state, actor_role, actor_id, on_behalf_of FROM case_events WHERE case_id = $1 AND from_state IS NOT NULL AND from_state <> to_state ORDER BY seq DESC`,
    [row.id],
  );
  const prev = events.find((e) => e.from_state !== row.state && judged(def, e.from_state, e.actor_role));
  if (!prev || (prev.actor_id !== actorId && prev.on_behalf_of !== actorId)) return undefined;
  return `您已在“${def.states[prev.from_state].label}”阶段办理过此事项，不能接着办理“${def.states[row.state].label}”阶段`;
}

/**
 * The part of separation of duties that needs no history: a person who is a party of the case (its owner person, a
 * party's named person) never judges it, and nobody judges their own organisation's case unless the stage is that
 * organisation's own.
 */
export function ownCaseProblem(
  st: StageDef,
  row: Pick<CaseRow, 'ownerUserId' | 'ownerOrgId'>,
  actor: Actor,
  party: ActingAs,
  parties: readonly CaseParty[] = [],
): string | undefined {
  if (party === 'owner' || party === 'owner_person' || party.startsWith('party:')) return undefined;
  if (row.ownerUserId === actor.id || parties.some((p) => p.userId === actor.id)) return '您是此事项的当事人，不能办理（回避）';
  if (actor.organisationId === row.ownerOrgId && st.scope !== 'owner_organisation') return '不能审核本单位的申请（回避）';
  return undefined;
}

/**
 * Separation of duties, by the definition's rule: nobody judges a case in which they are a party as a person
 * (its owner person or a party's named person); nobody judges their own organisation's case, unless the
 * stage's scope is that organisation (a school approving its own teacher); and nobody works two different
 * judgement stages of one case ('distinct', acting again at the same stage after a return is allowed) or
 * two consecutive ones ('consecutive'). Working a stage means acting in its role: the city reviewer who
 * supervises a panel (appointing members) does not sit on it, so that neither bars them nor counts later.
 */
export async function separationProblem(
  em: EntityManager,
  def: WorkflowDefinition,
  row: CaseRow,
  actor: Actor,
  party: ActingAs,
  parties: readonly CaseParty[] = [],
): Promise<string | undefined> {
  if (party === 'owner' || party === 'owner_person') return undefined;
  const st = def.states[row.state];
  const own = ownCaseProblem(st, row, actor, party, parties);
  if (own) return own;
  if (!REVIEW_KINDS.has(st.kind) || stageWorker(st) !== party || st.clerical) return undefined;
  if (def.separation?.judgement === 'consecutive') return consecutiveConflict(em, def, row, actor.id);
  return sodConflict(def, row.state, await actedAt(em, row.id, actor.id));
}

/**
 * Why an actor may not work a review stage of a case (claim its task, act there), from facts already
 * loaded: the stage's role and scope, not the applicant's organisation (unless the stage is the owner
 * organisation's), separation of duties. A stage worked by a party is checked when the party acts.
 */
export function reviewStageProblem(
  def: WorkflowDefinition,
  state: string,
  row: Pick<CaseRow, 'ownerOrgId' | 'countyCode'>,
  actor: Actor,
  acted: readonly ActedAt[],
): string | undefined {
  const st = def.states[state];
  if (!st || st.kind !== 'review' || st.actor) return undefined;
  const problem = worksStage(actor, st, row);
  if (problem) return problem;
  if (actor.organisationId === row.ownerOrgId && st.scope !== 'owner_organisation') return '不能审核本单位的申请（回避）';
  return st.clerical || def.separation?.judgement === 'consecutive' ? undefined : sodConflict(def, state, acted);
}

/** Earlier review stages this case has passed through: where a return may send it besides the applicant. */
export async function earlierReviewStages(em: EntityManager, def: WorkflowDefinition, row: CaseRow): Promise<string[]> {
  const rows: Array<{ to_state: string }> = await em.query(`SELECT to_state FROM case_events WHERE case_id = $1 ORDER BY seq`, [row.id]);
  const seen: string[] = [];
  for (const r of rows) {
    if (r.to_state === row.state) break;
    if (def.states[r.to_state]?.kind === 'review' && !seen.includes(r.to_state)) seen.push(r.to_state);
  }
  return seen;
}

/**
 * The action's data, validated against the transition's DTO class like any request body (unknown fields
 * refused, every bad field named in Chinese as data.<field>); undefined when the transition declares none
 * and the request carries none.
 */
export async function checkActionData(t: TransitionDef, data: unknown): Promise<Record<string, unknown> | undefined> {
  if (!t.data) {
    if (data !== undefined) throw bad('data', '此操作不接受附加数据');
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad('data', `请填写“${t.label}”所需的数据`);
  const instance = plainToInstance(t.data, data);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: true, value: false },
  });
  if (errors.length) throw validationFailure(errors, 'data');
  return instanceToPlain(instance);
}

const bad = (field: string, message: string) => DomainException.validation(message, [{ field, messages: [message] }]);

/** The minimum of a panel need, its setting resolved. */
export function panelNeedMin(need: { min?: number; minSetting?: SettingKey }, settings: SettingValues): number {
  return need.minSetting ? settings[need.minSetting] : (need.min ?? 1);
}

/**
 * Check the request carries what the transition needs (comment, return items, scores, panel); answers the
 * target state. `settings`: the policy numbers (panel minimums) as this transaction reads them.
 */
export async function checkNeeds(
  em: EntityManager,
  def: WorkflowDefinition,
  t: TransitionDef,
  row: CaseRow,
  req: ActionRequest,
  settings: SettingValues,
): Promise<string> {
  const needs = t.needs ?? {};
  if (req.comment !== undefined && (typeof req.comment !== 'string' || req.comment.length > 2000)) throw bad('comment', '意见应为不超过 2000 字的文本');
  if (needs.comment === 'required' && !req.comment?.trim() && !(needs.returnItems && req.items?.length)) throw bad('comment', '请填写意见或理由');
  let target = t.to === RETURNED_FROM ? (row.returnedFrom ?? def.initial) : t.to;
  if (needs.returnItems) {
    const items = req.items ?? [];
    if (
      !Array.isArray(items) ||
      items.length === 0 ||
      items.length > 50 ||
      !items.every((i) => typeof i === 'string' && i.trim().length > 0 && i.length <= 500)
    ) {
      throw bad('items', '请逐条列出需要补正的内容（1–50 条，每条不超过 500 字）');
    }
    if (req.deadline !== undefined) {
      const d = deadlineOf(req.deadline);
      if (Number.isNaN(d.getTime()) || d.getTime() <= Date.now()) throw bad('deadline', '补正期限应为将来的日期');
    }
    if (req.target !== undefined && req.target !== t.to) {
      const earlier = await earlierReviewStages(em, def, row);
      if (!earlier.includes(req.target)) throw bad('target', '只能退回给申请人或此前已经过的审核阶段');
      target = req.target;
    }
  } else if (req.items !== undefined || req.deadline !== undefined || req.target !== undefined) {
    throw bad('items', '此操作不接受补正清单');
  }
  if (needs.score) {
    const scores = req.scores ?? {};
    for (const c of needs.score.criteria) {
      const v = scores[c.key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > c.max) throw bad(`scores.${c.key}`, `“${c.label}”的分数应为 0–${c.max} 的整数`);
    }
    const unknown = Object.keys(scores).filter((k) => !needs.score!.criteria.some((c) => c.key === k));
    if (unknown.length) throw bad('scores', `未知的评分项：${unknown.join('、')}`);
  } else if (req.scores !== undefined) {
    throw bad('scores', '此操作不接受评分');
  }
  if (needs.panel) {
    const panel = req.panel ?? [];
    if (!Array.isArray(panel) || new Set(panel).size !== panel.length || !panel.every((id) => Number.isInteger(id) && id > 0))
      throw bad('panel', '请选择评审专家（不可重复）');
    // the definition's own minimum for this request (appointing: at least one member; composing: the setting)
    const min = panelNeedMin(needs.panel, settings);
    if (panel.length < min) throw bad('panel', `请至少选择 ${min} 名评审专家`);
    // the panel stage's own minimum of sitting members (its setting)
    const panelStage = def.states[target]?.panel;
    const minPanel = panelStage?.minMembersSetting ? settings[panelStage.minMembersSetting] : 1;
    // appointing to a running panel: its current sitting (seats since the case entered the stage) counts
    const seated: Array<{ assignee_id: number; status: string }> =
      t.from === t.to || (typeof t.from !== 'string' && t.from.includes(t.to))
        ? await em.query(
            `SELECT assignee_id, status FROM tasks WHERE case_id = $1 AND state = $2 AND kind = 'panel' AND created_at >= (SELECT stage_entered_at FROM cases WHERE id = $1)`,
            [row.id, row.state],
          )
        : [];
    const again = panel.find((id) => seated.some((s) => s.assignee_id === id));
    if (again !== undefined) throw bad('panel', `用户 ${again} 已在本次评审的专家组中（含已评分或已回避）`);
    if (panel.length + seated.filter((s) => s.status !== 'cancelled').length < minPanel) throw bad('panel', `评审专家至少 ${minPanel} 人`);
    const users: Array<{ id: number; organisation_id: number; roles: string[]; active: boolean }> = await em.query(
      `SELECT id, organisation_id, roles, active FROM users WHERE id = ANY($1)`,
      [panel],
    );
    for (const id of panel) {
      const u = users.find((x) => x.id === id);
      if (!u || !u.active || !u.roles.includes(needs.panel.role)) throw bad('panel', `用户 ${id} 不是在册的评审专家`);
      if (u.organisation_id === row.ownerOrgId) throw bad('panel', `用户 ${id} 与申请单位同属一个单位，应当回避`);
    }
  } else if (req.panel !== undefined) {
    throw bad('panel', '此操作不接受专家名单');
  }
  return target;
}
