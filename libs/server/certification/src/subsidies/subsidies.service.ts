import { Injectable } from '@nestjs/common';
import { SUBSIDY_STATUSES, type SubsidyDto, type SubsidyStatus, type SubsidyTotals } from '@portal/contracts';
import { DomainException, JobsService, OutboxService } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { WorkflowService } from '@portal/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { caseOfCertification } from '../certifications/certification-case.js';
import { enterpriseScope } from '../enterprise-scope.js';
import { subsidyNoticeRecovered } from '../certifications/certification-documents.js';
import { rmbDigits } from './money.js';

interface SubsidyRow {
  id: string;
  enterprise_id: number;
  enterprise_name: string;
  county_code: string | null;
  level: SubsidyDto['level'];
  certification_id: string;
  amount_fen: string;
  policy: 'full' | 'difference';
  status: Exclude<SubsidyStatus, 'notified'>;
  version: number;
  notice_id: string | null;
  notice_day: string | null;
  voucher_no: string | null;
  paid_on: string | null;
  paid_amount_fen: string | null;
  cancel_reason: string | null;
  recovery_voucher_no: string | null;
  recovered_on: string | null;
  recovered_amount_fen: string | null;
  created_at: Date;
}

/** The columns the visibility rule applies to. */
/**
 * The year a subsidy belongs to: the Wenzhou year it was granted (its certification decided). The year's budget
 * (setting certification.annualBudgetYuan) is measured against the subsidies of that year; the list's `year` filter.
 */
export const GRANT_YEAR = `extract(year FROM s.created_at AT TIME ZONE 'Asia/Shanghai')::int`;

const SCOPE = { enterprise: 's.enterprise_id', county: 's.county_code' };

/** A subsidy's notice stands: issued, and its latest generation not revoked. */
const NOTICE_STANDS = `EXISTS (SELECT 1 FROM documents d WHERE d.kind = 'subsidy_notice' AND d.subject_key = 'subsidy:' || s.id AND d.revoked_at IS NULL)`;

/**
 * The ledger's states that the stored status does not tell apart, as conditions on the subsidy row `s`: a pending
 * subsidy is 已发通知 (`notified`) while its notice stands, else 待发通知. The list's status filter, its totals and the
 * dashboard's ledger figures read these, so that a figure and the list it links to agree.
 */
export const SUBSIDY_STATE_SQL = {
  notified: `s.status = 'pending' AND ${NOTICE_STANDS}`,
  pending: `s.status = 'pending' AND NOT ${NOTICE_STANDS}`,
} as const;

/**
 * A subsidy with its enterprise and notice: the standing notice (the latest generation not revoked) and
 * the Asia/Shanghai day the first one was issued (payments are dated on or after it). Dates as text.
 */
const SELECT = `SELECT s.*, o.name AS enterprise_name, n.id AS notice_id, n.day AS notice_day,
  to_char(s.paid_at, 'YYYY-MM-DD') AS paid_on, to_char(s.recovered_at, 'YYYY-MM-DD') AS recovered_on
  FROM subsidies s JOIN organisations o ON o.id = s.enterprise_id
  LEFT JOIN LATERAL (SELECT max(d.id) FILTER (WHERE d.revoked_at IS NULL) AS id, to_char(min(d.issued_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
                       FROM documents d WHERE d.kind = 'subsidy_notice' AND d.subject_key = 'subsidy:' || s.id) n ON TRUE`;

/** A real calendar day written YYYY-MM-DD (2025-02-30 is not one). */
export function isCalendarDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Today in Asia/Shanghai as YYYY-MM-DD, from the database's clock. */
async function shanghaiToday(em: EntityManager): Promise<string> {
  const [{ today }]: Array<{ today: string }> = await em.query(`SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today`);
  return today;
}

export type { SubsidyTotals };

/**
 * The subsidy ledger (task 22): 待拨付 → 已发通知 (its notice exists) → 已拨付 (voucher, date, amount)
 * or 已撤销; a revoked certification turns a paid subsidy into 待追回. Finance officials see their
 * county's. Every change is a conditional update (status and version) with an append-only event.
 */
