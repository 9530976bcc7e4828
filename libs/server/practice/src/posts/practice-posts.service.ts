import { Injectable } from '@nestjs/common';
import { type EnterpriseChoiceDto, isIsoDay, type PracticePostDto, type PracticePostStatus } from '@portal/contracts';
import { DomainException } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { DataSource, type EntityManager } from 'typeorm';
import type { CreatePostDto } from '../http/practice.dto.js';
import { practiceApplicationWorkflow } from './practice-application.workflow.js';

interface PostRow {
  id: string;
  enterprise_id: number;
  enterprise_name: string;
  county_code: string | null;
  industry: string | null;
  title: string;
  major: string;
  openings: number;
  accepted: number;
  start_date: string;
  end_date: string;
  content: string;
  mentor_name: string;
  mentor_user_id: number | null;
  status: PracticePostStatus;
  created_at: Date;
  my_state: string | null;
}

/**
 * A post with its enterprise and the viewer's own live application on it (its case's state), if any: `viewer` is the
 * SQL parameter of the viewer's user id (the partial unique index of live applications finds it).
 */
const select = (viewer: string) => `SELECT p.*, o.name AS enterprise_name, o.county_code, o.industry,
    (SELECT c.state FROM practice_applications a JOIN cases c ON c.id = a.case_id WHERE a.post_id = p.id AND a.teacher_id = ${viewer} AND a.live) AS my_state
  FROM practice_posts p JOIN organisations o ON o.id = p.enterprise_id`;
const field = (name: string, message: string) => DomainException.validation(message, [{ field: name, messages: [message] }]);

export interface PostFilter {
  ids?: number[];
  enterpriseId?: number;
  major?: string;
  countyCode?: string;
  industry?: string;
  /** posts whose period overlaps [from, to] */
  from?: string;
  to?: string;
  status?: PracticePostStatus;
  /** only posts with openings left */
  available?: boolean;
  /** only posts on which the enterprise has accepted the viewer (the posts a teacher may log practice against) */
  acceptedForMe?: boolean;
  q?: string;
}

