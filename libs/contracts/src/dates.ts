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

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in a month of the (proleptic Gregorian) calendar: plain arithmetic on the date, no instant involved. */
function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDay(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO_DAY.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function parts(day: string): [number, number, number] {
  const m = ISO_DAY.exec(day);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function format(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Day number of a calendar date (days since 1970-01-01), and back: H. Hinnant's civil-date algorithms. */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function fromDayNumber(n: number): [number, number, number] {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** The date n calendar days after `day` (n may be negative). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = parts(day);
  return format(...fromDayNumber(dayNumber(y, m, d) + n));
}

/** Calendar days from `from` to `to` (both YYYY-MM-DD; negative when `to` is earlier): addDays(from, n) = to. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(...parts(to)) - dayNumber(...parts(from));
}

/** The same date n years later; 29 February becomes 28 February in a year without one. */
export function addYears(day: string, n: number): string {
  const [y, m, d] = parts(day);
  return format(y + n, m, Math.min(d, daysInMonth(y + n, m)));
}

/** The same date n months later (n may be negative); the month's last day when it has fewer days (31 January + 1 → 28 or 29 February). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = parts(day);
  const months = y * 12 + (m - 1) + n;
  const [yy, mm] = [Math.floor(months / 12), (((months % 12) + 12) % 12) + 1];
  return format(yy, mm, Math.min(d, daysInMonth(yy, mm)));
}

/** The last day of a month 'YYYY-MM'. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return format(y, m, daysInMonth(y, m));
}

/** The day of the week of a calendar date: 0 Sunday … 6 Saturday. */
export function weekday(day: string): number {
  const [y, m, d] = parts(day);
  return (((dayNumber(y, m, d) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
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
  const midnightAsIfUtc = dayNumber(y, m, d) * 86_400_000;
  return new Date(midnightAsIfUtc - offsetMs(new Date(midnightAsIfUtc)));
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
