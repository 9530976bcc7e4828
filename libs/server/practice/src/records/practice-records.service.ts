import { Injectable } from '@nestjs/common';
import { isIsoDay, portalToday, type ActionRequest, type CaseSummaryInRecord, type EvidenceItem, type PracticeRecordDto } from '@portal/contracts';
import { DomainException, SettingsService, type ListTotal } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import {
  canReadCase,
  caseReadScope,
  caseRowFrom,
  WorkflowService,
  type ActionHookContext,
  type ActOptions,
  type OpenParty,
  type PartyAcceptedContext,
} from '@portal/workflow';
import { DocumentsService } from '@portal/documents';
import { DataSource, type EntityManager } from 'typeorm';
import type { PracticeRecordFieldsDto } from '../http/practice.dto.js';
import { PracticePostsService } from '../posts/practice-posts.service.js';
import { PRACTICE_WORKFLOW, recordTitle } from './practice.workflow.js';
import { certificateSubject, practiceRecordsSql as sql, type PracticeRecordRow, type RecordWrite } from './practice-records.repository.js';

const field = (name: string, message: string) => DomainException.validation(message, [{ field: name, messages: [message] }]);

/** Calendar days from start to end, both included (plain arithmetic on the dates). */
export function daysInPeriod(start: string, end: string): number {
  const n = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
  return n(end) - n(start) + 1;
}

export interface RecordListFilter {
  ids?: number[];
  state?: string[];
  teacherId?: number;
  schoolId?: number;
  hostOrgId?: number;
  counted?: boolean;
  caseId?: number;
  /** the county of the teacher's school */
  countyCode?: string;
  /** the host enterprise's industry ("5+5+N"; `other`: none, or an invited host that has not accepted yet) */
  industry?: string;
  q?: string;
}

/** The list's orders; `stageDueAt`: the current stage's deadline (a host's records to confirm, most urgent first). */
export type RecordListSort = { field: 'id' | 'startDate' | 'endDate' | 'updatedAt' | 'stageDueAt'; order: 'ASC' | 'DESC' };

/**
 * The education bureaus' reading of counted records (the figures of task 47 they answer for, and the lists the
 * dashboard links to): admins and city reviewers every counted record, a county reviewer those of its county's
 * schools. Work in progress stays with the teacher, the host and the school (the definition's read rule).
 */
function bureauReads(actor: Actor): { all: true } | { countyCode: string } | null {
  if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) return { all: true };
  if (hasRole(actor, 'county_reviewer') && actor.jurisdiction) return { countyCode: actor.jurisdiction };
  return null;
}

/**
 * The SQL condition (aliases r, c, s) selecting the records the actor reads, its parameters pushed onto `params`: the
 * engine's read rule, and for the bureaus the counted records (all of them, or of their county's schools) — the rule
 * of `get`, for lists and for the links of linked evidence.
 */
function readsRecords(actor: Actor, params: unknown[]): string {
  const scope = caseReadScope(actor, params.length + 1, PRACTICE_WORKFLOW);
  params.push(...scope.params);
  const bureau = bureauReads(actor);
  const reads = !bureau
    ? scope.sql
    : 'all' in bureau
      ? `(${scope.sql} OR r.counted)`
      : `(${scope.sql} OR (r.counted AND s.county_code = $${params.push(bureau.countyCode)}))`;
  return `${reads} AND c.workflow_key = '${PRACTICE_WORKFLOW}'`;
}

/**
 * How many hosted records a certification application lists one by one as linked evidence (the latest); the rest are
 * counted per year. A bound on the page's length, not a policy number.
 */
export const EVIDENCE_RECORDS_LISTED = 500;

/**
 * A teacher's practice records (DOMAIN.md §3): the teacher fills one in (host enterprise, period, hours, form,
 * content, outcomes), every state change goes through the engine (`practice-record`), and the action hook
 * writes what the actions mean for the record in act()'s transaction (the host's confirmed hours, a period
 * freed by a withdrawal or rejection, the record counted).
 */
