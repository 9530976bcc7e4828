import { addDays, endOfPortalDay } from '@portal/contracts';
import type { OutboxService, SettingsService } from '@portal/core';
import type { EntityManager } from 'typeorm';

/** When the report on `year` is due: the end of the configured month of the following year (Asia/Shanghai). */
export function annualReportDue(year: number, month: number): Date {
  // the last day of that month: the day before the first of the next one
  const nextMonth = month === 12 ? `${year + 2}-01-01` : `${year + 1}-${String(month + 1).padStart(2, '0')}-01`;
  return endOfPortalDay(addDays(nextMonth, -1));
}

/** Arm the reminder for a certification's report on `year` (idempotent: one per certification and year). */
export async function armAnnualReport(
  em: EntityManager,
  deps: { outbox: OutboxService; settings: SettingsService },
  certificationId: number,
  year: number,
): Promise<void> {
  const s = await deps.settings.all(em);
  const due = annualReportDue(year, s['certification.annualReportMonth']);
  const remindAt = new Date(due.getTime() - s['certification.annualReportReminderDays'] * 86_400_000);
  await deps.outbox.enqueue(
    em,
    'certification.annual-report',
    { certificationId, year, phase: 'remind' },
    { dedupeKey: `annual-report:${certificationId}:${year}:remind`, availableAt: remindAt },
  );
}
