import { Injectable } from '@nestjs/common';
import {
  PRACTICE_APPLICATION_ACTIONS,
  PRACTICE_APPLICATION_STATUSES,
  type PracticeApplicationAction,
  type PracticeApplicationDto,
  type PracticeApplicationStatus,
  type StatusEventDto,
} from '@portal/contracts';
import { DomainException } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { PracticePostsService } from './practice-posts.service.js';

interface ApplicationRow {
  id: string;
  post_id: string;
  post_title: string;
  enterprise_id: number;
  enterprise_name: string;
  teacher_id: number;
  teacher_name: string;
  school_id: number;
  school_name: string;
  status: PracticeApplicationStatus;
  note: string;
  created_at: Date;
  updated_at: Date;
}

const FROM = `FROM practice_applications a JOIN practice_posts p ON p.id = a.post_id JOIN organisations e ON e.id = p.enterprise_id
  JOIN users t ON t.id = a.teacher_id JOIN organisations s ON s.id = a.school_id`;
const SELECT = `SELECT a.*, p.title AS post_title, p.enterprise_id, e.name AS enterprise_name, t.display_name AS teacher_name, s.name AS school_name ${FROM}`;

/** The side an actor takes on an application, if any: the teacher, the teacher's school, the post's enterprise. */
function sidesOf(actor: Actor, r: Pick<ApplicationRow, 'teacher_id' | 'school_id' | 'enterprise_id'>): Set<'teacher' | 'school' | 'enterprise'> {
  const sides = new Set<'teacher' | 'school' | 'enterprise'>();
  if (actor.id === r.teacher_id) sides.add('teacher');
  if (actor.organisationId === r.school_id && hasRole(actor, 'school_admin')) sides.add('school');
  if (actor.organisationId === r.enterprise_id && hasRole(actor, 'enterprise_applicant')) sides.add('enterprise');
  return sides;
}

/**
 * Applications for 千企万岗 posts: a plain state table, not a workflow case. The handshake has no review stage,
 * SLA, document or evidence of its own (the practice itself is the record's workflow): the teacher applies, the
 * school lets the teacher go, the enterprise accepts. Every change of state is checked against the table of
 * actions (contracts PRACTICE_APPLICATION_ACTIONS) under the row's lock and written to
 * practice_application_events (who, when, from, to, comment) in the same transaction.
 */
