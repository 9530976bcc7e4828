import { Injectable } from '@nestjs/common';
import {
  type ActionRequest,
  type EnterpriseChoiceDto,
  type EvidenceItem,
  isIsoDay,
  isValidCreditCode,
  majorName,
  ORDER_CLASS_CHECKLIST,
  type OrderClassDto,
} from '@portal/contracts';
import { DomainException } from '@portal/core';
import { hasRole, type Actor } from '@portal/identity';
import {
  canReadCase,
  caseReadScope,
  caseRowFrom,
  livePurposes,
  WorkflowService,
  type ActionHookContext,
  type PartyAcceptedContext,
  type ActOptions,
  type CaseRow,
  type Guard,
  type OpenParty,
} from '@portal/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import {
  CLASS_COLUMNS,
  classConditions,
  FROM_CLASSES,
  PARTNER_JOIN,
  registrationGaps,
  toOrderClassDto,
  type OrderClassFilter,
  type OrderClassRow,
} from './order-class.rows.js';
import { ENDED_EARLY_STATE, FILED_ENTRY_STATE, ORDER_CLASS_WORKFLOW } from './order-class.workflow.js';
import type { UpdateOrderClassDto } from '../http/order-class.dto.js';

export type { OrderClassFilter } from './order-class.rows.js';
export type OrderClassSort = { field: 'id' | 'name' | 'updatedAt' | 'cohortYear' | 'stageDueAt'; order: 'ASC' | 'DESC' };

/** The list's orders; `stageDueAt`: the current stage's deadline (a home page's pending classes, most urgent first). */
const ORDER = { id: 'oc.id', name: 'oc.name', updatedAt: 'c.updated_at', cohortYear: 'oc.cohort_year', stageDueAt: 'c.stage_due_at' } as const;
/** States in which the school edits the registration. */
const EDITABLE = new Set(['draft', 'returned']);

/**
 * 订单班 registrations: the school's form (saved as typed), the enterprise (registered, or invited by credit
 * code and e-mail: the engine's party), lists in the one read rule, every state change through the engine.
 */
@Injectable()
export class OrderClassesService {
  constructor(
    private readonly ds: DataSource,
    private readonly workflow: WorkflowService,
  ) {}

  /** The registration is complete (guard of submit/resubmit). */
  readonly completeGuard: Guard = async ({ row, em }) => {
    const r = await this.byCase(em, row.id);
    const gaps = registrationGaps(r, await livePurposes(em, row.id), ORDER_CLASS_CHECKLIST);
    if (r.term_start && r.term_end && r.term_end <= r.term_start) gaps.push('培养结束日期应晚于开始日期');
    return gaps.length ? `订单班信息不完整：请填写${gaps.join('、')}` : undefined;
  };

  /** What a submission freezes: the registration as the enterprise and the bureau saw it. */
  readonly snapshot = async (caseId: number, em: EntityManager): Promise<Record<string, unknown>> => {
    const r: Partial<OrderClassRow> = { ...(await this.byCase(em, caseId)) };
    // (the keys, the row's bookkeeping and what the filing and termination record are the engine's doing, not the registration's)
    for (const key of ['id', 'case_id', 'created_at', 'updated_at', 'data_version', 'filed_at', 'ended_at', 'filed_county_code', 'filed_industry'] as const)
      delete r[key];
    return r;
  };