function toDto(r: PostRow): PracticePostDto {
  return {
    id: Number(r.id),
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    countyCode: r.county_code,
    industry: r.industry,
    title: r.title,
    major: r.major,
    openings: r.openings,
    accepted: r.accepted,
    remaining: r.openings - r.accepted,
    startDate: r.start_date,
    endDate: r.end_date,
    content: r.content,
    mentorName: r.mentor_name,
    mentorUserId: r.mentor_user_id,
    status: r.status,
    myApplication: r.my_state ? { state: r.my_state, stateLabel: practiceApplicationWorkflow.states[r.my_state]?.label ?? r.my_state } : null,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * 千企万岗 practice posts (task 47): an enterprise publishes them (county and industry are the enterprise's);
 * every logged-in user may search them; only the publishing enterprise changes one. The openings count down
 * as the enterprise accepts teachers (the application workflow's accept, through takeOpening: a conditional UPDATE).
 */
@Injectable()
export class PracticePostsService {
  constructor(private readonly ds: DataSource) {}

  private static publishes(actor: Actor): boolean {
    return actor.organisationKind === 'enterprise' && hasRole(actor, 'enterprise_applicant');
  }

  async create(actor: Actor, dto: CreatePostDto): Promise<PracticePostDto> {
    if (!PracticePostsService.publishes(actor)) throw DomainException.forbidden('只有企业可以发布实践岗位');
    if (!isIsoDay(dto.startDate)) throw field('startDate', '开始日期不是有效日期');
    if (!isIsoDay(dto.endDate)) throw field('endDate', '结束日期不是有效日期');
    if (dto.endDate < dto.startDate) throw field('endDate', '结束日期不能早于开始日期');
    if (dto.mentorUserId !== undefined) {
      const [u] = await this.ds.query<unknown[]>(`SELECT 1 FROM users WHERE id = $1 AND organisation_id = $2 AND active`, [
        dto.mentorUserId,
        actor.organisationId,
      ]);
      if (!u) throw field('mentorUserId', '企业导师账号应为本企业的在用账号');
    }
    const [r] = await this.ds.query<Array<{ id: string }>>(
      `INSERT INTO practice_posts (enterprise_id, title, major, openings, start_date, end_date, content, mentor_name, mentor_user_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        actor.organisationId,
        dto.title.trim(),
        dto.major.trim(),
        dto.openings,
        dto.startDate,
        dto.endDate,
        dto.content.trim(),
        dto.mentorName.trim(),
        dto.mentorUserId ?? null,
        actor.id,
      ],
    );
    return this.get(actor, Number(r.id));
  }

  async get(viewer: Actor, id: number): Promise<PracticePostDto> {
    const [r] = await this.ds.query<PostRow[]>(`${select('$2')} WHERE p.id = $1`, [id, viewer.id]);
    if (!r) throw DomainException.notFound('实践岗位');
    return toDto(r);
  }

  /** Open or close a post (its enterprise only). */
  async setStatus(actor: Actor, id: number, status: PracticePostStatus): Promise<PracticePostDto> {
    const post = await this.get(actor, id);
    if (post.enterpriseId !== actor.organisationId || !PracticePostsService.publishes(actor)) throw DomainException.forbidden('只有发布企业可以修改岗位');
    await this.ds.query(`UPDATE practice_posts SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);
    return this.get(actor, id);
  }

  async list(
    viewer: Actor,
    f: PostFilter,
    sort: { field: 'id' | 'startDate' | 'remaining'; order: 'ASC' | 'DESC' },
    range: { start: number; end: number },
  ): Promise<{ rows: PracticePostDto[]; total: number }> {
    const params: unknown[] = [];
    const where: string[] = ['true'];
    if (f.ids) where.push(`p.id = ANY($${params.push(f.ids)}::bigint[])`);
    if (f.acceptedForMe)
      where.push(
        `EXISTS (SELECT 1 FROM practice_applications a JOIN cases c ON c.id = a.case_id WHERE a.post_id = p.id AND a.teacher_id = $${params.push(viewer.id)} AND c.state = 'accepted')`,
      );
    if (f.enterpriseId) where.push(`p.enterprise_id = $${params.push(f.enterpriseId)}`);
    if (f.major) where.push(`p.major = $${params.push(f.major)}`);
    if (f.countyCode) where.push(`o.county_code = $${params.push(f.countyCode)}`);
    if (f.industry) where.push(`coalesce(o.industry, 'other') = $${params.push(f.industry)}`);
    if (f.from) where.push(`p.end_date >= $${params.push(f.from)}::date`);
    if (f.to) where.push(`p.start_date <= $${params.push(f.to)}::date`);
    if (f.status) where.push(`p.status = $${params.push(f.status)}`);
    if (f.available) where.push(`p.accepted < p.openings AND p.status = 'open'`);
    if (f.q)
      where.push(
        `(p.title ILIKE $${params.push(`%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)} OR o.name ILIKE $${params.length} OR p.major ILIKE $${params.length})`,
      );
    const cond = where.join(' AND ');
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM practice_posts p JOIN organisations o ON o.id = p.enterprise_id WHERE ${cond}`,
      params,
    );
    const order = { id: 'p.id', startDate: 'p.start_date', remaining: '(p.openings - p.accepted)' }[sort.field];
    const rows = await this.ds.query<PostRow[]>(
      `${select(`$${params.push(viewer.id)}`)} WHERE ${cond} ORDER BY ${order} ${sort.order}, p.id OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    return { rows: rows.map(toDto), total: n };
  }

  /**
   * A post as a practice record names it: its enterprise (the host), its mentor's account, and whether the enterprise
   * accepted this teacher on it (千企万岗: apply → the school approves → the enterprise accepts; only then is it the
   * teacher's practice to log).
   */
  async postForRecord(
    em: EntityManager,
    id: number,
    teacherId: number,
  ): Promise<{ enterpriseId: number; mentorUserId: number | null; accepted: boolean } | undefined> {
    const [r] = await em.query<Array<{ enterprise_id: number; mentor_user_id: number | null; accepted: boolean }>>(
      `SELECT p.enterprise_id, p.mentor_user_id,
              EXISTS (SELECT 1 FROM practice_applications a JOIN cases c ON c.id = a.case_id
                      WHERE a.post_id = p.id AND a.teacher_id = $2 AND c.state = 'accepted') AS accepted
         FROM practice_posts p WHERE p.id = $1`,
      [id, teacherId],
    );
    return r ? { enterpriseId: r.enterprise_id, mentorUserId: r.mentor_user_id, accepted: r.accepted } : undefined;
  }

  /**
   * Take one opening of the post, or none: one conditional UPDATE, so however many accepts run at once, no
   * more than `openings` succeed (each waits for the row lock of the one before and re-checks the condition).
   */
  async takeOpening(em: EntityManager, postId: number): Promise<boolean> {
    const [rows] = await em.query<[unknown[], number]>(
      `UPDATE practice_posts SET accepted = accepted + 1, updated_at = now() WHERE id = $1 AND accepted < openings RETURNING id`,
      [postId],
    );
    return rows.length > 0;
  }

  /** Whether the post takes applications now: open, with openings left. */
  async takesApplications(em: EntityManager, postId: number): Promise<{ enterpriseId: number; title: string } | string> {
    const [r] = await em.query<Array<{ enterprise_id: number; title: string; status: string; accepted: number; openings: number }>>(
      `SELECT enterprise_id, title, status, accepted, openings FROM practice_posts WHERE id = $1`,
      [postId],
    );
    if (!r) return '实践岗位不存在';
    if (r.status !== 'open') return '该岗位已关闭，不再接受申请';
    if (r.accepted >= r.openings) return '该岗位名额已满，不再接受申请';
    return { enterpriseId: r.enterprise_id, title: r.title };
  }

  /** Registered enterprises a teacher may name as host (name search; public facts only). */
  async hosts(q: string | undefined, range: { start: number; end: number }, ids?: number[]): Promise<{ rows: EnterpriseChoiceDto[]; total: number }> {
    const params: unknown[] = [];
    let where = `o.kind = 'enterprise'`;
    if (ids) where += ` AND o.id = ANY($${params.push(ids)}::int[])`;
    if (q?.trim())
      where += ` AND (o.name ILIKE $${params.push(`%${q.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)} OR o.credit_code = upper($${params.push(q.trim())}))`;
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM organisations o WHERE ${where}`, params);
    const rows = await this.ds.query<Array<{ id: number; name: string; county_code: string | null; industry: string | null }>>(
      `SELECT o.id, o.name, o.county_code, o.industry FROM organisations o WHERE ${where} ORDER BY o.name, o.id OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    return { rows: rows.map((r) => ({ id: r.id, name: r.name, countyCode: r.county_code, industry: r.industry })), total: n };
  }

  static canSeeAll(actor: Actor): boolean {
    return isAdmin(actor);
  }
}