@Injectable()
export class PracticeApplicationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly posts: PracticePostsService,
  ) {}

  private toDto(actor: Actor, r: ApplicationRow): PracticeApplicationDto {
    const sides = sidesOf(actor, r);
    const allowedActions = (
      Object.entries(PRACTICE_APPLICATION_ACTIONS) as Array<[PracticeApplicationAction, (typeof PRACTICE_APPLICATION_ACTIONS)[PracticeApplicationAction]]>
    )
      .filter(([, a]) => sides.has(a.by) && (a.from as readonly string[]).includes(r.status))
      .map(([action, a]) => ({ action, label: a.label }));
    return {
      id: Number(r.id),
      postId: Number(r.post_id),
      postTitle: r.post_title,
      enterpriseId: r.enterprise_id,
      enterpriseName: r.enterprise_name,
      teacherId: r.teacher_id,
      teacherName: r.teacher_name,
      schoolId: r.school_id,
      schoolName: r.school_name,
      status: r.status,
      statusLabel: PRACTICE_APPLICATION_STATUSES[r.status],
      note: r.note,
      allowedActions,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  }

  /** Who reads an application: its teacher, the teacher's school admins, the post's enterprise, admins. */
  private readable(actor: Actor, r: ApplicationRow): boolean {
    return isAdmin(actor) || sidesOf(actor, r).size > 0;
  }

  private async row(em: EntityManager, id: number): Promise<ApplicationRow | undefined> {
    const [r] = await em.query<ApplicationRow[]>(`${SELECT} WHERE a.id = $1`, [id]);
    return r;
  }

  async get(actor: Actor, id: number): Promise<PracticeApplicationDto> {
    const r = await this.row(this.ds.manager, id);
    if (!r || !this.readable(actor, r)) throw DomainException.notFound('岗位申请');
    return this.toDto(actor, r);
  }

  async apply(actor: Actor, postId: number, note: string | undefined): Promise<PracticeApplicationDto> {
    if (!hasRole(actor, 'teacher') || actor.organisationKind !== 'school') throw DomainException.forbidden('只有教师可以申请实践岗位');
    const id = await this.ds
      .transaction(async (em) => {
        const ok = await this.posts.takesApplications(em, postId);
        if (typeof ok === 'string')
          throw ok === '实践岗位不存在' ? DomainException.validation(ok, [{ field: 'postId', messages: [ok] }]) : DomainException.conflict(ok);
        const [r] = await em.query<Array<{ id: string }>>(
          `INSERT INTO practice_applications (post_id, teacher_id, school_id, note) VALUES ($1, $2, $3, $4) RETURNING id`,
          [postId, actor.id, actor.organisationId, (note ?? '').trim()],
        );
        await this.audit(em, Number(r.id), actor, 'apply', null, 'applied', note);
        return Number(r.id);
      })
      .catch((e: unknown) => {
        if (e instanceof QueryFailedError && (e as QueryFailedError & { driverError?: { code?: string } }).driverError?.code === '23505')
          throw DomainException.conflict('您已申请该岗位，请勿重复申请');
        throw e;
      });
    return this.get(actor, id);
  }

  /**
   * One action on an application, under its row lock: the actor's side must be the action's, the status one it
   * starts from. Accepting takes an opening of the post with a conditional UPDATE: a full post accepts no one.
   */
  async act(actor: Actor, id: number, action: PracticeApplicationAction, comment?: string): Promise<PracticeApplicationDto> {
    const def = PRACTICE_APPLICATION_ACTIONS[action];
    await this.ds.transaction(async (em) => {
      await em.query(`SELECT 1 FROM practice_applications WHERE id = $1 FOR UPDATE`, [id]);
      const r = await this.row(em, id);
      if (!r || !this.readable(actor, r)) throw DomainException.notFound('岗位申请');
      if (!sidesOf(actor, r).has(def.by)) {
        const who = { teacher: '申请教师本人', school: '教师所在学校', enterprise: '岗位发布企业' }[def.by];
        throw DomainException.forbidden(`“${def.label}”只能由${who}办理`);
      }
      if (!(def.from as readonly string[]).includes(r.status))
        throw DomainException.conflict(`申请当前为“${PRACTICE_APPLICATION_STATUSES[r.status]}”，不能“${def.label}”`);
      if (action === 'accept' && !(await this.posts.takeOpening(em, Number(r.post_id)))) throw DomainException.conflict('该岗位名额已满，不能再接收');
      await em.query(`UPDATE practice_applications SET status = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, def.to]);
      await this.audit(em, id, actor, action, r.status, def.to, comment);
    });
    return this.get(actor, id);
  }

  private async audit(em: EntityManager, id: number, actor: Actor, action: string, from: string | null, to: string, comment?: string): Promise<void> {
    await em.query(
      `INSERT INTO practice_application_events (application_id, actor_id, action, from_status, to_status, comment) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, actor.id, action, from, to, comment?.trim() || null],
    );
  }

  /** The audit trail of one application. */
  async events(actor: Actor, id: number): Promise<StatusEventDto[]> {
    await this.get(actor, id);
    const rows = await this.ds.query<
      Array<{ action: string; display_name: string; from_status: string | null; to_status: string; comment: string | null; at: Date }>
    >(
      `SELECT ev.action, u.display_name, ev.from_status, ev.to_status, ev.comment, ev.at FROM practice_application_events ev JOIN users u ON u.id = ev.actor_id
        WHERE ev.application_id = $1 ORDER BY ev.id`,
      [id],
    );
    return rows.map((r) => ({ action: r.action, actorName: r.display_name, from: r.from_status, to: r.to_status, comment: r.comment, at: r.at.toISOString() }));
  }

  /** The applications the actor reads: their own (teacher), their school's, their enterprise's posts'; all for admins. */
  async list(
    actor: Actor,
    f: { ids?: number[]; postId?: number; status?: string[]; teacherId?: number },
    sort: { field: 'id' | 'updatedAt'; order: 'ASC' | 'DESC' },
    range: { start: number; end: number },
  ): Promise<{ rows: PracticeApplicationDto[]; total: number }> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (!isAdmin(actor)) {
      const parts = [`a.teacher_id = $${params.push(actor.id)}`];
      if (hasRole(actor, 'school_admin')) parts.push(`a.school_id = $${params.push(actor.organisationId)}`);
      if (hasRole(actor, 'enterprise_applicant')) parts.push(`p.enterprise_id = $${params.push(actor.organisationId)}`);
      where.push(`(${parts.join(' OR ')})`);
    }
    if (f.ids) where.push(`a.id = ANY($${params.push(f.ids)}::bigint[])`);
    if (f.postId) where.push(`a.post_id = $${params.push(f.postId)}`);
    if (f.status?.length) where.push(`a.status = ANY($${params.push(f.status)})`);
    if (f.teacherId) where.push(`a.teacher_id = $${params.push(f.teacherId)}`);
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n ${FROM} ${cond}`, params);
    const order = { id: 'a.id', updatedAt: 'a.updated_at' }[sort.field];
    const rows = await this.ds.query<ApplicationRow[]>(
      `${SELECT} ${cond} ORDER BY ${order} ${sort.order}, a.id OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    return { rows: rows.map((r) => this.toDto(actor, r)), total: n };
  }
}