  /**
   * Engine hook (in the transaction of every action): the instant the class was filed (entered `active`), with the
   * county and the partner's industry it is counted in from then on (migration 1795941000001) and, on the first
   * filing, the join date of the students added before it set to the term start; and the instant it was
   * terminated, kept on the class for the dashboard: now(), the instant of the transaction that made the transition
   * (its audit event is stamped a moment later in the same transaction).
   */
  readonly recordDates = async ({ em, before, after }: ActionHookContext): Promise<void> => {
    if (before.state === after.state) return;
    // the application's clock, on which the transition's audit event is stamped too (the database's may differ from it)
    const at = new Date();
    if (after.state === FILED_ENTRY_STATE) {
      // on the first filing: the students added before it joined when the class begins, its term start as filed
      // (joined_on was set when each was added, from the term start of then, which may have changed since, after a
      // return); those who joined by a recorded change while the class ran keep that change's date
      await em.query(
        `UPDATE order_class_students s SET joined_on = oc.term_start
           FROM order_classes oc
          WHERE oc.case_id = $1 AND oc.filed_at IS NULL AND oc.term_start IS NOT NULL AND s.order_class_id = oc.id
            AND s.status = 'enrolled' AND s.left_on IS NULL AND s.joined_on IS DISTINCT FROM oc.term_start
            AND NOT EXISTS (SELECT 1 FROM order_class_changes ch WHERE ch.student_id = s.id AND ch.kind = 'join')`,
        [after.id],
      );
      await em.query(
        `UPDATE order_classes oc SET filed_at = $2, filed_county_code = $3, filed_industry = coalesce(x.industry, 'other')
           FROM (SELECT oc.id, e.industry FROM order_classes oc ${PARTNER_JOIN} WHERE oc.case_id = $1) x
          WHERE oc.id = x.id AND oc.filed_at IS NULL`,
        [after.id, at, after.countyCode],
      );
    }
    if (after.state === ENDED_EARLY_STATE) await em.query(`UPDATE order_classes SET ended_at = $2 WHERE case_id = $1 AND ended_at IS NULL`, [after.id, at]);
  };

  /**
   * Engine hook: the invited enterprise accepted the invitation (InvitationsService), so it is the class's partner, as
   * if the school had picked it. The credit code and address it was invited by stay in the case's event.
   */
  readonly partnerAccepted = async ({ em, caseId, party, organisationId }: PartyAcceptedContext): Promise<void> => {
    if (party !== 'enterprise') return;
    await em.query(
      `UPDATE order_classes SET enterprise_id = $2, invited_credit_code = NULL, invited_email = NULL, updated_at = now(), data_version = data_version + 1 WHERE case_id = $1`,
      [caseId, organisationId],
    );
  };

  async byCase(em: EntityManager, caseId: number): Promise<OrderClassRow> {
    const [r] = await em.query<OrderClassRow[]>(`SELECT ${CLASS_COLUMNS} ${FROM_CLASSES} WHERE oc.case_id = $1`, [caseId]);
    if (!r) throw DomainException.notFound('订单班');
    return r;
  }

  async row(id: number, em: EntityManager = this.ds.manager): Promise<OrderClassRow> {
    const [r] = await em.query<OrderClassRow[]>(`SELECT ${CLASS_COLUMNS} ${FROM_CLASSES} WHERE oc.id = $1`, [id]);
    if (!r) throw DomainException.notFound('订单班');
    return r;
  }

  /** The class and its case if the actor may read it; a 404 that does not say whether it exists otherwise. */
  async readable(actor: Actor, id: number, em: EntityManager = this.ds.manager): Promise<{ cls: OrderClassRow; row: CaseRow }> {
    const cls = await this.row(id, em).catch(() => undefined);
    if (!cls) throw DomainException.notFound('订单班');
    const row = await this.workflow.readable(actor, ORDER_CLASS_WORKFLOW, Number(cls.case_id), em);
    return { cls, row };
  }

  /** Whether the actor is the owning school's admin (who edits the roster and sees full personal data). */
  ownsRoster(actor: Actor, cls: Pick<OrderClassRow, 'school_id'>): boolean {
    return actor.organisationId === cls.school_id && hasRole(actor, 'school_admin');
  }

