import { Injectable } from '@nestjs/common';
import { addDays, portalToday, type ActionRequest, type AllowedAction, type PracticeApplicationDto } from '@portal/contracts';
import { countList, DomainException, SettingsService, type ListTotal } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { caseReadScope, caseRowFrom, stage, WorkflowService, type ActionHookContext, type ActOptions, type CaseRow, type Guard } from '@portal/workflow';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { PRACTICE_APPLICATION_WORKFLOW, practiceApplicationWorkflow } from './practice-application.workflow.js';
import { PracticePostsService } from './practice-posts.service.js';

interface ApplicationRow {
  id: string;
  case_id: string;
  post_id: string;
  post_title: string;
  post_start: string;
  post_end: string;
  enterprise_id: number;
  enterprise_name: string;
  teacher_id: number;
  teacher_name: string;
  school_id: number;
  school_name: string;
  note: string;
  created_at: Date;
  updated_at: Date;
}

const FROM = `FROM practice_applications a JOIN cases c ON c.id = a.case_id JOIN practice_posts p ON p.id = a.post_id JOIN organisations e ON e.id = p.enterprise_id
  JOIN users t ON t.id = a.teacher_id JOIN organisations s ON s.id = a.school_id`;
const COLUMNS = `a.id, a.case_id, a.post_id, a.teacher_id, a.school_id, a.note, a.created_at, c.updated_at, p.title AS post_title, p.start_date AS post_start, p.end_date AS post_end, p.enterprise_id,
  e.name AS enterprise_name, t.display_name AS teacher_name, s.name AS school_name`;

/** Applications the post-ended sweep closes per transaction (each a locked case, moved through the engine). */
const CLOSE_BATCH = 200;

/** The states of an application still open (awaiting the school or the enterprise). */
const OPEN_STATES = ['applied', 'school_approved'];

/** The actions that end an application without the teacher taking up the post: it is no longer live. */
const ENDS = new Set(['withdraw', 'decline', 'school_decline']);

/**
 * Applications for 千企万岗 posts, cases of the workflow `practice-application` (practice-application.workflow.ts):
 * every change of state goes through the engine (checked transition, actor, tasks, hash-chained event, outbox).
 * The application row keeps what the case does not: the post, the teacher, the note, and `live` — the flag behind
 * the unique index of one live application per teacher and post, cleared by the action hook when an action ends it.
 */
