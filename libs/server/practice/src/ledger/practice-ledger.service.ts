import { Injectable } from '@nestjs/common';
import { addMonths, portalToday, type PracticeLedgerDto } from '@portal/contracts';
import { SettingsService } from '@portal/core';
import { DataSource, type EntityManager } from 'typeorm';
import { practiceRecordsSql as sql } from '../records/practice-records.repository.js';
import { countsOn, leavesOn, ledgerAsOf, requiredHours, type LedgerPolicy } from './ledger.rules.js';

/** A teacher's status today, as the school's list shows it. */
export interface TeacherStatus {
  hours: number;
  months: number;
  met: boolean;
  lastMetDate: string | null;
  atRisk: boolean;
  /** the rule's threshold today (settings) */
  requiredHours: number;
  requiredMonths: number;
  /** the rule's window in years (setting practice.windowYears) */
  windowYears: number;
  /** the months `atRisk` looks ahead (setting practice.warnMonths) */
  warnMonths: number;
}

/**
 * The ledger of ledger.rules.ts over the counted records: the records that may count on a date or later are read
 * from the partial index (teacher, end date) in one range scan per teacher, and the rule is applied to them.
 */
@Injectable()
export class PracticeLedgerService {
  constructor(
    private readonly ds: DataSource,
    private readonly settings: SettingsService,
  ) {}

  async policy(em?: EntityManager): Promise<LedgerPolicy & { warnMonths: number }> {
    const s = await this.settings.all(em);
    return {
      hoursPerMonth: s['practice.hoursPerMonth'],
      requiredMonths: s['practice.requiredMonths'],
      windowYears: s['practice.windowYears'],
      warnMonths: s['practice.warnMonths'],
    };
  }

  /** A teacher's ledger as of a date (default today). The caller has checked who may read it. */
  async ledger(teacherId: number, asOf = portalToday()): Promise<PracticeLedgerDto> {
    const policy = await this.policy();
    const rows = await sql.ledgerRows(this.ds.manager, [teacherId], asOf, policy.windowYears);
    const records = rows.map((r) => ({ endDate: r.end_date, hours: r.hours }));
    const l = ledgerAsOf(records, asOf, policy);
    return {
      teacherId,
      asOf,
      hours: l.hours,
      months: l.months,
      requiredMonths: policy.requiredMonths,
      requiredHours: requiredHours(policy),
      windowYears: policy.windowYears,
      met: l.met,
      lastMetDate: l.lastMetDate,
      records: rows
        .filter((r) => countsOn({ endDate: r.end_date, hours: r.hours }, asOf, policy))
        .map((r) => ({
          id: Number(r.id),
          startDate: r.start_date,
          endDate: r.end_date,
          hours: r.hours,
          hostName: r.host_name,
          leavesOn: leavesOn(r.end_date, policy),
        })),
    };
  }

  /** Today's status of a page of teachers, in one statement whatever the page's length. */
  async statuses(teacherIds: readonly number[], em: EntityManager = this.ds.manager): Promise<Map<number, TeacherStatus>> {
    const policy = await this.policy(em);
    const today = portalToday();
    const horizon = addMonths(today, policy.warnMonths);
    const rows = await sql.ledgerHours(em, teacherIds, today, policy.windowYears);
    const byTeacher = new Map<number, Array<{ endDate: string; hours: number }>>();
    for (const r of rows) {
      const list = byTeacher.get(r.teacher_id) ?? [];
      list.push({ endDate: r.end_date, hours: r.hours });
      byTeacher.set(r.teacher_id, list);
    }
    const out = new Map<number, TeacherStatus>();
    for (const id of teacherIds) {
      const l = ledgerAsOf(byTeacher.get(id) ?? [], today, policy);
      out.set(id, {
        ...l,
        atRisk: l.met && l.lastMetDate !== null && l.lastMetDate < horizon,
        requiredHours: requiredHours(policy),
        requiredMonths: policy.requiredMonths,
        windowYears: policy.windowYears,
        warnMonths: policy.warnMonths,
      });
    }
    return out;
  }

  /** The dates and threshold the school list's SQL filters compare with (statusSql). */
  async statusParams(em?: EntityManager): Promise<{ today: string; horizon: string; years: number; need: number }> {
    const policy = await this.policy(em);
    const today = portalToday();
    return { today, horizon: addMonths(today, policy.warnMonths), years: policy.windowYears, need: requiredHours(policy) };
  }
}
