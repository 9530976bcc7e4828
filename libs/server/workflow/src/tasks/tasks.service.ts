import { Injectable } from '@nestjs/common';
import type { TaskDto, UserChoiceDto } from '@portal/contracts';
import { DomainException, JobsService, listPage, OutboxService, type ListSpec, type RawListQuery } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import type { Role } from '@portal/contracts';
import { Brackets, DataSource, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { reviewStageProblem, stageWorker, type ActedAt } from '../engine/act-checks.js';
import { caseRef } from '../engine/case-row.js';
import { WorkflowRegistry } from '../engine/workflow.registry.js';
import { WorkflowService } from '../engine/workflow.service.js';

interface AssigneeRow {
  roles: string[];
  jurisdiction: string | null;
  active: boolean;
  organisation_id: number;
}

/** A task about to be handed over, and what the hand-over rule needs to know of it. */
interface Reassignable {
  task: TaskDto;
  ownerOrgId: number | undefined;
  ownerUserId: number | null;
  /** the organisation whose stage this is (owner organisation or a party), or null for the bureaus' and panel's tasks */
  organisationId: number | null;
  /** the roles that work it inside that organisation */
  orgRoles: string[];
  sitting: Set<number>;
}

interface TaskRow {
  id: string;
  caseId: string;
  ownerOrgId: number;
  caseTitle: string;
  workflowKey: string;
  state: string;
  kind: TaskDto['kind'];
  role: TaskDto['role'];
  countyCode: string | null;
  /** the organisation whose users work the task (a stage of the owner organisation or of a party), if any */
  organisationId: number | null;
  assigneeId: number | null;
  status: TaskDto['status'];
  dueAt: Date | null;
  createdAt: Date;
}

/**
 * The tasks open to the actor by their own role, jurisdiction, organisation or party (the non-supervisory
 * scope): not the admins' and city reviewers' view over everything reviewers read.
 */
const OWN_ARMS = [
  // an unassigned 补正 task is its organisation's applicants' (the definition's ownerRoles: not a school's expert
  // or admin for its teachers' records); one assigned to a person (a teacher's 退回修改) is theirs alone
  "t.kind = 'applicant' AND t.assignee_id IS NULL AND t.organisation_id = :myOrg AND c.workflow_key = ANY(:ownerWorkflows)",
  "t.kind = 'review' AND t.assignee_id IS NULL AND t.role = ANY(:myRoles) AND t.county_code IS NOT DISTINCT FROM :myCounty AND (t.organisation_id IS NULL OR t.organisation_id = :myOrg)",
  "t.kind = 'review' AND t.assignee_id IS NULL AND t.organisation_id = :myOrg AND c.workflow_key || '|' || t.role = ANY(:partyTasks)",
];

/**
 * `workable=true`: only the tasks the actor may work themself — assigned to them, or open to them by the
 * non-supervisory scope (for admins and city reviewers too) less the review tasks reviewStageProblem refuses
 * them: their own organisation's case at a bureau stage (回避), and under the 'distinct' rule a stage other
 * than one they already judged on the case (one correlated look-up in case_events per candidate, in the
 * statement: no query per row). The parameters are scoped()'s.
 */
const WORKABLE = `(t.assignee_id = :me OR ((${OWN_ARMS.map((a) => `(${a})`).join(' OR ')})
  AND NOT (t.kind = 'review' AND c.owner_org_id = :myOrg AND NOT (c.workflow_key || '|' || t.state = ANY(:ownOrgStages)))
  AND NOT (t.kind = 'review' AND c.workflow_key || '|' || t.state = ANY(:distinctStages) AND EXISTS (
    SELECT 1 FROM case_events e WHERE e.case_id = t.case_id AND (e.actor_id = :me OR e.on_behalf_of = :me) AND e.from_state <> t.state
       AND c.workflow_key || '|' || e.from_state || '|' || e.actor_role = ANY(:judgedStages)))))`;

const LIST: ListSpec<ObjectLiteral> = {
  sortable: { id: 't.id', dueAt: 't.due_at', createdAt: 't.created_at', overdue: '(t.due_at < now())' },
  filters: {
    id: 't.id',
    status: 't.status',
    workflowKey: 'c.workflow_key',
    state: 't.state',
    countyCode: 'c.county_code',
    kind: 't.kind',
    mine: (qb, v) => void (v === true || v === 'true' ? qb.andWhere('t.assignee_id = :me') : undefined),
    workable: (qb, v) => {
      if (v === true || v === 'true') qb.andWhere(WORKABLE);
      else if (v !== false && v !== 'false')
        throw DomainException.validation('查询参数 filter.workable 应为 true 或 false', [{ field: 'workable', messages: ['应为 true 或 false'] }]);
    },
    overdue: (qb, v) =>
      void (v === true || v === 'true' ? qb.andWhere("t.due_at < now() AND t.status = 'open'") : qb.andWhere('(t.due_at IS NULL OR t.due_at >= now())')),
    q: (qb, v, p) => void qb.andWhere(`c.title ILIKE :${p}`, { [p]: `%${String(v).replace(/[\\%_]/g, (c) => `\\${c}`)}%` }),
  },
  defaultSort: { field: 'dueAt', order: 'ASC' },
};

/** The reviewer's inbox: the tasks a user may work, claim and hand over. */
@Injectable()
export class TasksService {
  constructor(
    private readonly ds: DataSource,
    private readonly registry: WorkflowRegistry,
    private readonly outbox: OutboxService,
    private readonly jobs: JobsService,
    private readonly workflow: WorkflowService,
  ) {}

  /**
   * Change a task's holder and put the change on the case's hash chain (who, when, what and why), in one
   * transaction with the case row locked first, as act() does. Answers false when the update matched no task.
   */
  private async changeHolder(
    task: TaskDto,
    actor: Actor,
    sql: string,
    params: unknown[],
    e: { action: 'task_claim' | 'task_release' | 'task_reassign'; from: number | null; to: number | null; reason?: string | null; role?: string },
    more?: (em: EntityManager) => Promise<unknown>,
  ): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT 1 FROM cases WHERE id = $1 FOR UPDATE`, [task.caseId]);
      const [, n]: [unknown, number] = await em.query(sql, params);
      if (!n) return false;
      await this.workflow.recordEvent(em, task.caseId, actor, {
        action: e.action,
        comment: e.reason ?? null,
        role: e.role ?? task.role,
        payload: { taskId: task.id, kind: task.kind, role: task.role, from: e.from, to: e.to },
      });
      if (more) await more(em);
      return true;
    });
  }

  /**
   * Tasks an actor may work: assigned to them; open to their role (in their county for county-scoped tasks,
   * city-level otherwise, and in their own organisation for a stage of the owner organisation); open to a party
   * of the case (the party's organisation, by the roles the definition gives the party); plus their
   * organisation's 补正 tasks. Admins and city reviewers see every task of the workflows whose cases reviewers
   * read (a teacher's practice record is the school's and the host's, not the bureaus').
   */
  private scoped(actor: Actor): SelectQueryBuilder<ObjectLiteral> {
    const defs = this.registry.all();
    const reviewerWorkflows = this.registry.reviewedKeys();
    // the workflows whose applicant (owner organisation) roles the actor has
    const ownerWorkflows = defs.filter((d) => d.ownerRoles.some((r) => actor.roles.includes(r))).map((d) => d.key);
    // "<workflow>|party:<key>" for each party whose roles the actor has
    const partyTasks = defs.flatMap((d) =>
      Object.entries(d.parties ?? {})
        .filter(([, p]) => p.roles.some((r) => actor.roles.includes(r)))
        .map(([key]) => `${d.key}|party:${key}`),
    );
    const qb = this.ds
      .createQueryBuilder()
      .select([
        't.id AS id',
        't.case_id AS "caseId"',
        'c.owner_org_id AS "ownerOrgId"',
        'c.title AS "caseTitle"',
        'c.workflow_key AS "workflowKey"',
        't.state AS state',
        't.kind AS kind',
        't.role AS role',
        'c.county_code AS "countyCode"',
        't.organisation_id AS "organisationId"',
        't.assignee_id AS "assigneeId"',
        't.status AS status',
        't.due_at AS "dueAt"',
        't.created_at AS "createdAt"',
      ])
      .from('tasks', 't')
      .innerJoin('cases', 'c', 'c.id = t.case_id')
      .setParameters({
        me: actor.id,
        myRoles: actor.roles,
        myCounty: actor.jurisdiction,
        myOrg: actor.organisationId,
        reviewerWorkflows,
        ownerWorkflows,
        partyTasks,
        ...this.sodStages(),
      });
    if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) return qb.andWhere('(t.assignee_id = :me OR c.workflow_key = ANY(:reviewerWorkflows))');
    return qb.andWhere(
      new Brackets((b) => {
        b.where('t.assignee_id = :me');
        for (const arm of OWN_ARMS) b.orWhere(arm);
      }),
    );
  }

  /**
   * reviewStageProblem's rules as lists of "<workflow>|<state>" (and "|<worker>") for the workable filter: the
   * stages the applicant's own organisation works (its own scope, or a party's or the owner person's stage);
   * the review stages the 'distinct' rule guards; the judgement stages acting at which counts, by their worker.
   */
  private sodStages(): { ownOrgStages: string[]; distinctStages: string[]; judgedStages: string[] } {
    const out = { ownOrgStages: [] as string[], distinctStages: [] as string[], judgedStages: [] as string[] };
    for (const d of this.registry.all()) {
      const distinct = d.separation?.judgement !== 'consecutive';
      for (const [key, st] of Object.entries(d.states)) {
        if (st.kind !== 'review' && st.kind !== 'panel') continue;
        if (st.kind === 'review' && (st.actor || st.scope === 'owner_organisation')) out.ownOrgStages.push(`${d.key}|${key}`);
        if (!distinct || st.clerical) continue;
        if (st.kind === 'review' && !st.actor) out.distinctStages.push(`${d.key}|${key}`);
        const worker = stageWorker(st);
        if (worker) out.judgedStages.push(`${d.key}|${key}|${worker}`);
      }
    }
    return out;
  }

  async list(actor: Actor, raw: RawListQuery, reply: { header(n: string, v: string): unknown }): Promise<TaskDto[]> {
    const rows = (await listPage(this.scoped(actor), raw, LIST, reply, 'tasks', { raw: true })) as unknown as TaskRow[];
    const acted = await this.actedOn(
      actor,
      rows.map((r) => Number(r.caseId)),
    );
    return rows.map((r) => this.dto(r, actor, acted.get(Number(r.caseId)) ?? []));
  }

  /** What the actor did on these cases (stage and role), read once for a page: separation of duties per row without a query per row. */
  private async actedOn(actor: Actor, caseIds: number[]): Promise<Map<number, ActedAt[]>> {
    const out = new Map<number, ActedAt[]>();
    if (!caseIds.length) return out;
    const rows: Array<ActedAt & { case_id: string }> = await this.ds.query(
      `SELECT DISTINCT case_id, from_state, actor_role FROM case_events WHERE case_id = ANY($1) AND (actor_id = $2 OR on_behalf_of = $2) AND from_state IS NOT NULL`,
      [caseIds, actor.id],
    );
    for (const r of rows) out.set(Number(r.case_id), [...(out.get(Number(r.case_id)) ?? []), r]);
    return out;
  }

  /** Why the actor may not work this review task (role, jurisdiction, own organisation, separation of duties), or undefined. */
  private workProblem(r: TaskRow, actor: Actor, acted: readonly ActedAt[]): string | undefined {
    const def = this.registry.get(r.workflowKey);
    if (r.kind !== 'review' || !def) return undefined;
    return reviewStageProblem(def, r.state, { ownerOrgId: r.ownerOrgId, countyCode: r.countyCode }, actor, acted);
  }

  /** The roles that work a task inside its organisation: the stage's role, or the roles the definition gives a party. */
  private orgRoles(r: { workflowKey: string; role: string }): string[] {
    const party = r.role.startsWith('party:') ? this.registry.get(r.workflowKey)?.parties?.[r.role.slice('party:'.length)] : undefined;
    return party ? [...party.roles] : [r.role];
  }

  /**
   * Whether the actor may hand an open review or panel task over: an admin; a city reviewer, for the bureaus'
   * stages and panels; for an organisation's own stage, a user of that organisation with the stage's role.
   */
  private mayReassign(r: Pick<TaskRow, 'workflowKey' | 'role' | 'organisationId' | 'status' | 'kind'>, actor: Actor): boolean {
    if (r.status !== 'open' || r.kind === 'applicant') return false;
    if (isAdmin(actor)) return true;
    if (r.organisationId === null) return hasRole(actor, 'city_reviewer');
    return actor.organisationId === r.organisationId && this.orgRoles(r).some((role) => hasRole(actor, role as Role));
  }

  private dto(r: TaskRow, actor: Actor, acted: readonly ActedAt[]): TaskDto {
    const def = this.registry.get(r.workflowKey);
    const open = r.status === 'open' && r.kind === 'review';
    const blocked = open && r.assigneeId !== actor.id ? this.workProblem(r, actor, acted) : undefined;
    return {
      id: Number(r.id),
      caseRef: caseRef({ workflowKey: r.workflowKey, id: Number(r.caseId) }),
      caseId: Number(r.caseId),
      caseTitle: r.caseTitle,
      workflowKey: r.workflowKey,
      state: r.state,
      stateLabel: def?.states[r.state]?.label ?? r.state,
      kind: r.kind,
      role: r.role,
      countyCode: r.countyCode,
      assigneeId: r.assigneeId,
      status: r.status,
      dueAt: r.dueAt?.toISOString() ?? null,
      overdue: r.status === 'open' && r.dueAt !== null && r.dueAt < new Date(),
      createdAt: r.createdAt.toISOString(),
      claimable: open && r.assigneeId === null && !blocked,
      blockedReason: blocked ?? null,
      reassignable: this.mayReassign(r, actor),
    };
  }

  async get(actor: Actor, id: number): Promise<TaskDto> {
    const row = await this.scoped(actor).andWhere('t.id = :id', { id }).getRawOne<TaskRow>();
    if (!row) throw DomainException.notFound('任务');
    return this.dto(row, actor, (await this.actedOn(actor, [Number(row.caseId)])).get(Number(row.caseId)) ?? []);
  }

  /**
   * Claim an open review task of one's role and jurisdiction, so colleagues see it is being handled; only a
   * task one may work (the same checks as acting: a claim nobody can act on would only hold the case up).
   */
  async claim(actor: Actor, id: number): Promise<TaskDto> {
    const task = await this.get(actor, id);
    if (task.kind !== 'review' || task.status !== 'open') throw DomainException.conflict('只能认领未办结的审核任务');
    if (!(actor.roles as string[]).includes(task.role)) throw DomainException.forbidden('您不是本阶段的审核人员');
    if (task.blockedReason) throw DomainException.forbidden(task.blockedReason);
    if (task.assigneeId === actor.id) return task;
    const claimed = await this.changeHolder(
      task,
      actor,
      `UPDATE tasks SET assignee_id = $2, claimed_at = now() WHERE id = $1 AND status = 'open' AND assignee_id IS NULL`,
      [id, actor.id],
      { action: 'task_claim', from: null, to: actor.id },
    );
    if (!claimed) throw DomainException.conflict('此任务已由其他审核人员认领');
    return this.get(actor, id);
  }

  /** Give a claimed task back to the pool (its holder only). */
  async release(actor: Actor, id: number): Promise<TaskDto> {
    const notHeld = () => DomainException.conflict('只能退回自己认领的未办结审核任务');
    // someone else's claimed task is out of the actor's view: the same answer as any task they do not hold
    const task = await this.get(actor, id).catch(() => undefined);
    if (!task) throw notHeld();
    const released = await this.changeHolder(
      task,
      actor,
      `UPDATE tasks SET assignee_id = NULL, claimed_at = NULL WHERE id = $1 AND status = 'open' AND kind = 'review' AND assignee_id = $2`,
      [id, actor.id],
      { action: 'task_release', from: actor.id, to: null },
    );
    if (!released) throw notHeld();
    return this.get(actor, id);
  }

  /**
   * Why a user may not take over a task, or undefined. A task of an organisation's own stage (a school
   * approving its teacher, a host enterprise confirming) goes to another user of that organisation with the
   * stage's role, never to the case's owner person. Any other task: the task's role, its county, not the
   * applicant's organisation, and for a panel seat the appointing rule (nobody who sat or recused in this sitting).
   */
  private assigneeProblem(h: Reassignable, u: (AssigneeRow & { id: number }) | undefined): string | undefined {
    const { task, ownerOrgId, ownerUserId, sitting, orgRoles } = h;
    if (!u || !u.active) return '该用户不存在或已停用';
    if (h.organisationId !== null) {
      if (u.organisation_id !== h.organisationId) return '该用户不属于办理此任务的单位';
      if (!orgRoles.some((r) => u.roles.includes(r))) return '该用户不具备本阶段的职责';
      if (u.id === ownerUserId) return '本人不能办理自己事项的审核任务';
      return undefined;
    }
    if (task.kind === 'panel' && sitting.has(u.id)) return '该专家已在本次评审的专家组中（含已评分或已回避），不能再安排评审席位';
    if (!u.roles.includes(task.role)) return '该用户不具备本阶段的审核角色';
    const countyStage = this.registry.get(task.workflowKey)?.states[task.state]?.scope === 'county';
    if (task.kind === 'review' && countyStage && task.countyCode !== null && u.jurisdiction !== task.countyCode) return '该用户不管辖此申请所在的县（市、区）';
    if (u.organisation_id === ownerOrgId) return '该用户与申请单位同属一个单位，应当回避';
    return undefined;
  }

  /** A task someone may hand over (mayReassign), with what the rule for the new holder needs. */
  private async reassignable(actor: Actor, id: number): Promise<Reassignable> {
    // who never hands anything over is told so, whatever the task (a county reviewer, an expert, a teacher)
    const orgStageRoles = new Set(
      this.registry
        .all()
        .flatMap((d) => [
          ...Object.values(d.states).flatMap((st) =>
            st.kind === 'review' && st.role && st.scope && st.scope !== 'county' && st.scope !== 'city' ? [st.role] : [],
          ),
          ...Object.values(d.parties ?? {}).flatMap((p) => p.roles),
        ]),
    );
    if (!isAdmin(actor) && !hasRole(actor, 'city_reviewer') && !actor.roles.some((r) => orgStageRoles.has(r)))
      throw DomainException.forbidden('只有管理员或市级审核人员可以改派任务');
    const task = await this.get(actor, id);
    if (task.status !== 'open' || task.kind === 'applicant') throw DomainException.conflict('只能改派未办结的审核或评审任务');
    if (!task.reassignable)
      throw DomainException.forbidden('无权改派此任务：县、市审核阶段和专家评审由管理员或市级审核人员改派，单位内部的办理阶段由本单位具有该职责的人员改派');
    const [c]: Array<{ owner_org_id: number; owner_user_id: number | null; organisation_id: number | null }> = await this.ds.query(
      `SELECT c.owner_org_id, c.owner_user_id, t.organisation_id FROM tasks t JOIN cases c ON c.id = t.case_id WHERE t.id = $1`,
      [id],
    );
    const organisationId = c?.organisation_id ?? null;
    const orgRoles = this.orgRoles(task);
    // this sitting of the panel (seats since the case entered the stage), as when appointing
    const seated: Array<{ assignee_id: number }> =
      task.kind === 'panel'
        ? await this.ds.query(
            `SELECT DISTINCT assignee_id FROM tasks WHERE case_id = $1 AND state = $2 AND kind = 'panel' AND assignee_id IS NOT NULL AND created_at >= (SELECT stage_entered_at FROM cases WHERE id = $1)`,
            [task.caseId, task.state],
          )
        : [];
    return {
      task,
      ownerOrgId: c?.owner_org_id,
      ownerUserId: c?.owner_user_id ?? null,
      organisationId,
      orgRoles,
      sitting: new Set(seated.map((s) => s.assignee_id)),
    };
  }

  /** Who a supervisor may hand a task to (the same rule as the reassignment itself). */
  async assignees(actor: Actor, id: number): Promise<UserChoiceDto[]> {
    const h = await this.reassignable(actor, id);
    const users: Array<AssigneeRow & { id: number; display_name: string; org: string }> = await this.ds.query(
      `SELECT u.id, u.display_name, u.roles, u.jurisdiction, u.active, u.organisation_id, o.name AS org
         FROM users u JOIN organisations o ON o.id = u.organisation_id
        WHERE u.active AND u.roles && $1::text[] AND ($2::int IS NULL OR u.organisation_id = $2) ORDER BY u.display_name`,
      [h.orgRoles, h.organisationId],
    );
    return users
      .filter((u) => u.id !== h.task.assigneeId && !this.assigneeProblem(h, u))
      .map((u) => ({ id: u.id, displayName: u.display_name, organisationName: u.org }));
  }

  /**
   * A supervisor (admin; a city reviewer for the bureaus' stages; a colleague with the role for an
   * organisation's own stage) hands a task to another user who may work it.
   */
  async reassign(actor: Actor, id: number, userId: number, reason?: string): Promise<TaskDto> {
    const h = await this.reassignable(actor, id);
    const { task } = h;
    const [u]: Array<AssigneeRow & { id: number }> = await this.ds.query(`SELECT id, roles, jurisdiction, active, organisation_id FROM users WHERE id = $1`, [
      userId,
    ]);
    const problem = this.assigneeProblem(h, u);
    if (problem) throw DomainException.validation(problem, [{ field: 'userId', messages: [problem] }]);
    const moved = await this.changeHolder(
      task,
      actor,
      `UPDATE tasks SET assignee_id = $2, claimed_at = now() WHERE id = $1 AND status = 'open'`,
      [id, userId],
      {
        action: 'task_reassign',
        from: task.assigneeId,
        to: userId,
        reason: reason?.trim() || null,
        // in which capacity: the stage's own role inside the organisation, else as city reviewer or admin
        role:
          h.organisationId !== null && actor.organisationId === h.organisationId && !isAdmin(actor)
            ? h.orgRoles.find((r) => hasRole(actor, r as Role))
            : hasRole(actor, 'city_reviewer')
              ? 'city_reviewer'
              : 'admin',
      },
      (em) =>
        this.outbox.enqueue(em, 'notify', {
          kind: 'task_assigned',
          title: `改派给您：${task.stateLabel}`,
          body: task.caseTitle,
          caseId: task.caseId,
          userIds: [userId],
        }),
    );
    if (!moved) throw DomainException.conflict('该任务已办结，不能改派');
    this.jobs.poke();
    // a colleague who handed the task over no longer has it in their inbox: answer it as they handed it
    return this.get(actor, id).catch(() => ({ ...task, assigneeId: userId, claimable: false, blockedReason: null, reassignable: false }));
  }
}
