import { calendarSeed } from '@portal/seeds';
import { addWorkingDays, isWorkingDay, shanghaiDate, workingDaysBetween, type DayKind } from './working-days.js';

const calendar = new Map<string, DayKind>(calendarSeed().map((d) => [d.day, d.kind]));
const at = (isoShanghai: string) => new Date(`${isoShanghai}+08:00`);

describe('working days on the official calendar', () => {
  it('counts Monday to Friday on an ordinary week', () => {
    // Mon 2025-03-10 + 5 working days = Mon 2025-03-17, end of day Shanghai
    expect(addWorkingDays(at('2025-03-10T09:00:00'), 5, calendar).toISOString()).toBe('2025-03-17T15:59:59.999Z');
  });

  it('skips the National Day holiday and counts its 调休 Saturday', () => {
    // 2025: 10-01..10-08 holiday; Sat 10-11 is a working day
    expect(isWorkingDay('2025-10-03', calendar)).toBe(false);
    expect(isWorkingDay('2025-10-11', calendar)).toBe(true);
    expect(isWorkingDay('2025-09-28', calendar)).toBe(true); // Sunday make-up day
    // Tue 2025-09-30 + 5: 10-09 (Thu), 10-10 (Fri), 10-11 (Sat, 调休), 10-13 (Mon), 10-14 (Tue)
    expect(shanghaiDate(addWorkingDays(at('2025-09-30T10:00:00'), 5, calendar))).toBe('2025-10-14');
  });

  it('skips the Spring Festival of 2026', () => {
    // Fri 2026-02-13 + 1 = Sat 2026-02-14 (调休 working day); + 2 = Tue 02-24 after the 02-15..02-23 holiday
    expect(shanghaiDate(addWorkingDays(at('2026-02-13T12:00:00'), 1, calendar))).toBe('2026-02-14');
    expect(shanghaiDate(addWorkingDays(at('2026-02-13T12:00:00'), 2, calendar))).toBe('2026-02-24');
  });

  it('takes the Shanghai date of an instant, not the UTC one', () => {
    // 2025-03-09T17:00Z is already Monday 03-10 01:00 in Shanghai
    expect(shanghaiDate(new Date('2025-03-09T17:00:00Z'))).toBe('2025-03-10');
  });

  it('measures working days between two instants', () => {
    expect(workingDaysBetween(at('2025-09-30T10:00:00'), at('2025-10-14T10:00:00'), calendar)).toBe(5);
    expect(workingDaysBetween(at('2025-10-14T10:00:00'), at('2025-09-30T10:00:00'), calendar)).toBe(0);
  });

  it('refuses a non-positive count', () => {
    expect(() => addWorkingDays(new Date(), 0, calendar)).toThrow();
  });
});