  private async enterpriseParty(
    em: EntityManager,
    p: { enterpriseId?: number; invitedCreditCode?: string; invitedEmail?: string },
    caseId?: number,
  ): Promise<{ enterpriseId: number | null; invitedCreditCode: string | null; invitedEmail: string | null }> {
    if (p.enterpriseId !== undefined) {
      const [e] = await em.query<unknown[]>(`SELECT 1 FROM organisations WHERE id = $1 AND kind = 'enterprise'`, [p.enterpriseId]);
      if (!e) throw DomainException.validation('合作企业不存在', [{ field: 'enterpriseId', messages: ['请选择已注册的企业'] }]);
      return { enterpriseId: p.enterpriseId, invitedCreditCode: null, invitedEmail: null };
    }
    const code = p.invitedCreditCode?.toUpperCase();
    if (!code || !isValidCreditCode(code))
      throw DomainException.validation('被邀请企业的统一社会信用代码不正确', [{ field: 'invitedCreditCode', messages: ['统一社会信用代码校验位不正确'] }]);
    if (!p.invitedEmail) throw DomainException.validation('请填写被邀请企业的联系邮箱', [{ field: 'invitedEmail', messages: ['必填'] }]);
    // the class's invitation to this code stays one until accepted, even if the code has been registered since
    const pending = caseId === undefined ? undefined : await this.workflow.pendingInvitation(em, caseId, 'enterprise');
    if (pending?.creditCode === code) return { enterpriseId: null, invitedCreditCode: code, invitedEmail: p.invitedEmail };
    // a registered enterprise is named as such, even when the school typed its credit code
    const [known] = await em.query<Array<{ id: number; kind: string }>>(`SELECT id, kind FROM organisations WHERE credit_code = $1`, [code]);
    if (known && known.kind !== 'enterprise')
      throw DomainException.validation('该统一社会信用代码不属于企业', [{ field: 'invitedCreditCode', messages: ['不是企业的统一社会信用代码'] }]);
    if (known) return { enterpriseId: known.id, invitedCreditCode: null, invitedEmail: null };
    return { enterpriseId: null, invitedCreditCode: code, invitedEmail: p.invitedEmail };
  }

  private partyOf(e: { enterpriseId: number | null; invitedCreditCode: string | null; invitedEmail: string | null }): OpenParty {
    return e.enterpriseId !== null
      ? { party: 'enterprise', organisationId: e.enterpriseId }
      : { party: 'enterprise', invitedCreditCode: e.invitedCreditCode, invitedEmail: e.invitedEmail };
  }

