/**
 * Calendar dates as the portal's users and rules read them: in the city's time zone, never UTC (between 00:00
 * and 08:00 in Wenzhou the UTC date is still yesterday). Every "today", every printed date and every date
 * comparison goes through here. Dates are plain `YYYY-MM-DD` strings, so they compare as strings.
 */

/** The portal's time zone (Wenzhou). The database sessions use it too (see dataSourceOptions). */
export const PORTAL_TIME_ZONE = 'Asia/Shanghai';

const dayParts = new Intl.DateTimeFormat('en-CA', { timeZone: PORTAL_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const offsetParts = new Intl.DateTimeFormat('en-US', { timeZone: PORTAL_TIME_ZONE, timeZoneName: 'longOffset' });

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The portal's calendar date of an instant, YYYY-MM-DD. */
export function portalDate(at: Date | string | number = new Date()): string {
  const d = at instanceof Date ? at : new Date(at);
  const p = Object.fromEntries(dayParts.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today in the portal's time zone, YYYY-MM-DD. */
export function portalToday(): string {
  return portalDate(new Date());
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDay(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO_DAY.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function parts(day: string): [number, number, number] {
  const m = ISO_DAY.exec(day);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function format(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The date n calendar days after `day` (n may be negative). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = parts(day);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The same date n years later; 29 February becomes 28 February in a year without one. */
export function addYears(day: string, n: number): string {
  const [y, m, d] = parts(day);
  const year = y + n;
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return format(year, m, Math.min(d, last));
}

/** The portal's UTC offset at an instant, in milliseconds (read from the time-zone data, not assumed). */
function offsetMs(at: Date): number {
  const name = offsetParts.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** The instant a portal calendar date starts (00:00 in the portal's time zone). */
export function startOfPortalDay(day: string): Date {
  const [y, m, d] = parts(day);
  const utcMidnight = Date.UTC(y, m - 1, d);
  return new Date(utcMidnight - offsetMs(new Date(utcMidnight)));
}

/** The last millisecond of a portal calendar date (23:59:59.999 in the portal's time zone). */
export function endOfPortalDay(day: string): Date {
  return new Date(startOfPortalDay(addDays(day, 1)).getTime() - 1);
}

/** 2026年3月10日, as an official document writes a date. Takes a YYYY-MM-DD date or an instant. */
export function chineseDate(at: string | Date): string {
  const day = typeof at === 'string' && ISO_DAY.test(at) ? at : portalDate(at);
  const [y, m, d] = parts(day);
  return `${y}年${m}月${d}日`;
}

const timeParts = new Intl.DateTimeFormat('en-GB', { timeZone: PORTAL_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** An instant as a datetime-local input holds it, in the portal's time zone: 2026-11-30T09:05. */
export function portalDateTimeLocal(at: Date): string {
  const p = Object.fromEntries(timeParts.formatToParts(at).map((x) => [x.type, x.value]));
  return `${portalDate(at)}T${p.hour}:${p.minute}`;
}

/** The instant of a datetime-local value (YYYY-MM-DDTHH:mm) read in the portal's time zone; null if malformed. */
export function fromPortalDateTimeLocal(value: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m || !isIsoDay(m[1]) || Number(m[2]) > 23 || Number(m[3]) > 59) return null;
  return new Date(startOfPortalDay(m[1]).getTime() + (Number(m[2]) * 60 + Number(m[3])) * 60_000);
}
