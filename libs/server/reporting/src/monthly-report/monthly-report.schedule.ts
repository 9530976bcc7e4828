import { addDays, startOfPortalDay } from '@portal/contracts';
import { isWorkingDay, type CalendarOverrides } from '@portal/workflow';

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The first working day of a month on the portal's calendar (holidays and 调休 included), YYYY-MM-DD. */
export function firstWorkingDay(month: string, calendar: CalendarOverrides): string {
  let day = `${month}-01`;
  while (!isWorkingDay(day, calendar)) day = addDays(day, 1);
  return day;
}

/** Hour of the morning (Asia/Shanghai) at which the worker issues the report on that day. */
export const REPORT_HOUR = 8;

/** When the report on `month` is due: the first working day of the following month, 08:00 in Wenzhou. */
export function reportDueAt(month: string, calendar: CalendarOverrides): Date {
  return new Date(startOfPortalDay(firstWorkingDay(nextMonth(month), calendar)).getTime() + REPORT_HOUR * 3_600_000);
}
