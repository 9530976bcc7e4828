import { addDays, addYears } from '@portal/contracts';

/**
 * The 5-year ledger of 《职业学校教师企业实践规定》(教师〔2016〕3号, seed task 47), exactly as DOMAIN.md §3
 * states it: a counted record with end date e and h hours counts on every date d with e ≤ d < addYears(e, W)
 * (29 February + W years is 28 February when that year has none); months = hours / hoursPerMonth; the rule
 * is met on d when months ≥ requiredMonths. Pure: dates are 'YYYY-MM-DD' strings, which compare as strings.
 */

export interface LedgerPolicy {
  /** setting practice.hoursPerMonth (176) */
  hoursPerMonth: number;
  /** setting practice.requiredMonths (6) */
  requiredMonths: number;
  /** setting practice.windowYears (5) */
  windowYears: number;
}

export interface LedgerRecord {
  endDate: string;
  hours: number;
}

export interface Ledger {
  hours: number;
  months: number;
  met: boolean;
  /** when met: the last date on which the rule stays met with these records (none added later) */
  lastMetDate: string | null;
}

/** The first date a record no longer counts: its end date plus the window's years. */
export function leavesOn(endDate: string, policy: Pick<LedgerPolicy, 'windowYears'>): string {
  return addYears(endDate, policy.windowYears);
}

/** Whether a record counts on a date. */
export function countsOn(r: LedgerRecord, day: string, policy: Pick<LedgerPolicy, 'windowYears'>): boolean {
  return r.endDate <= day && day < leavesOn(r.endDate, policy);
}

/** Hours that meet the rule: compared in whole hours, so months = hours / hoursPerMonth never rounds a teacher in or out. */
export function requiredHours(policy: LedgerPolicy): number {
  return policy.requiredMonths * policy.hoursPerMonth;
}

export function monthsOf(hours: number, policy: Pick<LedgerPolicy, 'hoursPerMonth'>): number {
  return Math.floor((hours / policy.hoursPerMonth) * 100) / 100;
}

/** Counted hours on a date. */
export function hoursOn(records: readonly LedgerRecord[], day: string, policy: Pick<LedgerPolicy, 'windowYears'>): number {
  let h = 0;
  for (const r of records) if (countsOn(r, day, policy)) h += r.hours;
  return h;
}

/**
 * The ledger as of a date. When met, the last met date: the total only changes on a record's end date (it
 * enters) and on its leaving date (it drops out), so walk those change points after `asOf` in order and stop
 * at the first where the total falls below the threshold; the day before is the last date the rule stays met.
 */
export function ledgerAsOf(records: readonly LedgerRecord[], asOf: string, policy: LedgerPolicy): Ledger {
  const need = requiredHours(policy);
  const hours = hoursOn(records, asOf, policy);
  const met = hours >= need;
  if (!met) return { hours, months: monthsOf(hours, policy), met, lastMetDate: null };
  const delta = new Map<string, number>();
  for (const r of records) {
    const leaves = leavesOn(r.endDate, policy);
    if (r.endDate > asOf) delta.set(r.endDate, (delta.get(r.endDate) ?? 0) + r.hours);
    if (leaves > asOf && r.endDate < leaves) delta.set(leaves, (delta.get(leaves) ?? 0) - r.hours);
  }
  let total = hours;
  let lastMetDate: string | null = null;
  for (const day of [...delta.keys()].sort()) {
    total += delta.get(day)!;
    if (total < need) {
      lastMetDate = addDays(day, -1);
      break;
    }
  }
  // every record leaves in the end, so the loop always stops below the threshold (need ≥ 1)
  return { hours, months: monthsOf(hours, policy), met, lastMetDate };
}