@Injectable()
export class PracticeApplicationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly workflow: WorkflowService,
    private readonly posts: PracticePostsService,
    private readonly settings: SettingsService,
  ) {}

  /**
   * The engine's periodic sweep (WorkflowRegistry.sweep): the applications still open (待学校审批, 待企业接收) for a post
   * whose period ended more than practice.postEndedGraceDays days ago (the post's end date against today's date in
   * Asia/Shanghai, as periodOpen compares them) are closed by the system transition `expire` (岗位已结束: their tasks
   * close, the teacher is told, the event goes on the case's chain) and stop being live. In batches of CLOSE_BATCH,
   * each one transaction over cases locked with SKIP LOCKED, so two workers share the work and never move a case
   * twice; a case already closed is no longer selected (idempotent). Answers how many it closed.
   */
  readonly closeEnded = async (): Promise<number> => {
    const grace = await this.settings.get('practice.postEndedGraceDays');
    // a post ending on `lastOpen` or later is still open (with its grace days) today
    const lastOpen = addDays(portalToday(), -grace);
    let closed = 0;
    for (;;) {
      const moved = await this.ds.transaction(async (em) => {
        const rows = await em.query<Array<Record<string, unknown> & { post_end: string }>>(
          `SELECT c.*, p.end_date::text AS post_end FROM cases c JOIN practice_applications a ON a.case_id = c.id JOIN practice_posts p ON p.id = a.post_id
            WHERE c.workflow_key = $1 AND c.state = ANY($2) AND a.live AND p.end_date < $3::date
            ORDER BY c.id LIMIT ${CLOSE_BATCH} FOR UPDATE OF c SKIP LOCKED`,
          [PRACTICE_APPLICATION_WORKFLOW, OPEN_STATES, lastOpen],
        );
        const done: number[] = [];
        for (const r of rows) {
          const { post_end: postEnd, ...c } = r;
          if (await this.workflow.systemAct(em, caseRowFrom(c), 'expire', { postEndDate: postEnd })) done.push(Number(c.id));
        }
        if (done.length) await em.query(`UPDATE practice_applications SET live = false WHERE case_id = ANY($1::bigint[])`, [done]);
        return { selected: rows.length, done: done.length };
      });
      closed += moved.done;
      if (moved.selected < CLOSE_BATCH || moved.done === 0) return closed;
    }
  };

  /** Guard of NEEDS_OPEN_PERIOD: the post's period has not ended (nobody is let go, or accepted, for practice that is over). */
  readonly periodOpen: Guard = async ({ row, em }) => {
    const [p] = await em.query<Array<{ end_date: string }>>(
      `SELECT p.end_date FROM practice_applications a JOIN practice_posts p ON p.id = a.post_id WHERE a.case_id = $1`,
      [row.id],
    );
    return p && p.end_date < portalToday() ? `岗位期间已于 ${p.end_date} 结束，不能再同意或接收；教师可申请其他岗位` : undefined;
  };

  /** The feature's work for each action, inside act()'s transaction (a throw rolls the action back). */
  readonly onAction = async ({ em, after, action }: ActionHookContext): Promise<void> => {
    if (action === 'accept') {
      const [a] = await em.query<Array<{ post_id: string }>>(`SELECT post_id FROM practice_applications WHERE case_id = $1`, [after.id]);
      if (!a || !(await this.posts.takeOpening(em, Number(a.post_id)))) throw DomainException.conflict('该岗位名额已满，不能再接收');
    } else if (ENDS.has(action)) {
      await em.query(`UPDATE practice_applications SET live = false WHERE case_id = $1`, [after.id]);
    }
  };

  private toDto(r: ApplicationRow, row: CaseRow, allowedActions: AllowedAction[]): PracticeApplicationDto {
    return {
      id: Number(r.id),
      caseRef: `${PRACTICE_APPLICATION_WORKFLOW}:${r.case_id}`,
      postId: Number(r.post_id),
      postTitle: r.post_title,
      postStartDate: r.post_start,
      postEndDate: r.post_end,
      enterpriseId: r.enterprise_id,
      enterpriseName: r.enterprise_name,
      teacherId: r.teacher_id,
      teacherName: r.teacher_name,
      schoolId: r.school_id,
      schoolName: r.school_name,
      state: row.state,
      stateLabel: stage(practiceApplicationWorkflow, row.state).label,
      version: row.version,
      note: r.note,
      allowedActions,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  }

  private async row(em: EntityManager, id: number): Promise<ApplicationRow | undefined> {
    const [r] = await em.query<ApplicationRow[]>(`SELECT ${COLUMNS} ${FROM} WHERE a.id = $1`, [id]);
    return r;
  }

  /** The case of an application the actor reads (admins read every one), or a 404. */
  private async caseOf(actor: Actor, r: ApplicationRow | undefined): Promise<CaseRow> {
    if (!r) throw DomainException.notFound('岗位申请');
    if (isAdmin(actor)) return (await this.workflow.loadRow(this.ds.manager, PRACTICE_APPLICATION_WORKFLOW, Number(r.case_id)))!;
    return this.workflow.readable(actor, PRACTICE_APPLICATION_WORKFLOW, Number(r.case_id)).catch(() => {
      throw DomainException.notFound('岗位申请');
    });
  }

  async get(actor: Actor, id: number): Promise<PracticeApplicationDto> {
    const r = await this.row(this.ds.manager, id);
    const row = await this.caseOf(actor, r);
    return this.toDto(r!, row, await this.workflow.allowedActions(actor, row));
  }

  /**
   * The teacher applies: one transaction opens the case (owner: the teacher and their school; party host: the
   * post's enterprise), writes the application and takes `apply` (tasks for the school's admins, SLA, notice).
   */
  async apply(actor: Actor, postId: number, note: string | undefined): Promise<PracticeApplicationDto> {
    if (!hasRole(actor, 'teacher') || actor.organisationKind !== 'school') throw DomainException.forbidden('只有教师可以申请实践岗位');
    const id = await this.ds
      .transaction(async (em) => {
        const post = await this.posts.takesApplications(em, postId);
        if (typeof post === 'string')
          throw post === '实践岗位不存在' ? DomainException.validation(post, [{ field: 'postId', messages: [post] }]) : DomainException.conflict(post);
        const row = await this.workflow.open(em, {
          workflowKey: PRACTICE_APPLICATION_WORKFLOW,
          ownerOrgId: actor.organisationId,
          countyCode: actor.organisationCountyCode,
          title: `${actor.displayName}：${post.title}`,
          actor,
          ownerUserId: actor.id,
          parties: [{ party: 'host', organisationId: post.enterpriseId }],
        });
        const [r] = await em.query<Array<{ id: string }>>(
          `INSERT INTO practice_applications (case_id, post_id, teacher_id, school_id, note) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [row.id, postId, actor.id, actor.organisationId, (note ?? '').trim()],
        );
        await this.workflow.systemAct(em, row, 'apply', undefined, { actor });
        return Number(r.id);
      })
      .catch((e: unknown) => {
        if (e instanceof QueryFailedError && (e as QueryFailedError & { driverError?: { code?: string } }).driverError?.code === '23505')
          throw DomainException.conflict('您已申请该岗位，请勿重复申请');
        throw e;
      });
    return this.get(actor, id);
  }

  /** One action on the application's case, through the engine (the hook takes an opening on accept). */
  async act(actor: Actor, id: number, req: ActionRequest, opts: ActOptions = {}): Promise<PracticeApplicationDto> {
    const r = await this.row(this.ds.manager, id);
    if (!r) throw DomainException.notFound('岗位申请');
    await this.workflow.act(PRACTICE_APPLICATION_WORKFLOW, Number(r.case_id), req, actor, opts);
    return this.get(actor, id);
  }

  /**
   * The applications the actor reads (the definition's read rule: their own, their school's, their enterprise's
   * posts'; all for admins), each with what the actor may do on it, in the same few statements whatever the page.
   */
  async list(
    actor: Actor,
    f: { ids?: number[]; postId?: number; state?: string[]; teacherId?: number },
    sort: { field: 'id' | 'updatedAt'; order: 'ASC' | 'DESC' },
    range: { start: number; end: number },
  ): Promise<{ rows: PracticeApplicationDto[]; total: ListTotal }> {
    const scope = caseReadScope(actor, 1, PRACTICE_APPLICATION_WORKFLOW);
    const params: unknown[] = [...scope.params];
    const where = [isAdmin(actor) ? `(${scope.sql} OR true)` : scope.sql];
    if (f.ids) where.push(`a.id = ANY($${params.push(f.ids)}::bigint[])`);
    if (f.postId) where.push(`a.post_id = $${params.push(f.postId)}`);
    if (f.state?.length) where.push(`c.state = ANY($${params.push(f.state)})`);
    if (f.teacherId) where.push(`a.teacher_id = $${params.push(f.teacherId)}`);
    const from = `${FROM} WHERE ${where.join(' AND ')}`;
    const total = await countList(this.ds.manager, from, params);
    const order = { id: 'a.id', updatedAt: 'c.updated_at' }[sort.field];
    const rows = await this.ds.query<Array<ApplicationRow & { c: Record<string, unknown> }>>(
      `SELECT ${COLUMNS}, to_jsonb(c) AS c ${from} ORDER BY ${order} ${sort.order}, a.id OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    const cases = rows.map((r) => caseRowFrom(jsonCase(r.c)));
    const actions = await this.workflow.pageActions(actor, cases);
    return { rows: rows.map((r, i) => this.toDto(r, cases[i], actions.get(cases[i].id) ?? [])), total };
  }
}

/** A case row read as JSON (to_jsonb): its timestamps as Dates, as the driver reads them from the table. */
function jsonCase(c: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  for (const k of ['stage_entered_at', 'stage_due_at', 'decided_at', 'created_at', 'updated_at']) {
    const v = out[k];
    if (typeof v === 'string') out[k] = new Date(v);
  }
  return out;
}
