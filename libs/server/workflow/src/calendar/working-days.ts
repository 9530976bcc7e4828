/**
 * Working days on China's calendar: Monday-Friday unless a public holiday, plus the weekend days that
 * are 调休 working days. Dates are counted in Asia/Shanghai.
 */
export type DayKind = 'holiday' | 'workday';
export type CalendarOverrides = ReadonlyMap<string, DayKind>;

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China has no daylight saving time

/** The Shanghai calendar date of an instant, as YYYY-MM-DD. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(day: string, calendar: CalendarOverrides): boolean {
  const kind = calendar.get(day);
  if (kind) return kind === 'workday';
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
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
  return new Date(new Date(`${day}T23:59:59.999Z`).getTime() - SHANGHAI_OFFSET_MS);
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
