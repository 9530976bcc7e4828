import { Injectable } from '@nestjs/common';
import {
  addDays,
  type ActionNeeds,
  type ActionRequest,
  type AllowedAction,
  type BlockedAction,
  type CaseListSummaryDto,
  type CasePartyDto,
  type CaseSummaryDto,
  isValidCreditCode,
  portalToday,
  type Role,
  type StageActorDto,
  type UserChoiceDto,
} from '@portal/contracts';
import { DomainException, JobsService, OutboxService, SettingsService } from '@portal/core';
import { AuthService, type Actor } from '@portal/identity';
import { DataSource, type EntityManager } from 'typeorm';
import { freezeAttachments } from '../attachments/attachment.dto.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { appendEvent, type StoredEvent } from '../events/event-chain.js';
import {
  checkActionData,
  checkNeeds,
  deadlineOf,
  earlierReviewStages,
  NOT_YOURS,
  ownCaseProblem,
  panelNeedMin,
  partyOf,
  separationProblem,
  type ActingAs,
} from './act-checks.js';
import { canReadCase, caseParties, type CaseParty } from './case-access.js';
import { checkIdempotencyKey } from './idempotency.js';
import { caseRef, caseRowFrom, type CaseRow } from './case-row.js';
import type { TransitionDef, WorkflowDefinition } from './definition.js';
import { stageActors } from './stage-actors.js';
import { addPanelSeats, enterStage, leaveStage, type StageDeps } from './stage-entry.js';
import { stage, transitionsFrom, WorkflowRegistry } from './workflow.registry.js';

export interface ActOptions {
  idempotencyKey?: string;
  /** handed to the transition's effects (e.g. the document batch a batch decision belongs to) */
  effectParams?: Record<string, unknown>;
  /** more work to commit with the transition, in its transaction (e.g. marking a batch item as acted) */
  within?: (em: EntityManager) => Promise<void>;
}

/** The actor of a request and, when acting for an absent colleague, the principal whose authority is used. */
interface Acting {
  actor: Actor;
  principal: Actor;
  /** as whom the principal takes the transition, once checked */
  as?: ActingAs;
}

/** A party of a case when it is opened: an organisation (or one invited by credit code and e-mail) and optionally a person. */
export interface OpenParty {
  party: string;
  organisationId?: number | null;
  userId?: number | null;
  invitedCreditCode?: string | null;
  invitedEmail?: string | null;
}

/**
 * The one way a case changes state (DESIGN.md): `act()` checks the transition, the actor's role,
 * jurisdiction and separation of duties, then in one transaction updates state and version, closes and
 * opens tasks, appends a hash-chained event and writes outbox rows for every side effect.
 */
@Injectable()
export class WorkflowService {
  private readonly deps: StageDeps;

  constructor(
    private readonly ds: DataSource,
    private readonly registry: WorkflowRegistry,
    private readonly outbox: OutboxService,
    private readonly jobs: JobsService,
    private readonly settings: SettingsService,
    calendar: CalendarService,
    private readonly auth: AuthService,
  ) {
    this.deps = { outbox, settings, calendar };
  }

  definition(key: string): WorkflowDefinition {
    const def = this.registry.get(key);
    if (!def) throw DomainException.notFound('流程');
    return def;
  }

