/**
 * Working days on China's calendar: Monday-Friday unless a public holiday, plus the weekend days that
 * are 调休 working days. Dates are counted in Asia/Shanghai.
 */
import { addDays, endOfPortalDay, portalDate, weekday } from '@portal/contracts';

export type DayKind = 'holiday' | 'workday';
export type CalendarOverrides = ReadonlyMap<string, DayKind>;

/** The Shanghai calendar date of an instant, as YYYY-MM-DD. */
export const shanghaiDate = (at: Date): string => portalDate(at);

const nextDay = (day: string): string => addDays(day, 1);

export function isWorkingDay(day: string, calendar: CalendarOverrides): boolean {
  const kind = calendar.get(day);
  if (kind) return kind === 'workday';
  const dow = weekday(day);
  return dow !== 0 && dow !== 6;
}

/** The end (23:59:59.999 Shanghai) of the n-th working day after the day of `from` (n ≥ 1). */
export function addWorkingDays(from: Date, n: number, calendar: CalendarOverrides): Date {
  if (!Number.isInteger(n) || n < 1) throw new Error(`addWorkingDays: n must be a positive integer, got ${n}`);
  let day = shanghaiDate(from);
  let left = n;
  while (left > 0) {
    day = nextDay(day);
    if (isWorkingDay(day, calendar)) left--;
  }
  return endOfPortalDay(day);
}

/** Working days strictly after the day of `from` up to and including the day of `to` (0 if `to` is not later). */
export function workingDaysBetween(from: Date, to: Date, calendar: CalendarOverrides): number {
  let day = shanghaiDate(from);
  const end = shanghaiDate(to);
  let n = 0;
  while (day < end) {
    day = nextDay(day);
    if (isWorkingDay(day, calendar)) n++;
  }
  return n;
}