@Injectable()
export class PracticeRecordsService {
  constructor(
    private readonly ds: DataSource,
    private readonly workflow: WorkflowService,
    private readonly settings: SettingsService,
    private readonly posts: PracticePostsService,
    private readonly documents: DocumentsService,
  ) {}

  /** The feature's work for each action, inside act()'s transaction (a throw rolls the action back). */
  readonly onAction = async ({ em, after, action, data }: ActionHookContext): Promise<void> => {
    if (action === 'confirm') {
      const r = await sql.byCase(em, after.id);
      const hours = Number(data?.hours);
      if (!r) throw new Error(`no practice record for case ${after.id}`);
      // against the teacher's claim, not an earlier confirmation: a record the school sent back to the host is confirmed anew
      if (hours > r.claimed_hours) throw field('data.hours', `确认学时不能超过教师填报的学时（${r.claimed_hours}），企业只能核减`);
      await sql.setHours(em, after.id, hours);
    } else if (action === 'withdraw' || action === 'reject') {
      await sql.release(em, after.id);
    } else if (action === 'approve') {
      await sql.count(em, after.id, portalToday());
    }
  };

  /** Engine hook: the invited host accepted the invitation (InvitationsService); the case's title names it now, not its credit code. */
  readonly hostAccepted = async ({ em, caseId, party, organisationId }: PartyAcceptedContext): Promise<void> => {
    if (party !== 'host') return;
    const [r] = await em.query<Array<{ teacher: string; host: string; start_date: string; end_date: string }>>(
      `SELECT t.display_name AS teacher, h.name AS host, r.start_date, r.end_date
         FROM practice_records r JOIN users t ON t.id = r.teacher_id JOIN organisations h ON h.id = $2 WHERE r.case_id = $1`,
      [caseId, organisationId],
    );
    if (r) await this.workflow.retitle(em, caseId, recordTitle(r.teacher, r.host, r.start_date, r.end_date));
  };

  /** What a submission freezes: the record as the teacher sent it. */
  readonly snapshot = async (caseId: number, em: EntityManager): Promise<Record<string, unknown>> => {
    const r = await sql.byCase(em, caseId);
    if (!r) return {};
    return {
      host: { id: r.host_org_id, name: r.host_name, invitedCreditCode: r.host_credit_code },
      postId: r.post_id === null ? null : Number(r.post_id),
      startDate: r.start_date,
      endDate: r.end_date,
      hours: r.claimed_hours,
      form: r.form,
      content: r.content,
      outcomes: r.outcomes,
    };
  };

