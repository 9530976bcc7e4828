import { countsOn, hoursOn, leavesOn, ledgerAsOf, monthsOf, requiredHours, type LedgerPolicy } from './ledger.rules.js';

const P: LedgerPolicy = { hoursPerMonth: 176, requiredMonths: 6, windowYears: 5 };
const SIX_MONTHS = 6 * 176;

describe('the 5-year practice ledger (教师〔2016〕3号)', () => {
  it('counts a record from its end date until the day before its fifth anniversary', () => {
    const r = { endDate: '2021-03-10', hours: 100 };
    expect(countsOn(r, '2021-03-09', P)).toBe(false);
    expect(countsOn(r, '2021-03-10', P)).toBe(true);
    expect(countsOn(r, '2026-03-09', P)).toBe(true);
    expect(countsOn(r, '2026-03-10', P)).toBe(false);
  });

  it('a record ending on 29 February leaves on 28 February five years later', () => {
    expect(leavesOn('2024-02-29', P)).toBe('2029-02-28');
    const r = { endDate: '2024-02-29', hours: 10 };
    expect(countsOn(r, '2029-02-27', P)).toBe(true);
    expect(countsOn(r, '2029-02-28', P)).toBe(false);
    // a window of 4 years lands on a leap year again
    expect(leavesOn('2024-02-29', { windowYears: 4 })).toBe('2028-02-29');
  });

  it('exactly 6 months meets the rule; one hour short does not', () => {
    expect(requiredHours(P)).toBe(1056);
    const exact = ledgerAsOf([{ endDate: '2024-06-30', hours: SIX_MONTHS }], '2025-01-01', P);
    expect(exact).toEqual({ hours: 1056, months: 6, met: true, lastMetDate: '2029-06-29' });
    const short = ledgerAsOf([{ endDate: '2024-06-30', hours: SIX_MONTHS - 1 }], '2025-01-01', P);
    expect(short).toEqual({ hours: 1055, months: 5.99, met: false, lastMetDate: null });
  });

  it('the last met date is the day before the total first falls below the threshold', () => {
    const records = [
      { endDate: '2021-07-15', hours: 600 },
      { endDate: '2023-01-10', hours: 600 },
      { endDate: '2024-08-01', hours: 600 },
    ];
    // 1800 today; the 2021 record leaves on 2026-07-15 (1200, still met), the 2023 one on 2028-01-10 (600)
    expect(ledgerAsOf(records, '2025-11-29', P)).toMatchObject({ hours: 1800, met: true, lastMetDate: '2028-01-09' });
  });

  it('windows across years: records that enter after a past as-of date extend the met period', () => {
    const records = [
      { endDate: '2020-12-31', hours: 1056 },
      { endDate: '2025-12-30', hours: 1056 },
    ];
    // as of 2021: met by the first; the second enters on 2025-12-30, before the first leaves on 2025-12-31
    expect(ledgerAsOf(records, '2021-06-01', P)).toMatchObject({ met: true, lastMetDate: '2030-12-29' });
    // a gap of one day: the second ends on the first's leaving date + 1 → the rule lapses for that day
    const gap = [
      { endDate: '2020-12-31', hours: 1056 },
      { endDate: '2026-01-01', hours: 1056 },
    ];
    expect(ledgerAsOf(gap, '2021-06-01', P)).toMatchObject({ met: true, lastMetDate: '2025-12-30' });
  });

  it('sums only records in the window on the date and reads months with two decimals (rounded down)', () => {
    expect(
      hoursOn(
        [
          { endDate: '2019-01-01', hours: 500 },
          { endDate: '2022-01-01', hours: 300 },
        ],
        '2024-01-01',
        P,
      ),
    ).toBe(300);
    expect(monthsOf(1055, P)).toBe(5.99);
    expect(monthsOf(0, P)).toBe(0);
  });

  it('follows the settings', () => {
    const p = { hoursPerMonth: 100, requiredMonths: 2, windowYears: 3 };
    expect(ledgerAsOf([{ endDate: '2024-01-01', hours: 200 }], '2024-01-01', p)).toEqual({ hours: 200, months: 2, met: true, lastMetDate: '2026-12-31' });
  });
});
