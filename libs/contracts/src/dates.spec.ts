import {
  addDays,
  addMonths,
  addYears,
  daysBetween,
  weekday,
  chineseDate,
  endOfPortalDay,
  fromPortalDateTimeLocal,
  isIsoDay,
  monthEnd,
  portalDate,
  portalDateTimeLocal,
  startOfPortalDay,
} from './dates.js';

describe('portal dates (Asia/Shanghai)', () => {
  it('gives the Shanghai date, not the UTC one, between 00:00 and 08:00', () => {
    // 2026-11-30 00:30 in Wenzhou is still 2026-11-29 in UTC
    expect(portalDate(new Date('2026-11-29T16:30:00Z'))).toBe('2026-11-30');
    expect(portalDate(new Date('2026-11-29T15:59:59.999Z'))).toBe('2026-11-29');
    // 23:30 in Wenzhou: both agree
    expect(portalDate(new Date('2026-11-30T15:30:00Z'))).toBe('2026-11-30');
  });

  it('knows where a Shanghai day starts and ends', () => {
    expect(startOfPortalDay('2026-11-30').toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(endOfPortalDay('2026-11-30').toISOString()).toBe('2026-11-30T15:59:59.999Z');
    expect(portalDate(startOfPortalDay('2026-01-01'))).toBe('2026-01-01');
    expect(portalDate(endOfPortalDay('2026-12-31'))).toBe('2026-12-31');
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-11-30', 0)).toBe('2026-11-30');
  });

  it('counts the calendar days between two dates, the inverse of addDays', () => {
    expect(daysBetween('2026-11-30', '2026-11-30')).toBe(0);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2028-03-01', '2028-02-28')).toBe(-2); // across a leap day, backwards
    expect(daysBetween('1999-12-31', '2000-12-31')).toBe(366);
    for (const n of [-400, -1, 0, 29, 365, 1461]) expect(daysBetween('2026-02-14', addDays('2026-02-14', n))).toBe(n);
  });

  it('counts days across centuries and knows the weekday', () => {
    expect(addDays('1999-12-31', 366)).toBe('2000-12-31'); // 2000 is a leap year
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01'); // 2100 is not
    expect(addDays('2026-11-30', -365 * 400 - 97)).toBe('1626-11-30');
    expect(weekday('2026-11-30')).toBe(1); // a Monday
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('1900-01-01')).toBe(1);
  });

  it('adds years, 29 February becoming 28 February', () => {
    expect(addYears('2024-02-29', 5)).toBe('2029-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2026-11-30', 3)).toBe('2029-11-30');
  });

  it('writes dates as official documents do', () => {
    expect(chineseDate('2026-03-10')).toBe('2026年3月10日');
    expect(chineseDate(new Date('2026-11-29T16:30:00Z'))).toBe('2026年11月30日');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDay('2026-02-28')).toBe(true);
    expect(isIsoDay('2028-02-29')).toBe(true);
    expect(isIsoDay('2026-02-29')).toBe(false);
    expect(isIsoDay('2026-13-01')).toBe(false);
    expect(isIsoDay('2026-1-1')).toBe(false);
    expect(isIsoDay(20261130)).toBe(false);
  });
});

describe('datetime-local values in the portal time zone', () => {
  it('round-trips an instant, whatever the browser time zone', () => {
    const at = new Date('2026-11-29T16:30:00Z');
    expect(portalDateTimeLocal(at)).toBe('2026-11-30T00:30');
    expect(fromPortalDateTimeLocal('2026-11-30T00:30')?.toISOString()).toBe('2026-11-29T16:30:00.000Z');
    expect(fromPortalDateTimeLocal('2026-02-30T00:30')).toBeNull();
    expect(fromPortalDateTimeLocal('2026-11-30T24:00')).toBeNull();
  });
});

describe("addMonths (the practice ledger's warning horizon)", () => {
  it('keeps the day, or the last day of a shorter month', () => {
    expect(addMonths('2025-11-29', 12)).toBe('2026-11-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-12-15', 3)).toBe('2026-03-15');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2025-01-15', -13)).toBe('2023-12-15');
  });
});

describe('monthEnd (the trends’ month ends)', () => {
  it('is the last day of the month, February of leap years included', () => {
    expect(['2025-01', '2025-02', '2024-02', '2100-02', '2000-02', '2026-04', '2026-12'].map(monthEnd)).toEqual([
      '2025-01-31',
      '2025-02-28',
      '2024-02-29',
      '2100-02-28',
      '2000-02-29',
      '2026-04-30',
      '2026-12-31',
    ]);
  });
});