  /**
   * The fields checked and the host resolved: dates real and the end not after today, hours within the period
   * (setting practice.maxHoursPerDay), the host a registered enterprise, or one invited by credit code and
   * e-mail, or the enterprise of the chosen post.
   */
  private async checked(
    em: EntityManager,
    teacherId: number,
    schoolId: number,
    dto: PracticeRecordFieldsDto,
    caseId?: number,
  ): Promise<{ write: RecordWrite; host: OpenParty; hostName: string }> {
    if (!isIsoDay(dto.startDate)) throw field('startDate', '开始日期不是有效日期');
    if (!isIsoDay(dto.endDate)) throw field('endDate', '结束日期不是有效日期');
    if (dto.endDate < dto.startDate) throw field('endDate', '结束日期不能早于开始日期');
    if (dto.endDate > portalToday()) throw field('endDate', '结束日期不能晚于今天：实践结束后再登记');
    const perDay = await this.settings.get('practice.maxHoursPerDay', em);
    const max = daysInPeriod(dto.startDate, dto.endDate) * perDay;
    if (dto.hours > max) throw field('hours', `学时不能超过实践天数 × 每天 ${perDay} 学时（本期最多 ${max} 学时）`);
    let hostOrgId = dto.hostOrgId ?? null;
    let mentorUserId: number | null = null;
    if (dto.postId !== undefined) {
      const post = await this.posts.postForRecord(em, dto.postId, teacherId);
      if (!post) throw field('postId', '岗位不存在');
      if (!post.accepted) throw field('postId', '只能登记企业已接收您的岗位：请先申请该岗位，经学校同意、企业接收后再登记');
      if (hostOrgId !== null && hostOrgId !== post.enterpriseId) throw field('hostOrgId', '接收企业应为所选岗位的发布企业');
      hostOrgId = post.enterpriseId;
      mentorUserId = post.mentorUserId;
    }
    let host: OpenParty;
    let hostName: string;
    if (hostOrgId !== null) {
      const [org] = await em.query<Array<{ id: number; name: string }>>(`SELECT id, name FROM organisations WHERE id = $1 AND kind = 'enterprise'`, [
        hostOrgId,
      ]);
      if (!org) throw field('hostOrgId', '接收企业不存在（未注册的企业请填写统一社会信用代码和邮箱邀请）');
      host = { party: 'host', organisationId: org.id, userId: mentorUserId };
      hostName = org.name;
    } else if (dto.hostCreditCode) {
      const code = dto.hostCreditCode.toUpperCase();
      const [org] = await em.query<Array<{ id: number; name: string; kind: string }>>(`SELECT id, name, kind FROM organisations WHERE credit_code = $1`, [
        code,
      ]);
      if (org && org.kind !== 'enterprise') throw field('hostCreditCode', '该统一社会信用代码不是企业');
      // the record's invitation to this code stays one until accepted, even if the code has been registered since
      const pending = caseId === undefined ? undefined : await this.workflow.pendingInvitation(em, caseId, 'host');
      if (pending?.creditCode === code) {
        host = { party: 'host', invitedCreditCode: code, invitedEmail: dto.hostEmail ?? pending.email };
        hostName = `受邀企业（${code}）`;
      } else if (org) {
        host = { party: 'host', organisationId: org.id };
        hostName = org.name;
      } else {
        if (!dto.hostEmail) throw field('hostEmail', '接收企业尚未注册：请填写其联系邮箱，平台将邀请其注册并接受邀请后确认学时');
        host = { party: 'host', invitedCreditCode: code, invitedEmail: dto.hostEmail };
        hostName = `受邀企业（${code}）`;
      }
    } else {
      throw field('hostOrgId', '请选择接收企业，或填写未注册企业的统一社会信用代码和邮箱');
    }
    return {
      write: {
        teacherId,
        schoolId,
        postId: dto.postId ?? null,
        startDate: dto.startDate,
        endDate: dto.endDate,
        hours: dto.hours,
        form: dto.form,
        content: dto.content.trim(),
        outcomes: (dto.outcomes ?? '').trim(),
      },
      host,
      hostName,
    };
  }

  /** A teacher logs a practice (a draft of their own, in their school). */
  async create(actor: Actor, dto: PracticeRecordFieldsDto): Promise<PracticeRecordDto> {
    if (!hasRole(actor, 'teacher') || actor.organisationKind !== 'school') throw DomainException.forbidden('只有教师可以登记本人的企业实践');
    const id = await this.ds.transaction(async (em) => {
      const { write, host, hostName } = await this.checked(em, actor.id, actor.organisationId, dto);
      const row = await this.workflow.open(em, {
        workflowKey: PRACTICE_WORKFLOW,
        ownerOrgId: actor.organisationId,
        countyCode: actor.organisationCountyCode,
        title: recordTitle(actor.displayName, hostName, write.startDate, write.endDate),
        actor,
        ownerUserId: actor.id,
        parties: [host],
      });
      return sql.insert(em, row.id, write, actor.id);
    });
    return this.get(actor, id);
  }