  async create(
    actor: Actor,
    p: { name: string; enterpriseId?: number; invitedCreditCode?: string; invitedEmail?: string; majorCode?: string; cohortYear?: number },
  ): Promise<OrderClassDto> {
    if (actor.organisationKind !== 'school' || !hasRole(actor, 'school_admin')) throw DomainException.forbidden('只有学校管理员可以登记订单班');
    const id = await this.ds.transaction(async (em) => {
      const enterprise = await this.enterpriseParty(em, p);
      const [school] = await em.query<Array<{ name: string; county_code: string | null }>>(`SELECT name, county_code FROM organisations WHERE id = $1`, [
        actor.organisationId,
      ]);
      if (!school.county_code) throw DomainException.conflict('学校未登记所在县（市、区），无法确定备案的教育局，请联系管理员');
      const row = await this.workflow.open(em, {
        workflowKey: ORDER_CLASS_WORKFLOW,
        ownerOrgId: actor.organisationId,
        countyCode: school.county_code,
        title: `${school.name}：${p.name}`,
        actor,
        parties: [this.partyOf(enterprise)],
      });
      const [r] = await em.query<Array<{ id: string }>>(
        `INSERT INTO order_classes (case_id, school_id, enterprise_id, invited_credit_code, invited_email, name, major_code, cohort_year, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          row.id,
          actor.organisationId,
          enterprise.enterpriseId,
          enterprise.invitedCreditCode,
          enterprise.invitedEmail,
          p.name.trim(),
          p.majorCode ?? null,
          p.cohortYear ?? null,
          actor.id,
        ],
      );
      return Number(r.id);
    });
    return this.get(actor, id);
  }

  /**
   * Save the form as typed: the owning school's admin, while the registration is theirs to edit (draft or
   * returned), from the version they saw; under the case-row lock a submission takes.
   */
  async update(actor: Actor, id: number, edit: UpdateOrderClassDto): Promise<OrderClassDto> {
    await this.ds.transaction(async (em) => {
      const cls = await this.row(id, em).catch(() => undefined);
      const row = cls ? await this.workflow.loadRow(em, ORDER_CLASS_WORKFLOW, Number(cls.case_id), true) : undefined;
      if (!cls || !row || !(await canReadCase(actor, row, em))) throw DomainException.notFound('订单班');
      if (!this.ownsRoster(actor, cls)) throw DomainException.forbidden('只有举办学校可以修改订单班信息');
      const st = this.workflow.definition(ORDER_CLASS_WORKFLOW).states[row.state];
      if (!EDITABLE.has(row.state)) throw DomainException.conflict(`订单班处于“${st.label}”阶段，不能修改；如需修改，请等待退回或先撤回`);
      for (const f of ['termStart', 'termEnd'] as const) {
        const v = edit[f];
        if (v !== undefined && !isIsoDay(v)) throw DomainException.validation('日期不存在', [{ field: f, messages: ['日期不存在'] }]);
      }
      const start = edit.termStart ?? cls.term_start;
      const end = edit.termEnd ?? cls.term_end;
      if (start && end && end <= start) throw DomainException.validation('培养结束日期应晚于开始日期', [{ field: 'termEnd', messages: ['应晚于开始日期'] }]);
      const e = edit.employment;
      if (e && e.salaryMinYuan != null && e.salaryMaxYuan != null && e.salaryMinYuan > e.salaryMaxYuan)
        throw DomainException.validation('月薪下限高于上限', [{ field: 'employment.salaryMaxYuan', messages: ['不能低于下限'] }]);
      const sets: string[] = [];
      const params: unknown[] = [id, edit.dataVersion];
      if (edit.enterpriseId !== undefined || edit.invitedCreditCode !== undefined) {
        const enterprise = await this.enterpriseParty(em, edit, row.id);
        sets.push(
          `enterprise_id = $${params.push(enterprise.enterpriseId)}`,
          `invited_credit_code = $${params.push(enterprise.invitedCreditCode)}`,
          `invited_email = $${params.push(enterprise.invitedEmail)}`,
        );
        await this.workflow.setParty(em, row.id, this.partyOf(enterprise));
      }
      const plain: Array<[keyof UpdateOrderClassDto, string]> = [
        ['name', 'name'],
        ['majorCode', 'major_code'],
        ['cohortYear', 'cohort_year'],
        ['plannedHeadcount', 'planned_headcount'],
        ['termStart', 'term_start'],
        ['termEnd', 'term_end'],
        ['courses', 'courses'],
      ];
      for (const [field, column] of plain) if (edit[field] !== undefined) sets.push(`${column} = $${params.push(edit[field])}`);
      for (const [field, column] of [
        ['mentors', 'mentors'],
        ['internship', 'internship'],
        ['employment', 'employment'],
      ] as const)
        if (edit[field] !== undefined) sets.push(`${column} = $${params.push(JSON.stringify(edit[field]))}`);
      const [rows]: [unknown[], number] = await em.query(
        `UPDATE order_classes SET ${[...sets, 'data_version = data_version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 AND data_version = $2 RETURNING id`,
        params,
      );
      if (!rows.length) throw new DomainException('VERSION_CONFLICT', '订单班信息已在其他窗口修改，请刷新后再编辑', { currentVersion: cls.data_version });
      if (edit.name !== undefined) await this.workflow.retitle(em, row.id, `${cls.school_name}：${edit.name.trim()}`);
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: number): Promise<OrderClassDto> {
    const { cls, row } = await this.readable(actor, id);
    const enrolled = await this.enrolledCounts([Number(cls.id)]);
    return toOrderClassDto(cls, enrolled.get(Number(cls.id)) ?? 0, await this.workflow.summary(actor, row));
  }

  async act(actor: Actor, id: number, req: ActionRequest, opts: ActOptions = {}): Promise<OrderClassDto> {
    const { cls } = await this.readable(actor, id);
    await this.workflow.act(ORDER_CLASS_WORKFLOW, Number(cls.case_id), req, actor, opts);
    return this.get(actor, id);
  }

  /** Students on each class's roster today, one statement for a page. */
  private async enrolledCounts(ids: number[]): Promise<Map<number, number>> {
    const rows = await this.ds.query<Array<{ id: string; n: number }>>(
      `SELECT order_class_id AS id, count(*)::int AS n FROM order_class_students
        WHERE order_class_id = ANY($1) AND status = 'enrolled' AND left_on IS NULL GROUP BY order_class_id`,
      [ids],
    );
    return new Map(rows.map((r) => [Number(r.id), r.n]));
  }

  /** The WHERE clause of a list in the one read rule, with the filters. */
  where(actor: Actor, f: OrderClassFilter): { sql: string; params: unknown[] } {
    const scope = caseReadScope(actor, 1, ORDER_CLASS_WORKFLOW);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql, ...classConditions(f, params)];
    return { sql: where.join(' AND '), params };
  }

  async list(
    actor: Actor,
    filter: OrderClassFilter,
    sort: OrderClassSort,
    range: { start: number; end: number },
  ): Promise<{ rows: OrderClassDto[]; total: number }> {
    const { sql, params } = this.where(actor, filter);
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n ${FROM_CLASSES} WHERE ${sql}`, params);
    const rows = await this.ds.query<OrderClassRow[]>(
      `SELECT ${CLASS_COLUMNS} ${FROM_CLASSES} WHERE ${sql}
        ORDER BY ${ORDER[sort.field]} ${sort.order} NULLS LAST, oc.id OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    const cases: Array<Record<string, unknown>> = await this.ds.query(`SELECT * FROM cases WHERE id = ANY($1)`, [rows.map((r) => r.case_id)]);
    const summaries = await this.workflow.listSummaries(cases.map(caseRowFrom));
    const enrolled = await this.enrolledCounts(rows.map((r) => Number(r.id)));
    return {
      rows: rows.map((r) => toOrderClassDto(r, enrolled.get(Number(r.id)) ?? 0, summaries.get(Number(r.case_id))!)),
      total: n,
    };
  }

  /**
   * The enterprise's running and completed (filed) order classes as cooperation evidence for its certification
   * application: linked (order-classes/<id>), counted by the eligibility rules, frozen by its submission.
   */
  async evidenceFor(em: EntityManager, enterpriseOrgId: number): Promise<EvidenceItem[]> {
    const rows = await em.query<
      Array<{ id: string; name: string; school_name: string; major_code: string | null; cohort_year: number | null; state: string; n: number }>
    >(
      `SELECT oc.id, oc.name, s.name AS school_name, oc.major_code, oc.cohort_year, c.state,
              (SELECT count(*)::int FROM order_class_students st WHERE st.order_class_id = oc.id AND st.status = 'enrolled') AS n
         ${FROM_CLASSES}
        WHERE e.id = $1 AND c.workflow_key = $2 AND c.state IN ('active', 'reporting', 'closed')
        ORDER BY oc.id`,
      [enterpriseOrgId, ORDER_CLASS_WORKFLOW],
    );
    return rows.map((r) => ({
      type: 'order_class',
      description: `与${r.school_name}联合举办订单班“${r.name}”（${majorName(r.major_code) ?? '专业未填'}，${r.state === 'closed' ? '已结业' : '培养中'}）`,
      schoolName: r.school_name,
      ...(r.cohort_year ? { year: r.cohort_year } : {}),
      count: r.n,
      source: 'order_class',
      sourceRef: `order-classes/${r.id}`,
    }));
  }

  /** Of these classes, those the actor may open (`get` answers them, not a 404): the list's read rule, one statement for all. */
  async opens(em: EntityManager, actor: Actor, ids: number[]): Promise<Set<number>> {
    const { sql, params } = this.where(actor, { ids });
    const rows = await em.query<Array<{ id: string }>>(`SELECT oc.id ${FROM_CLASSES} WHERE ${sql}`, params);
    return new Set(rows.map((r) => Number(r.id)));
  }

  /**
   * Registered enterprises a school may name as the partner of a class (name or credit code contains `q`): the
   * public facts only. Schools' admins only (they register classes).
   */
  async enterpriseChoices(actor: Actor, q: string): Promise<EnterpriseChoiceDto[]> {
    if (actor.organisationKind !== 'school' || !hasRole(actor, 'school_admin')) throw DomainException.forbidden('只有学校管理员可以选择合作企业');
    const like = `%${q.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const rows = await this.ds.query<Array<{ id: number; name: string; credit_code: string | null; county_code: string | null; industry: string | null }>>(
      `SELECT id, name, credit_code, county_code, industry FROM organisations
        WHERE kind = 'enterprise' AND (name ILIKE $1 OR credit_code ILIKE $1) ORDER BY name LIMIT 20`,
      [like],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, creditCode: r.credit_code, countyCode: r.county_code, industry: r.industry }));
  }
}