  /** Open a case in its initial state, inside the feature's transaction that creates its record. */
  async open(
    em: EntityManager,
    p: { workflowKey: string; ownerOrgId: number; countyCode: string | null; title: string; actor: Actor; ownerUserId?: number | null; parties?: OpenParty[] },
  ): Promise<CaseRow> {
    const def = this.definition(p.workflowKey);
    const [r]: Array<Record<string, unknown>> = await em.query(
      `INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, owner_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [def.key, def.initial, p.ownerOrgId, p.countyCode, p.title, p.actor.id, p.ownerUserId ?? null],
    );
    const row = caseRowFrom(r);
    for (const party of p.parties ?? []) await this.setParty(em, row.id, party);
    await appendEvent(em, {
      caseId: row.id,
      actorId: p.actor.id,
      actorRole: p.actor.roles[0] ?? null,
      onBehalfOf: null,
      action: 'create',
      fromState: null,
      toState: def.initial,
      comment: null,
      payload: null,
    });
    return row;
  }

  /**
   * Append an event to a case's hash chain without a transition: something happened to what the case
   * decided (a subsidy paid, cancelled or recovered; a certification revoked) — who, when, what and why.
   * Inside the caller's transaction; locks the case row so the chain cannot race. The state stays.
   */
  async recordEvent(
    em: EntityManager,
    caseId: number,
    actor: Actor | null,
    e: { action: string; comment?: string | null; payload?: Record<string, unknown> | null; role?: string },
  ): Promise<StoredEvent> {
    const [c]: Array<{ state: string; workflow_key: string }> = await em.query(`SELECT state, workflow_key FROM cases WHERE id = $1 FOR UPDATE`, [caseId]);
    if (!c) throw new Error(`no case ${caseId}`);
    // the chain's version invariant tells transitions from these events by their action (see verifyChain)
    if (e.action === 'create' || this.definition(c.workflow_key).transitions.some((t) => t.action === e.action)) {
      throw new Error(`recordEvent: "${e.action}" is the name of a transition of ${c.workflow_key}`);
    }
    return appendEvent(em, {
      caseId,
      actorId: actor?.id ?? null,
      actorRole: actor ? (e.role ?? actor.roles[0] ?? null) : 'system',
      onBehalfOf: null,
      action: e.action,
      fromState: c.state,
      toState: c.state,
      comment: e.comment?.trim() || null,
      payload: e.payload ?? null,
    });
  }

  /**
   * Name (or rename) a party of a case, inside the feature's transaction: an organisation, or one invited by credit
   * code and e-mail, which becomes the party once it accepts the mailed invitation (InvitationsService); optionally a person.
   */
  async setParty(em: EntityManager, caseId: number, p: OpenParty): Promise<void> {
    const [{ workflow_key }] = await em.query<Array<{ workflow_key: string }>>(`SELECT workflow_key FROM cases WHERE id = $1`, [caseId]);
    if (!this.definition(workflow_key).parties?.[p.party])
      throw DomainException.validation('此流程没有这一当事方', [{ field: 'party', messages: ['不是本流程的当事方'] }]);
    if (!p.organisationId && !p.invitedCreditCode)
      throw DomainException.validation('请指定当事单位或其统一社会信用代码', [{ field: 'organisationId', messages: ['请指定当事单位'] }]);
    if (p.invitedCreditCode && !isValidCreditCode(p.invitedCreditCode))
      throw DomainException.validation('被邀请单位的统一社会信用代码不正确', [{ field: 'invitedCreditCode', messages: ['统一社会信用代码不正确'] }]);
    if (p.invitedEmail && (p.invitedEmail.length > 200 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.invitedEmail)))
      throw DomainException.validation('被邀请单位的电子邮箱不正确', [{ field: 'invitedEmail', messages: ['电子邮箱格式不正确'] }]);
    const [before] = await em.query<Array<{ organisation_id: number | null; invited_credit_code: string | null; invited_email: string | null }>>(
      `SELECT organisation_id, invited_credit_code, invited_email FROM case_parties WHERE case_id = $1 AND party = $2 FOR UPDATE`,
      [caseId, p.party],
    );
    const invitation = !p.organisationId && p.invitedCreditCode && p.invitedEmail;
    const renewed =
      invitation && (before?.organisation_id != null || before?.invited_email !== p.invitedEmail || before?.invited_credit_code !== p.invitedCreditCode);
    // a named organisation, or an invitation to another address or credit code, ends the link mailed before (an accepted
    // invitation's record stays while the same organisation remains the party)
    await em.query(
      `INSERT INTO case_parties (case_id, party, organisation_id, user_id, invited_credit_code, invited_email) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (case_id, party) DO UPDATE SET organisation_id = EXCLUDED.organisation_id, user_id = EXCLUDED.user_id,
         invited_credit_code = EXCLUDED.invited_credit_code, invited_email = EXCLUDED.invited_email,
         invite_token_hash = CASE WHEN $7 THEN case_parties.invite_token_hash END,
         invite_expires_at = CASE WHEN $7 THEN case_parties.invite_expires_at END,
         accepted_at = CASE WHEN case_parties.organisation_id = EXCLUDED.organisation_id THEN case_parties.accepted_at END,
         accepted_by = CASE WHEN case_parties.organisation_id = EXCLUDED.organisation_id THEN case_parties.accepted_by END`,
      [caseId, p.party, p.organisationId ?? null, p.userId ?? null, p.invitedCreditCode ?? null, p.invitedEmail ?? null, !!invitation && !renewed],
    );
    // a new invitation is mailed once, with its one-time token, after the feature's transaction commits (InvitationsService.mail)
    if (renewed) await this.outbox.enqueue(em, 'workflow.invite', { caseId, party: p.party });
  }

  /**
   * The party's invitation still waiting to be accepted, if any: a feature that resolves a typed credit code to a
   * registered organisation keeps this invitation instead when it is for that code (registering a credit code is
   * not accepting the invitation made to it).
   */
  async pendingInvitation(em: EntityManager, caseId: number, party: string): Promise<{ creditCode: string; email: string | null } | undefined> {
    const [r] = await em.query<Array<{ invited_credit_code: string; invited_email: string | null }>>(
      `SELECT invited_credit_code, invited_email FROM case_parties WHERE case_id = $1 AND party = $2 AND organisation_id IS NULL`,
      [caseId, party],
    );
    return r ? { creditCode: r.invited_credit_code, email: r.invited_email } : undefined;
  }

  /**
   * The parties of a page of cases as shown on them (names; a pending invitation by its credit code and until when it
   * can be accepted), in one statement whatever the page's size.
   */
  private async partiesShown(em: EntityManager, rows: readonly CaseRow[]): Promise<Map<number, CasePartyDto[]>> {
    const out = new Map<number, CasePartyDto[]>();
    const withParties = rows.filter((r) => this.definition(r.workflowKey).parties);
    if (!withParties.length) return out;
    const found = await em.query<
      Array<{
        case_id: string;
        party: string;
        organisation_id: number | null;
        organisation_name: string | null;
        user_id: number | null;
        user_name: string | null;
        invited_credit_code: string | null;
        invite_expires_at: Date | null;
        accepted_at: Date | null;
      }>
    >(
      `SELECT cp.case_id, cp.party, o.id AS organisation_id, o.name AS organisation_name, cp.user_id, u.display_name AS user_name,
              cp.invited_credit_code, cp.invite_expires_at, cp.accepted_at
         FROM case_parties cp
         LEFT JOIN organisations o ON o.id = cp.organisation_id
         LEFT JOIN users u ON u.id = cp.user_id
        WHERE cp.case_id = ANY($1) ORDER BY cp.case_id, cp.id`,
      [withParties.map((r) => r.id)],
    );
    const byId = new Map(withParties.map((r) => [r.id, r]));
    for (const r of found) {
      const row = byId.get(Number(r.case_id))!;
      const list = out.get(row.id) ?? [];
      list.push({
        party: r.party,
        label: this.definition(row.workflowKey).parties?.[r.party]?.label ?? r.party,
        organisationId: r.organisation_id,
        organisationName: r.organisation_name,
        userId: r.user_id,
        userName: r.user_name,
        invited: r.organisation_id === null,
        invitedCreditCode: r.organisation_id === null ? r.invited_credit_code : null,
        invitationExpiresAt: r.organisation_id === null ? (r.invite_expires_at?.toISOString() ?? null) : null,
        acceptedAt: r.accepted_at?.toISOString() ?? null,
      });
      out.set(row.id, list);
    }
    return out;
  }

  /** Keep the case's title in step with the feature's record (not a state change). */
  async retitle(em: EntityManager, caseId: number, title: string): Promise<void> {
    await em.query(`UPDATE cases SET title = $2, updated_at = now() WHERE id = $1`, [caseId, title]);
  }

  async loadRow(em: EntityManager, workflowKey: string, caseId: number, lock = false): Promise<CaseRow | undefined> {
    const rows: Array<Record<string, unknown>> = await em.query(`SELECT * FROM cases WHERE id = $1 AND workflow_key = $2${lock ? ' FOR UPDATE' : ''}`, [
      caseId,
      workflowKey,
    ]);
    return rows[0] ? caseRowFrom(rows[0]) : undefined;
  }

  /** A case the actor may read, or a 404 that does not say whether it exists. */
  async readable(actor: Actor, workflowKey: string, caseId: number, em: EntityManager = this.ds.manager): Promise<CaseRow> {
    const row = await this.loadRow(em, workflowKey, caseId);
    if (!row || !(await canReadCase(actor, row, em))) throw DomainException.notFound('申请');
    return row;
  }

  /**
   * The light summaries of a page of cases (list rows): state, label, version, due date, open return and
   * open objections, in a fixed number of statements whatever the page's size. What the viewer may do is
   * the detail's (`summary`).
   */
  async listSummaries(rows: readonly CaseRow[], em: EntityManager = this.ds.manager): Promise<Map<number, CaseListSummaryDto>> {
    const out = new Map<number, CaseListSummaryDto>();
    if (!rows.length) return out;
    const ids = rows.map((r) => r.id);
    const returns: Array<{ case_id: string; items: string[]; deadline: Date | null; from_state: string }> = await em.query(
      `SELECT DISTINCT ON (case_id) case_id, items, deadline, from_state FROM case_returns WHERE case_id = ANY($1) AND resolved_at IS NULL ORDER BY case_id, returned_at DESC`,
      [ids],
    );
    const openReturn = new Map(
      returns.map((r) => [Number(r.case_id), { items: r.items, deadline: r.deadline?.toISOString() ?? null, fromState: r.from_state }]),
    );
    // objections hold only a stage that takes them (公示)
    const onNotice = rows.filter((r) => stage(this.definition(r.workflowKey), r.state).timed?.objections).map((r) => r.id);
    const objections: Array<{ case_id: string; n: number }> = onNotice.length
      ? await em.query(`SELECT case_id, count(*)::int AS n FROM objections WHERE case_id = ANY($1) AND status = 'open' GROUP BY case_id`, [onNotice])
      : [];
    const openObjections = new Map(objections.map((o) => [Number(o.case_id), o.n]));
    const parties = await this.partiesShown(em, rows);
    for (const row of rows) {
      out.set(row.id, {
        ref: caseRef(row),
        caseId: row.id,
        workflowKey: row.workflowKey,
        state: row.state,
        stateLabel: stage(this.definition(row.workflowKey), row.state).label,
        version: row.version,
        ownerOrgId: row.ownerOrgId,
        countyCode: row.countyCode,
        title: row.title,
        ownerUserId: row.ownerUserId,
        parties: parties.get(row.id) ?? [],
        submissions: row.submissions,
        stageEnteredAt: row.stageEnteredAt.toISOString(),
        stageDueAt: row.stageDueAt?.toISOString() ?? null,
        openObjections: openObjections.get(row.id) ?? 0,
        openReturn: openReturn.get(row.id) ?? null,
      });
    }
    return out;
  }

  /** The case as its detail view shows it to this actor: the light summary, the actions they may take, who else can act. */
  async summary(actor: Actor, row: CaseRow, em: EntityManager = this.ds.manager): Promise<CaseSummaryDto> {
    const def = this.definition(row.workflowKey);
    const { allowed: allowedActions, blocked: blockedActions } = await this.actionsOf(actor, row, em);
    const whoCanAct = await stageActors(em, def, row, actor);
    const light = (await this.listSummaries([row], em)).get(row.id)!;
    return {
      ...light,
      allowedActions,
      noActionReasons: allowedActions.length ? [] : await this.noActionReasons(em, def, row, actor, whoCanAct),
      blockedActions,
      whoCanAct,
    };
  }

  /** Why this actor has nothing to do on the case now, in words (the checks' own reasons, without repeats). */
  private async noActionReasons(em: EntityManager, def: WorkflowDefinition, row: CaseRow, actor: Actor, whoCanAct: StageActorDto[]): Promise<string[]> {
    const st = stage(def, row.state);
    if (st.kind === 'final') return [`此事项已办结（${st.label}）`];
    const holders = whoCanAct.map((w) => w.label).join('、');
    const reasons: string[] = [];
    for (const t of transitionsFrom(def, row.state)) {
      if (!t.by.some((p) => p !== 'system')) continue;
      const problem = await this.transitionProblem(em, def, t, row, { actor, principal: actor }, { action: t.action });
      // "not yours" says more as "who does this stage"
      const reason = problem?.reason === NOT_YOURS && holders ? `“${st.label}”阶段由${holders}办理，您无需操作` : problem?.reason;
      if (reason && !reasons.includes(reason)) reasons.push(reason);
    }
    if (!reasons.length)
      reasons.push(
        st.kind === 'timed' ? `“${st.label}”期间无需办理，期满后由系统自动进入下一阶段` : `“${st.label}”阶段由${holders || '其他人员'}办理，您无需操作`,
      );
    return reasons;
  }

  /** The actions this actor may take on the case now, with what each needs; the web app draws buttons from it. */
  async allowedActions(actor: Actor, row: CaseRow, em: EntityManager = this.ds.manager): Promise<AllowedAction[]> {
    return (await this.actionsOf(actor, row, em)).allowed;
  }

  /**
   * The actions this actor may take now (with what each needs), and those that are theirs but held back by a
   * condition (a guard's reason: the role, party and separation checks passed).
   */
  private async actionsOf(actor: Actor, row: CaseRow, em: EntityManager): Promise<{ allowed: AllowedAction[]; blocked: BlockedAction[] }> {
    const def = this.definition(row.workflowKey);
    const out: AllowedAction[] = [];
    const blocked: BlockedAction[] = [];
    for (const t of transitionsFrom(def, row.state)) {
      if (!t.by.some((p) => p !== 'system')) continue;
      const problem = await this.transitionProblem(em, def, t, row, { actor, principal: actor }, { action: t.action });
      if (problem?.status === 'conflict') blocked.push({ action: t.action, label: t.label, reason: problem.reason });
      if (problem) continue;
      const { panel, ...rest } = t.needs ?? {};
      const needs: ActionNeeds = { ...rest };
      if (panel) needs.panel = { role: panel.role, min: panelNeedMin(panel, await this.settings.all(em)) };
      if (needs.returnItems) {
        const earlier = await earlierReviewStages(em, def, row);
        needs.returnTargets = [{ state: t.to, label: stage(def, t.to).label }, ...earlier.map((s) => ({ state: s, label: stage(def, s).label }))];
        needs.returnDeadline = addDays(portalToday(), await this.settings.get('workflow.correctionDays', em));
      }
      out.push({ action: t.action, label: t.label, kind: t.kind, needs });
    }
    return { allowed: out, blocked };
  }

  /**
   * The actions this actor may take on each case of a list page, by role, party, scope and stage (the engine's own
   * partyOf) and the separation of duties that needs no history (ownCaseProblem), in one statement for the page's
   * parties whatever its length. The detail's `allowedActions` and act() add what needs the case's history (separation
   * between stages, a claimed task, guards): a row may show a button the detail withholds, never the other way round.
   */
  async pageActions(actor: Actor, rows: readonly CaseRow[], em: EntityManager = this.ds.manager): Promise<Map<number, AllowedAction[]>> {
    const out = new Map<number, AllowedAction[]>();
    if (!rows.length) return out;
    const found = await em.query<Array<{ case_id: string; party: string; organisation_id: number | null; user_id: number | null }>>(
      `SELECT case_id, party, organisation_id, user_id FROM case_parties WHERE case_id = ANY($1) ORDER BY id`,
      [rows.map((r) => r.id)],
    );
    for (const row of rows) {
      const def = this.definition(row.workflowKey);
      const st = stage(def, row.state);
      const parties = found.filter((p) => Number(p.case_id) === row.id).map((p) => ({ party: p.party, organisationId: p.organisation_id, userId: p.user_id }));
      const actions: AllowedAction[] = [];
      for (const t of transitionsFrom(def, row.state)) {
        if (!t.by.some((p) => p !== 'system') || t.needs?.panel || t.needs?.returnItems) continue;
        const as = partyOf(def, t, st, row, actor, parties);
        if ('reason' in as || ownCaseProblem(st, row, actor, as.party, parties)) continue;
        actions.push({ action: t.action, label: t.label, kind: t.kind, needs: { ...(t.needs?.comment ? { comment: t.needs.comment } : {}) } });
      }
      out.set(row.id, actions);
    }
    return out;
  }

  /**
   * Why this actor may not take this transition now, or undefined: 'forbidden' when it is not theirs to
   * take (role, jurisdiction, separation of duties, someone else's task), 'conflict' when a guard says
   * the case is not ready. Guards are asked last.
   */
  private async transitionProblem(
    em: EntityManager,
    def: WorkflowDefinition,
    t: TransitionDef,
    row: CaseRow,
    who: Acting,
    req: ActionRequest,
  ): Promise<{ status: 'forbidden' | 'conflict'; reason: string } | undefined> {
    const forbidden = (reason: string) => ({ status: 'forbidden' as const, reason });
    const st = stage(def, row.state);
    const parties: CaseParty[] = def.parties ? await caseParties(em, row.id) : [];
    const party = partyOf(def, t, st, row, who.principal, parties);
    if ('reason' in party) return forbidden(party.reason);
    const sod =
      (await separationProblem(em, def, row, who.principal, party.party, parties)) ??
      (who.actor !== who.principal ? await separationProblem(em, def, row, who.actor, party.party, parties) : undefined);
    if (sod) return forbidden(sod);
    who.as = party.party;
    if (party.party !== 'owner' && party.party !== 'owner_person' && (st.kind === 'review' || st.kind === 'panel')) {
      const tasks: Array<{ assignee_id: number | null; kind: string }> = await em.query(
        `SELECT assignee_id, kind FROM tasks WHERE case_id = $1 AND state = $2 AND status = 'open'`,
        [row.id, row.state],
      );
      if (st.kind === 'review' && st.role === party.party) {
        const claimed = tasks.find((x) => x.assignee_id !== null && x.assignee_id !== who.principal.id);
        if (claimed && !tasks.some((x) => x.assignee_id === null || x.assignee_id === who.principal.id)) return forbidden('此任务已由其他审核人员认领');
      }
      if (st.kind === 'panel' && (t.kind === 'score' || t.kind === 'recuse') && !tasks.some((x) => x.kind === 'panel' && x.assignee_id === who.principal.id)) {
        return forbidden('您不是本次评审的专家，或已完成评分');
      }
    }
    for (const g of t.guards ?? []) {
      const reason = await g({ row, actor: who.principal, em, request: req });
      if (reason) return { status: 'conflict', reason };
    }
    return undefined;
  }

  /**
   * Users who may be appointed to this case's panel (for whoever may appoint one now): active holders of
   * the panel role outside the applicant's organisation, minus those already seated.
   */
  async panelCandidates(actor: Actor, row: CaseRow): Promise<UserChoiceDto[]> {
    const allowed = await this.allowedActions(actor, row);
    const needs = allowed.map((a) => a.needs.panel).find((p) => p !== undefined);
    if (!needs) throw DomainException.forbidden('您当前不能为此申请组建专家组');
    const rows: Array<{ id: number; display_name: string; org: string }> = await this.ds.query(
      `SELECT u.id, u.display_name, o.name AS org FROM users u JOIN organisations o ON o.id = u.organisation_id
        WHERE u.active AND $1 = ANY(u.roles) AND u.organisation_id <> $2
          AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = $3 AND t.kind = 'panel' AND t.assignee_id = u.id AND t.state = $4 AND t.created_at >= $5)
        ORDER BY u.display_name`,
      // the same rule as appointing: nobody who already sat (or recused) in this sitting of the panel
      [needs.role, row.ownerOrgId, row.id, row.state, row.stageEnteredAt],
    );
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, organisationName: r.org }));
  }

  /**
   * Resolve "acting for": an active delegation from the principal to the actor, right now. `principal` is
   * the user loaded before the transaction began (no second pooled connection while the case is locked).
   */
  private async acting(em: EntityManager, actor: Actor, onBehalfOf: number | undefined, principal: Actor | undefined): Promise<Acting> {
    if (onBehalfOf === undefined || onBehalfOf === actor.id) return { actor, principal: actor };
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM delegations WHERE principal_id = $1 AND delegate_id = $2 AND starts_at <= now() AND ends_at > now() LIMIT 1`,
      [onBehalfOf, actor.id],
    );
    if (!rows.length || !principal) throw DomainException.forbidden('您没有代理该用户办理的有效授权');
    return { actor, principal };
  }

  /** Take an action on a case as a user. See the class comment; answers the case as the actor now sees it. */
  async act(workflowKey: string, caseId: number, req: ActionRequest, actor: Actor, opts: ActOptions = {}): Promise<CaseSummaryDto> {
    const def = this.definition(workflowKey);
    const key = opts.idempotencyKey;
    checkIdempotencyKey(key);
    const principal = req.onBehalfOf !== undefined && req.onBehalfOf !== actor.id ? await this.auth.actorById(req.onBehalfOf) : undefined;
    const result = await this.ds.transaction(async (em) => {
      if (key) {
        // the unique key makes a concurrent duplicate wait for the first, then read its answer
        const inserted = await em.query<unknown[]>(
          `INSERT INTO idempotency_keys (actor_id, key, case_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
          [actor.id, key, caseId],
        );
        if (!inserted.length) {
          const [prev]: Array<{ case_id: string; response: CaseSummaryDto | null }> = await em.query(
            `SELECT case_id, response FROM idempotency_keys WHERE actor_id = $1 AND key = $2`,
            [actor.id, key],
          );
          if (!prev || Number(prev.case_id) !== caseId || !prev.response) throw DomainException.conflict('该 Idempotency-Key 已用于其他请求');
          return prev.response;
        }
      }
      const row = await this.loadRow(em, workflowKey, caseId, true);
      if (!row || !(await canReadCase(actor, row, em))) throw DomainException.notFound('申请');
      if (req.version !== undefined && req.version !== row.version) {
        throw new DomainException('VERSION_CONFLICT', '该申请已被他人更新，请刷新后重试', { currentVersion: row.version });
      }
      const t = transitionsFrom(def, row.state).find((x) => x.action === req.action && x.by.some((p) => p !== 'system'));
      if (!t) {
        // users read the definition's labels, never its codes
        const known =
          def.transitions.find((x) => x.action === req.action && x.by.some((p) => p !== 'system')) ?? def.transitions.find((x) => x.action === req.action);
        if (!known) throw DomainException.validation(`“${def.title}”流程中没有这项操作`, [{ field: 'action', messages: ['不是本流程的操作'] }]);
        const why = known.by.every((p) => p === 'system')
          ? `“${known.label}”由系统自动执行，不能手动操作`
          : `当前阶段（${stage(def, row.state).label}）不能执行“${known.label}”`;
        throw new DomainException('CONFLICT', why, { state: row.state, currentVersion: row.version });
      }
      const who = await this.acting(em, actor, req.onBehalfOf, principal);
      const problem = await this.transitionProblem(em, def, t, row, who, req);
      if (problem) {
        throw problem.status === 'forbidden'
          ? DomainException.forbidden(problem.reason)
          : DomainException.conflict(problem.reason, { currentVersion: row.version });
      }
      const target = await checkNeeds(em, def, t, row, req, await this.settings.all(em));
      const data = await checkActionData(t, req.data);
      const next = await this.transition(em, def, row, t, target, who, { ...req, data }, undefined, opts.effectParams);
      // the feature's own work for the action, in the same transaction as the state change
      if (def.onAction) await def.onAction({ em, before: row, after: next, action: t.action, data, actor: who.principal });
      if (opts.within) await opts.within(em);
      const summary = await this.summary(actor, next, em);
      if (key) await em.query(`UPDATE idempotency_keys SET response = $3 WHERE actor_id = $1 AND key = $2`, [actor.id, key, JSON.stringify(summary)]);
      return summary;
    });
    this.jobs.poke();
    return result;
  }

  /**
   * A transition the engine takes itself (a timer expired, a panel completed), inside the caller's
   * transaction. `by`: a feature's own decision that moves the case (a certification revoked by a city
   * reviewer), recorded on the chain under that user with their reason; the transition stays one no user
   * can take through the actions endpoint.
   */
  async systemAct(
    em: EntityManager,
    row: CaseRow,
    action: string,
    payload?: Record<string, unknown>,
    by?: { actor: Actor; comment?: string },
  ): Promise<CaseRow | undefined> {
    const def = this.definition(row.workflowKey);
    const t = transitionsFrom(def, row.state).find((x) => x.action === action && x.by.includes('system'));
    if (!t) return undefined;
    for (const g of t.guards ?? []) if (await g({ row, actor: by?.actor ?? null, em, request: {} })) return undefined;
    return this.transition(em, def, row, t, t.to, by ? { actor: by.actor, principal: by.actor } : null, { action, comment: by?.comment }, payload);
  }

  /** Apply a checked transition: state, version, tasks, returns, snapshot, event, effects. */
  private async transition(
    em: EntityManager,
    def: WorkflowDefinition,
    row: CaseRow,
    t: TransitionDef,
    target: string,
    who: Acting | null,
    req: ActionRequest,
    systemPayload?: Record<string, unknown>,
    effectParams?: Record<string, unknown>,
  ): Promise<CaseRow> {
    const holder = who?.principal.id ?? null;
    const selfLoop = target === row.state;
    const st = stage(def, row.state);
    // the 补正 deadline as kept, on the event and the return alike (a bare day is the end of that Shanghai day)
    const deadline = req.deadline ? deadlineOf(req.deadline) : null;
    const payload: Record<string, unknown> = { ...systemPayload };
    if (req.items) payload.items = req.items;
    if (deadline) payload.deadline = deadline.toISOString();
    if (req.target) payload.target = req.target;
    if (req.scores) payload.scores = req.scores;
    if (req.panel) payload.panel = req.panel;
    if (req.data) payload.data = req.data;

    if (t.kind === 'score' || t.kind === 'recuse') {
      await em.query(
        `UPDATE tasks SET status = $4, completed_at = now(), completed_by = $3, outcome = $5, score = $6 WHERE case_id = $1 AND state = $2 AND kind = 'panel' AND assignee_id = $3 AND status = 'open'`,
        [
          row.id,
          row.state,
          holder,
          t.kind === 'score' ? 'done' : 'cancelled',
          t.kind === 'score' ? 'scored' : 'recused',
          req.scores ? JSON.stringify(req.scores) : null,
        ],
      );
    } else if (!selfLoop) {
      const as = who ? (who.as ?? partyRole(t, who.principal, row)) : null;
      await leaveStage(em, row, holder, t.action, as === null ? null : as === 'owner' || as === 'owner_person' ? 'applicant' : 'review');
    }

    let submissions = row.submissions;
    if (t.kind === 'submit') {
      submissions += 1;
      // the submission freezes the feature's data and the applicant's files (kept, with their bytes, for its history)
      const data = { ...(def.snapshot ? await def.snapshot(row.id, em) : {}), attachments: await freezeAttachments(em, row.id, submissions) };
      await em.query(`INSERT INTO case_snapshots (case_id, seq, data, submitted_by) VALUES ($1, $2, $3, $4)`, [
        row.id,
        submissions,
        JSON.stringify(data),
        who?.actor.id,
      ]);
      await em.query(`UPDATE case_returns SET resolved_at = now() WHERE case_id = $1 AND resolved_at IS NULL`, [row.id]);
      payload.submission = submissions;
    }
    let returnedFrom = row.returnedFrom;
    let returnDeadline: Date | null | undefined;
    // a return to an earlier review stage (认定决定 → 市级复核, 学校审核 → 企业确认) asks nothing of the applicant: kept
    // with the others, but never open (no 补正 notice on the case, no 补正 notification)
    const toApplicant = t.kind === 'return' && stage(def, target).kind === 'applicant';
    if (t.kind === 'return') {
      returnDeadline = deadline;
      returnedFrom = row.state;
      await em.query(
        `INSERT INTO case_returns (case_id, from_state, to_state, items, deadline, returned_by, resolved_at) VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN NULL ELSE now() END)`,
        [row.id, row.state, target, JSON.stringify(req.items), returnDeadline, who!.actor.id, toApplicant],
      );
    }
    const final = stage(def, target).kind === 'final';
    const [updated]: [Array<Record<string, unknown>>, number] = await em.query(
      `UPDATE cases SET state = $3, version = version + 1, submissions = $4, returned_from = $5, updated_at = now(), decided_at = CASE WHEN $6 THEN coalesce(decided_at, now()) ELSE decided_at END
        WHERE id = $1 AND version = $2 RETURNING *`,
      [row.id, row.version, target, submissions, returnedFrom, final],
    );
    if (!updated.length) throw new DomainException('VERSION_CONFLICT', '该申请已被他人更新，请刷新后重试', { currentVersion: row.version + 1 });
    let next = caseRowFrom(updated[0]);

    if (t.needs?.panel && selfLoop && req.panel?.length) {
      // appointing more members to a running panel
      await addPanelSeats(em, this.deps, next, next.state, st.role!, req.panel, next.stageDueAt, `${def.title}：${next.title}`);
    } else if (!selfLoop) {
      next = await enterStage(em, this.deps, def, next, target, { panel: req.panel, returnDeadline });
    }
    const event = await appendEvent(em, {
      caseId: row.id,
      actorId: who?.actor.id ?? null,
      actorRole: who ? (who.as ?? partyRole(t, who.principal, row)) : 'system',
      onBehalfOf: who && who.actor !== who.principal ? who.principal.id : null,
      action: t.action,
      fromState: row.state,
      toState: target,
      comment: req.comment?.trim() || null,
      payload: Object.keys(payload).length ? payload : null,
    });
    for (const effect of t.effects ?? []) {
      await this.outbox.enqueue(
        em,
        'workflow.effect',
        { effect, caseId: row.id, eventId: event.id, ...(effectParams ? { params: effectParams } : {}) },
        { dedupeKey: `effect:${effect}:${event.id}` },
      );
    }
    if (toApplicant || final || t.kind === 'reject') {
      const kind = t.kind === 'return' ? 'returned' : 'decided';
      const comment = req.comment?.trim();
      await this.outbox.enqueue(em, 'notify', {
        kind,
        title: `${def.title}${t.kind === 'return' ? '被退回补正' : `：${stage(def, target).label}`}`,
        body: final && comment ? `${next.title}：${comment}` : next.title,
        caseId: row.id,
        // a case of a person is theirs: not every teacher of the school hears of a colleague's record
        ...(row.ownerUserId !== null ? { userIds: [row.ownerUserId] } : { roles: def.ownerRoles, organisationId: row.ownerOrgId }),
      });
    }
    if (t.kind === 'recuse' && st.supervisorRole) {
      // whoever runs the panel must know a seat is empty (to appoint another expert)
      await this.outbox.enqueue(em, 'notify', {
        kind: 'recused',
        title: `${def.title}：评审专家申请回避`,
        body: `${next.title}${req.comment?.trim() ? `：${req.comment.trim()}` : ''}`,
        caseId: row.id,
        role: st.supervisorRole,
        countyCode: st.scope === 'county' ? row.countyCode : null,
      });
    }
    if (st.kind === 'panel' && (t.kind === 'score' || t.kind === 'recuse')) {
      const after = await this.completePanel(em, def, next);
      if (after) next = after;
    }
    return next;
  }

  /** When a panel has what its rule needs, the engine moves the case on: pass or fail on the average score. */
  private async completePanel(em: EntityManager, def: WorkflowDefinition, row: CaseRow): Promise<CaseRow | undefined> {
    const st = stage(def, row.state);
    const panel = st.panel!;
    const all = (await this.settings.all(em)) as Record<string, number>;
    const minMembers = panel.minMembersSetting ? (all[panel.minMembersSetting] ?? 1) : 1;
    // this sitting's seats only: a panel that failed earlier (back to 市级复核, then a new panel) does not vote again
    const seats: Array<{ status: string; score: Record<string, number> | null }> = await em.query(
      `SELECT status, score FROM tasks WHERE case_id = $1 AND state = $2 AND kind = 'panel' AND created_at >= (SELECT stage_entered_at FROM cases WHERE id = $1)`,
      [row.id, row.state],
    );
    const done = seats.filter((s) => s.status === 'done');
    const open = seats.filter((s) => s.status === 'open');
    const complete = panel.rule === 'all' ? open.length === 0 && done.length >= minMembers : done.length >= Math.max(panel.rule.k, minMembers);
    if (!complete) return undefined;
    const totals = done.map((s) => Object.values(s.score ?? {}).reduce((a, b) => a + b, 0));
    const average = Math.round((totals.reduce((a, b) => a + b, 0) / totals.length) * 100) / 100;
    const passMark = panel.passMarkSetting ? (all[panel.passMarkSetting] ?? 0) : 0;
    const action = average >= passMark ? panel.onPass : panel.onFail;
    return this.systemAct(em, row, action, { average, passMark, scored: done.length });
  }
}

/** The role under which the actor took the transition, for the event record. */
function partyRole(t: TransitionDef, actor: Actor, row: CaseRow): string | null {
  // the owner's applicant acts as 'owner'; a reviewer under the transition's role
  for (const p of t.by) {
    if (p === 'owner' && actor.organisationId === row.ownerOrgId) return 'owner';
    if (p === 'owner_person' && row.ownerUserId === actor.id) return p;
    if (p !== 'owner' && p !== 'system' && p !== 'owner_person' && !p.startsWith('party:') && actor.roles.includes(p as Role)) return p;
  }
  return actor.roles[0] ?? null;
}