  /** The teacher corrects the record while it is theirs to edit (draft, returned); checked under the case lock. */
  async update(actor: Actor, id: number, dto: PracticeRecordFieldsDto & { dataVersion: number }): Promise<PracticeRecordDto> {
    await this.ds.transaction(async (em) => {
      const r = await sql.byId(em, id);
      const row = r ? await this.workflow.loadRow(em, PRACTICE_WORKFLOW, Number(r.case_id), true) : undefined;
      if (!r || !row || !(await canReadCase(actor, row, em))) throw DomainException.notFound('实践记录');
      if (row.ownerUserId !== actor.id) throw DomainException.forbidden('只有教师本人可以修改实践记录');
      const st = this.workflow.definition(PRACTICE_WORKFLOW).states[row.state];
      if (st.kind !== 'applicant') throw DomainException.conflict(`实践记录处于“${st.label}”阶段，不能修改`);
      const { write, host, hostName } = await this.checked(em, r.teacher_id, r.school_id, dto, row.id);
      if (!(await sql.update(em, id, dto.dataVersion, write)))
        throw new DomainException('VERSION_CONFLICT', '实践记录已在其他窗口修改，请刷新后再编辑', { currentVersion: r.data_version });
      await this.workflow.setParty(em, row.id, host);
      await this.workflow.retitle(em, row.id, recordTitle(actor.displayName, hostName, write.startDate, write.endDate));
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: number): Promise<PracticeRecordDto> {
    const r = await sql.byId(this.ds.manager, id);
    if (!r) throw DomainException.notFound('实践记录');
    const bureau = bureauReads(actor);
    const row =
      r.counted && bureau && ('all' in bureau || bureau.countyCode === r.school_county)
        ? (await this.workflow.loadRow(this.ds.manager, PRACTICE_WORKFLOW, Number(r.case_id)))!
        : await this.workflow.readable(actor, PRACTICE_WORKFLOW, Number(r.case_id));
    const certificates = await this.documents.validIds('practice_certificate', [certificateSubject(r.id)]);
    return toDto(r, await this.workflow.summary(actor, row), certificates.get(certificateSubject(r.id)) ?? null);
  }

  async act(actor: Actor, id: number, req: ActionRequest, opts: ActOptions = {}): Promise<PracticeRecordDto> {
    const r = await sql.byId(this.ds.manager, id);
    if (!r) throw DomainException.notFound('实践记录');
    await this.workflow.act(PRACTICE_WORKFLOW, Number(r.case_id), req, actor, opts);
    return this.get(actor, id);
  }

  /** A page of the records the actor reads (the engine's read rule), each with its light case summary. */
  async list(
    actor: Actor,
    f: RecordListFilter,
    sort: RecordListSort,
    range: { start: number; end: number },
  ): Promise<{ rows: PracticeRecordDto[]; total: ListTotal }> {
    const params: unknown[] = [];
    const where = [readsRecords(actor, params)];
    if (f.ids) where.push(`r.id = ANY($${params.push(f.ids)}::bigint[])`);
    if (f.state?.length) where.push(`c.state = ANY($${params.push(f.state)})`);
    if (f.teacherId) where.push(`r.teacher_id = $${params.push(f.teacherId)}`);
    if (f.schoolId) where.push(`r.school_id = $${params.push(f.schoolId)}`);
    if (f.hostOrgId) where.push(`h.id = $${params.push(f.hostOrgId)}`);
    if (f.counted !== undefined) where.push(`r.counted = $${params.push(f.counted)}`);
    if (f.caseId) where.push(`r.case_id = $${params.push(f.caseId)}`);
    if (f.countyCode) where.push(`s.county_code = $${params.push(f.countyCode)}`);
    // a counted record is in the industry it was counted in (counted_industry), another in its host's of today
    if (f.industry) where.push(`coalesce(r.counted_industry, h.industry, 'other') = $${params.push(f.industry)}`);
    if (f.q) where.push(`(t.display_name ILIKE $${params.push(`%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)} OR h.name ILIKE $${params.length})`);
    const order = { id: 'r.id', startDate: 'r.start_date', endDate: 'r.end_date', updatedAt: 'r.updated_at', stageDueAt: 'c.stage_due_at' }[sort.field];
    // a record without a stage deadline (a draft, a final state) after those with one, whichever the direction
    const nulls = sort.field === 'stageDueAt' ? ' NULLS LAST' : '';
    const { rows, total } = await sql.page(this.ds.manager, where.join(' AND '), params, `${order} ${sort.order}${nulls}`, range);
    const cases: Array<Record<string, unknown>> = await this.ds.query(`SELECT * FROM cases WHERE id = ANY($1)`, [rows.map((r) => r.case_id)]);
    const summaries = await this.workflow.listSummaries(cases.map(caseRowFrom));
    // the page's certificates in one statement, through the documents service that owns them
    const certificates = await this.documents.validIds(
      'practice_certificate',
      rows.map((r) => certificateSubject(r.id)),
    );
    return { rows: rows.map((r) => toDto(r, summaries.get(Number(r.case_id))!, certificates.get(certificateSubject(r.id)) ?? null)), total };
  }

  /**
   * Linked evidence for the host's certification application: its latest counted practice records, one item each
   * (the school and the hours; the teacher's name stays with the school), linked to the record; the records beyond
   * the first EVIDENCE_RECORDS_LISTED are not left out but counted, one item per year they ended ("及其他 N 人次",
   * count N, no link), so that every person-time and every year of cooperation still stands in the evidence.
   */
  async evidence(em: EntityManager, enterpriseId: number): Promise<EvidenceItem[]> {
    const rows = await sql.countedHostedBy(em, enterpriseId, EVIDENCE_RECORDS_LISTED);
    const items: EvidenceItem[] = rows.map((r) => ({
      type: 'practice_post' as const,
      description: `${r.school_name}教师企业实践（${r.hours} 学时，${r.end_date} 结束）`,
      schoolName: r.school_name,
      year: Number(r.end_date.slice(0, 4)),
      count: 1,
      source: 'practice_record' as const,
      sourceRef: `practice-records/${r.id}`,
    }));
    if (rows.length < EVIDENCE_RECORDS_LISTED) return items;
    const beyond = await sql.countedHostedBeyond(em, enterpriseId, EVIDENCE_RECORDS_LISTED);
    return [
      ...items,
      ...beyond.map((b) => ({
        type: 'practice_post' as const,
        description: `及其他 ${b.n} 人次教师企业实践（${b.year} 年结束，共 ${b.hours} 学时，未逐条列出）`,
        year: b.year,
        count: b.n,
        source: 'practice_record' as const,
      })),
    ];
  }

  /** Of these records, those the actor may open (`get` answers them, not a 404): one statement for all, for the links of linked evidence. */
  async opens(em: EntityManager, actor: Actor, ids: number[]): Promise<Set<number>> {
    const params: unknown[] = [];
    const reads = readsRecords(actor, params);
    return new Set(await sql.ids(em, `${reads} AND r.id = ANY($${params.push(ids)}::bigint[])`, params));
  }

  /** The record of a case (effects). */
  byCase(em: EntityManager, caseId: number): Promise<PracticeRecordRow | undefined> {
    return sql.byCase(em, caseId);
  }

  /** Whether the actor may see practice statistics (bureaus and admins). */
  static readsStats(actor: Actor): boolean {
    return isAdmin(actor) || hasRole(actor, 'city_reviewer', 'county_reviewer');
  }
}

export function toDto(r: PracticeRecordRow, summary: CaseSummaryInRecord, certificateId: number | null): PracticeRecordDto {
  return {
    id: Number(r.id),
    caseRef: `${PRACTICE_WORKFLOW}:${r.case_id}`,
    teacherId: r.teacher_id,
    teacherName: r.teacher_name,
    schoolId: r.school_id,
    schoolName: r.school_name,
    schoolCountyCode: r.school_county,
    hostOrgId: r.host_org_id,
    hostName: r.host_name,
    hostIndustry: r.host_industry,
    hostInvitedCreditCode: r.host_org_id === null ? r.host_credit_code : null,
    postId: r.post_id === null ? null : Number(r.post_id),
    startDate: r.start_date,
    endDate: r.end_date,
    hours: r.hours,
    claimedHours: r.claimed_hours,
    form: r.form,
    content: r.content,
    outcomes: r.outcomes,
    counted: r.counted,
    countedOn: r.counted_on,
    imported: r.imported,
    certificateId,
    dataVersion: r.data_version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    case: summary,
  };
}
