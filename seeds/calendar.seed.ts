import { addDays } from '@portal/contracts';
import type { EntityManager } from 'typeorm';

/**
 * China's official public holidays and 调休 make-up working days (国务院办公厅 notices on holiday
 * arrangements, 2023-2026), the data the working-day SLA and 公示 windows are counted on. An admin keeps
 * it current (calendar_days table); weekends not listed here are rest days, weekdays are working days.
 */
const HOLIDAYS: Record<string, string[]> = {
  元旦: ['2023-01-02', '2024-01-01', '2025-01-01', '2026-01-01', '2026-01-02'],
  春节: [
    ...range('2023-01-21', '2023-01-27'),
    ...range('2024-02-10', '2024-02-17'),
    ...range('2025-01-28', '2025-02-04'),
    ...range('2026-02-15', '2026-02-23'),
  ],
  清明节: ['2023-04-05', ...range('2024-04-04', '2024-04-06'), ...range('2025-04-04', '2025-04-06'), ...range('2026-04-04', '2026-04-06')],
  劳动节: [
    ...range('2023-04-29', '2023-05-03'),
    ...range('2024-05-01', '2024-05-05'),
    ...range('2025-05-01', '2025-05-05'),
    ...range('2026-05-01', '2026-05-05'),
  ],
  端午节: [...range('2023-06-22', '2023-06-24'), '2024-06-10', ...range('2025-05-31', '2025-06-02'), ...range('2026-06-19', '2026-06-21')],
  中秋节: ['2024-09-15', '2024-09-16', '2024-09-17', ...range('2026-09-25', '2026-09-27')],
  国庆节: [
    ...range('2023-09-29', '2023-10-06'),
    ...range('2024-10-01', '2024-10-07'),
    ...range('2025-10-01', '2025-10-08'),
    ...range('2026-10-01', '2026-10-07'),
  ],
};

/** Weekend days that are working days (调休). */
const MAKEUP_WORKDAYS: Record<string, string[]> = {
  春节调休: ['2023-01-28', '2023-01-29', '2024-02-04', '2024-02-18', '2025-01-26', '2025-02-08', '2026-02-14', '2026-02-28'],
  清明节调休: ['2024-04-07'],
  劳动节调休: ['2023-04-23', '2023-05-06', '2024-04-28', '2024-05-11', '2025-04-27', '2026-05-09'],
  端午节调休: ['2023-06-25'],
  中秋节调休: ['2024-09-14'],
  国庆节调休: ['2023-10-07', '2023-10-08', '2024-09-29', '2024-10-12', '2025-09-28', '2025-10-11', '2026-09-20', '2026-10-10'],
  元旦调休: ['2026-01-04'],
};

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    out.push(d);
  }
  return out;
}

export function calendarSeed(): Array<{ day: string; kind: 'holiday' | 'workday'; name: string }> {
  return [
    ...Object.entries(HOLIDAYS).flatMap(([name, days]) => days.map((day) => ({ day, kind: 'holiday' as const, name }))),
    ...Object.entries(MAKEUP_WORKDAYS).flatMap(([name, days]) => days.map((day) => ({ day, kind: 'workday' as const, name }))),
  ];
}

/** Idempotent; an admin's later edits of a seeded day are kept. */
export async function seedCalendar(em: EntityManager): Promise<void> {
  const rows = calendarSeed();
  await em.query(`INSERT INTO calendar_days (day, kind, name) SELECT * FROM unnest($1::date[], $2::text[], $3::text[]) ON CONFLICT (day) DO NOTHING`, [
    rows.map((r) => r.day),
    rows.map((r) => r.kind),
    rows.map((r) => r.name),
  ]);
}