@Injectable()
export class SubsidiesService {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly jobs: JobsService,
    private readonly workflow: WorkflowService,
  ) {}

  toDto(r: SubsidyRow): SubsidyDto {
    const status: SubsidyStatus = r.status === 'pending' && r.notice_id ? 'notified' : r.status;
    return {
      id: Number(r.id),
      enterpriseId: r.enterprise_id,
      enterpriseName: r.enterprise_name,
      countyCode: r.county_code,
      level: r.level,
      certificationId: Number(r.certification_id),
      amountFen: Number(r.amount_fen),
      policy: r.policy,
      status,
      noticeDocumentId: r.notice_id === null ? null : Number(r.notice_id),
      noticeIssuedOn: r.notice_day,
      voucherNo: r.voucher_no,
      paidAt: r.paid_on,
      paidAmountFen: r.paid_amount_fen === null ? null : Number(r.paid_amount_fen),
      cancelReason: r.cancel_reason,
      recoveryVoucherNo: r.recovery_voucher_no,
      recoveredAt: r.recovered_on,
      recoveredAmountFen: r.recovered_amount_fen === null ? null : Number(r.recovered_amount_fen),
      version: r.version,
      createdAt: r.created_at.toISOString(),
    };
  }

  async list(
    actor: Actor,
    filter: { status?: string; level?: string; countyCode?: string; enterpriseId?: number; industry?: string; year?: number; ids?: number[] },
    range: { start: number; end: number },
  ): Promise<{ rows: SubsidyDto[]; total: number }> {
    const params: unknown[] = [];
    const where = [enterpriseScope(actor, params, SCOPE)];
    // the dashboard's split by industry ("5+5+N"): an enterprise without one counts as N (other)
    if (filter.industry) where.push(`coalesce(o.industry, 'other') = $${params.push(filter.industry)}`);
    if (filter.level) where.push(`s.level = $${params.push(filter.level)}`);
    if (filter.countyCode) where.push(`s.county_code = $${params.push(filter.countyCode)}`);
    if (filter.enterpriseId) where.push(`s.enterprise_id = $${params.push(filter.enterpriseId)}`);
    if (filter.year) where.push(`${GRANT_YEAR} = $${params.push(filter.year)}`);
    if (filter.ids) where.push(`s.id = ANY($${params.push(filter.ids)}::bigint[])`);
    if (filter.status === 'notified' || filter.status === 'pending') where.push(SUBSIDY_STATE_SQL[filter.status]);
    else if (filter.status) where.push(`s.status = $${params.push(filter.status)}`);
    const cond = where.join(' AND ');
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM subsidies s JOIN organisations o ON o.id = s.enterprise_id WHERE ${cond}`,
      params,
    );
    const rows: SubsidyRow[] = await this.ds.query(
      `${SELECT} WHERE ${cond} ORDER BY s.id DESC OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    return { rows: rows.map((r) => this.toDto(r)), total: n };
  }

  async get(actor: Actor, id: number, em: EntityManager = this.ds.manager): Promise<SubsidyDto> {
    const params: unknown[] = [id];
    const [r]: SubsidyRow[] = await em.query(`${SELECT} WHERE s.id = $1 AND ${enterpriseScope(actor, params, SCOPE)}`, params);
    if (!r) throw DomainException.notFound('补助');
    return this.toDto(r);
  }

  /** Finance of the subsidy's county (or city finance) acts on it; nobody else changes the ledger. */
  private assertFinance(actor: Actor, s: SubsidyDto): void {
    if (!hasRole(actor, 'finance')) throw DomainException.forbidden('只有财政部门可以登记拨付');
    if (actor.jurisdiction !== null && actor.jurisdiction !== s.countyCode) throw DomainException.forbidden('只能登记本县（市、区）的补助拨付');
  }

  /**
   * One change of the ledger: a conditional update (status and version), an append-only ledger event, and
   * the same on the hash chain of the case the certification came from (who, when, what and why).
   */
  private async change(
    actor: Actor,
    id: number,
    version: number | undefined,
    expected: SubsidyDto['status'][],
    to: SubsidyRow['status'],
    action: 'pay' | 'cancel' | 'recover',
    set: Record<string, unknown>,
    check: (s: SubsidyDto, em: EntityManager) => void | Promise<void>,
    after: { comment: string | null; notice?: { reason: string; statusLabel: string } },
  ): Promise<SubsidyDto> {
    const result = await this.ds.transaction(async (em) => {
      const s = await this.get(actor, id, em);
      await check(s, em);
      if (version !== undefined) {
        const [{ version: current }] = await em.query<Array<{ version: number }>>(`SELECT version FROM subsidies WHERE id = $1`, [id]);
        if (current !== version) throw new DomainException('VERSION_CONFLICT', '该补助已被他人更新，请刷新后重试', { currentVersion: current });
      }
      if (!expected.includes(s.status)) throw DomainException.conflict(`当前状态（${SUBSIDY_STATUSES[s.status]}）下不能执行此操作`);
      const cols = Object.keys(set);
      const [rows]: [unknown[], number] = await em.query(
        `UPDATE subsidies SET status = $2, version = version + 1, updated_at = now()${cols.map((c, i) => `, ${c} = $${i + 4}`).join('')}
          WHERE id = $1 AND status = $3 RETURNING id`,
        [id, to, s.status === 'notified' ? 'pending' : s.status, ...Object.values(set)],
      );
      if (!rows.length) throw DomainException.conflict('该补助已被他人更新，请刷新后重试');
      await em.query(`INSERT INTO subsidy_events (subsidy_id, actor_id, action, from_status, to_status, details) VALUES ($1, $2, $3, $4, $5, $6)`, [
        id,
        actor.id,
        action,
        s.status,
        to,
        JSON.stringify(set),
      ]);
      const ofCase = await caseOfCertification(em, s.certificationId);
      if (ofCase) {
        const details = Object.fromEntries(Object.entries(set).filter(([k]) => !k.endsWith('_by')));
        await this.workflow.recordEvent(em, ofCase.caseId, actor, {
          action: `subsidy_${action}`,
          comment: after.comment,
          payload: { subsidyId: id, level: s.level, from: s.status, to, ...details },
        });
      }
      if (after.notice) await this.outbox.enqueue(em, 'documents.revoke', { kind: 'subsidy_notice', subjectKey: `subsidy:${id}`, ...after.notice });
      return this.get(actor, id, em);
    });
    this.jobs.poke();
    return result;
  }

  /**
   * Record payment: voucher number, date and amount, once its notice is issued. A one-time subsidy is paid
   * in full: the amount is the notified amount (no balance is kept). The date is a real day, not before the
   * notice was issued and not after today (Asia/Shanghai).
   */
  pay(actor: Actor, id: number, p: { voucherNo: string; paidAt: string; amountFen: number; version?: number }): Promise<SubsidyDto> {
    return this.change(
      actor,
      id,
      p.version,
      ['notified'],
      'paid',
      'pay',
      { voucher_no: p.voucherNo, paid_at: p.paidAt, paid_amount_fen: p.amountFen, paid_by: actor.id },
      async (s, em) => {
        this.assertFinance(actor, s);
        if (p.amountFen !== s.amountFen)
          throw DomainException.validation(`拨付金额应等于通知书所列补助金额 ${rmbDigits(s.amountFen)}（一次性补助，全额拨付）`, [
            { field: 'amountYuan', messages: [`应为 ${s.amountFen / 100} 元`] },
          ]);
        await this.assertDay(em, 'paidAt', '拨付日期', p.paidAt, s.noticeIssuedOn, '补助通知书签发日期');
      },
      { comment: `拨付凭证 ${p.voucherNo}` },
    );
  }

  /** Cancel before payment (finance or the city), with a reason; its notice is revoked. */
  cancel(actor: Actor, id: number, p: { reason: string; version?: number }): Promise<SubsidyDto> {
    return this.change(
      actor,
      id,
      p.version,
      ['pending', 'notified'],
      'cancelled',
      'cancel',
      { cancel_reason: p.reason },
      (s) => {
        if (!hasRole(actor, 'city_reviewer') && !isAdmin(actor)) this.assertFinance(actor, s);
      },
      { comment: p.reason, notice: { reason: `补助已撤销：${p.reason}`, statusLabel: SUBSIDY_STATUSES.cancelled } },
    );
  }

  /**
   * A paid subsidy of a revoked certification has come back: its own voucher, date and amount (not more
   * than was paid, dated between the payment and today), kept apart from the payment's. Its notice then
   * reads 已追回 on the verification page.
   */
  recover(actor: Actor, id: number, p: { voucherNo: string; recoveredAt: string; amountFen: number; version?: number }): Promise<SubsidyDto> {
    return this.change(
      actor,
      id,
      p.version,
      ['to_recover'],
      'recovered',
      'recover',
      { recovery_voucher_no: p.voucherNo, recovered_at: p.recoveredAt, recovered_amount_fen: p.amountFen, recovered_by: actor.id },
      async (s, em) => {
        this.assertFinance(actor, s);
        const paid = s.paidAmountFen ?? 0;
        if (p.amountFen <= 0 || p.amountFen > paid)
          throw DomainException.validation(`追回金额应大于 0 且不超过已拨付金额 ${rmbDigits(paid)}`, [
            { field: 'amountYuan', messages: [`不超过 ${paid / 100} 元`] },
          ]);
        await this.assertDay(em, 'recoveredAt', '追回日期', p.recoveredAt, s.paidAt, '拨付日期');
      },
      {
        comment: `追回凭证 ${p.voucherNo}`,
        notice: subsidyNoticeRecovered(p.voucherNo),
      },
    );
  }

  /** A day that is real, not before `notBefore` and not after today in Asia/Shanghai. */
  private async assertDay(em: EntityManager, field: string, label: string, day: string, notBefore: string | null, notBeforeLabel: string): Promise<void> {
    if (!isCalendarDay(day)) throw DomainException.validation(`${label}不是有效的日期`, [{ field, messages: ['应为有效的日期（YYYY-MM-DD）'] }]);
    const today = await shanghaiToday(em);
    if (day > today) throw DomainException.validation(`${label}不能晚于今天（${today}）`, [{ field, messages: ['不能晚于今天'] }]);
    if (notBefore && day < notBefore)
      throw DomainException.validation(`${label}不能早于${notBeforeLabel}（${notBefore}）`, [{ field, messages: [`不能早于 ${notBefore}`] }]);
  }

  /** Totals by county and level: budgeted (granted), notified, paid, to recover — in fen. */
  async totals(actor: Actor): Promise<SubsidyTotals[]> {
    const params: unknown[] = [];
    const rows: Array<Record<string, string | null>> = await this.ds.query(
      `SELECT s.county_code, s.level, count(*)::int AS count,
              sum(s.amount_fen) FILTER (WHERE s.status NOT IN ('cancelled')) AS budgeted,
              sum(s.amount_fen) FILTER (WHERE ${SUBSIDY_STATE_SQL.notified}) AS notified,
              sum(s.paid_amount_fen) FILTER (WHERE s.status IN ('paid', 'to_recover', 'recovered')) AS paid,
              sum(s.paid_amount_fen) FILTER (WHERE s.status = 'to_recover') AS to_recover
         FROM subsidies s WHERE ${enterpriseScope(actor, params, SCOPE)} GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    return rows.map((r) => ({
      countyCode: r.county_code,
      level: r.level!,
      count: Number(r.count),
      budgetedFen: Number(r.budgeted ?? 0),
      notifiedFen: Number(r.notified ?? 0),
      paidFen: Number(r.paid ?? 0),
      toRecoverFen: Number(r.to_recover ?? 0),
    }));
  }
}
