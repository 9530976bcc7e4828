import { lastMonths } from '../kpis/kpis.service.js';
import { firstWorkingDay, nextMonth, previousMonth, reportDueAt } from './monthly-report.schedule.js';

describe('the monthly report’s schedule', () => {
  it('steps months across the year', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-03')).toBe('2026-04');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(lastMonths(3, '2026-02-10')).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(lastMonths(12, '2026-11-30')).toHaveLength(12);
  });

  it('finds the first working day after weekends and holidays, and counts a 调休 Saturday', () => {
    const none = new Map<string, 'holiday' | 'workday'>();
    // 2026-08-01 is a Saturday
    expect(firstWorkingDay('2026-08', none)).toBe('2026-08-03');
    // National Day: 1-7 October 2026 off (holidays), the next working day is the 8th
    const nationalDay = new Map<string, 'holiday' | 'workday'>(
      ['01', '02', '03', '04', '05', '06', '07'].map((d) => [`2026-10-${d}`, 'holiday'] as [string, 'holiday']),
    );
    expect(firstWorkingDay('2026-10', nationalDay)).toBe('2026-10-08');
    // a 调休 Saturday that is the 1st is itself the first working day
    expect(firstWorkingDay('2026-08', new Map([['2026-08-01', 'workday']]))).toBe('2026-08-01');
  });

  it('is due at 08:00 Wenzhou time on that day (00:00 UTC)', () => {
    expect(reportDueAt('2026-07', new Map()).toISOString()).toBe('2026-08-03T00:00:00.000Z');
    expect(reportDueAt('2026-12', new Map([['2027-01-01', 'holiday']])).toISOString()).toBe('2027-01-04T00:00:00.000Z');
  });
});
