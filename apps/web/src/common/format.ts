import { addDays, daysBetween, portalDate, portalToday } from '@portal/contracts';

/** Dates, money and counts as people in Wenzhou read them: Asia/Shanghai, 元 with two decimals, 10,000 grouped. */
const TZ = 'Asia/Shanghai';

const dateFmt = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** 2026-12-07 */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(dateFmt.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** 2026-12-07 15:30 */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(dateTimeFmt.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
}

/** Today in Shanghai as YYYY-MM-DD, optionally plus some calendar days. */
export function todayPlus(days = 0): string {
  return addDays(portalToday(), days);
}

/** This year in Wenzhou (not the browser's: at 03:00 on 1 January a browser on UTC is still in last year). */
export function portalYear(now: Date = new Date()): number {
  return Number(portalDate(now).slice(0, 4));
}

/**
 * Calendar days in Wenzhou from today until the moment's date: 0 on its own day, 1 the day before, -1 the day after
 * (whatever the hour and the browser's time zone). A deadline is the last millisecond of its day, so it is past
 * (the server's `overdue`) exactly when this is negative.
 */
export function daysUntil(iso: string | null | undefined, now: Date = new Date()): number | null {
  if (!iso) return null;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return null;
  return daysBetween(portalDate(now), portalDate(t));
}

const countFmt = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });

/** 10000 → "10,000" (a count or a target, as on the dashboard) */
export function formatCount(n: number): string {
  return countFmt.format(n);
}

const yuanFmt = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Integer fen → "50,000.00 元" */
export function formatFen(fen: number | null | undefined, unit = ' 元'): string {
  if (fen === null || fen === undefined) return '—';
  return `${yuanFmt.format(fen / 100)}${unit}`;
}

/** 1.2 MB, 340 KB */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
