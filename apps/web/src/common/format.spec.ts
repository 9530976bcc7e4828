import { endOfPortalDay } from '@portal/contracts';
import { daysUntil, portalYear } from './format.js';

/** An instant written as Wenzhou's wall clock (UTC+8, no summer time). */
const shanghai = (wall: string) => new Date(`${wall}+08:00`);

/**
 * The answers hold in any zone of the process (the helpers read Wenzhou's date through Intl, never the local one);
 * tests/at-hours.sh runs this file again in a process on UTC, as a browser there would be.
 */
describe('daysUntil: calendar days in Wenzhou, not 24-hour periods of the browser', () => {
  // a stage deadline as the server stores it: the last millisecond of 2026-12-07 in Wenzhou
  const due = endOfPortalDay('2026-12-07').toISOString();

  it('the cases straddle the UTC date: at 00:30 in Wenzhou a browser on UTC is still on the day before', () => {
    expect(due).toBe('2026-12-07T15:59:59.999Z');
    expect(shanghai('2026-12-08T00:30').toISOString().slice(0, 10)).toBe('2026-12-07');
  });

  it('0 all through the deadline’s own day, 1 on the day before at any hour', () => {
    expect(daysUntil(due, shanghai('2026-12-07T00:30'))).toBe(0);
    expect(daysUntil(due, shanghai('2026-12-07T15:00'))).toBe(0);
    expect(daysUntil(due, shanghai('2026-12-07T23:30'))).toBe(0);
    expect(daysUntil(due, shanghai('2026-12-06T00:30'))).toBe(1);
    expect(daysUntil(due, shanghai('2026-12-06T23:30'))).toBe(1);
    expect(daysUntil(due, shanghai('2026-12-04T12:00'))).toBe(3);
  });

  it('overdue (negative) from 00:00 of the next day, as the server says, and one more each day', () => {
    expect(daysUntil(due, shanghai('2026-12-08T00:30'))).toBe(-1);
    expect(daysUntil(due, shanghai('2026-12-08T15:00'))).toBe(-1); // 24-hour periods gave -0: no 逾期 chip all day
    expect(daysUntil(due, shanghai('2026-12-08T23:30'))).toBe(-1);
    expect(daysUntil(due, shanghai('2026-12-09T00:30'))).toBe(-2);
    expect(daysUntil(due, shanghai('2026-12-09T15:00'))).toBe(-2); // not 已逾期 1 天
  });

  it('across a year’s end, and with a deadline given mid-day', () => {
    expect(daysUntil(endOfPortalDay('2026-12-31').toISOString(), shanghai('2027-01-01T03:00'))).toBe(-1);
    expect(daysUntil('2027-01-01T02:00:00+08:00', shanghai('2026-12-31T23:30'))).toBe(1);
  });

  it('null without a moment or with a malformed one', () => {
    expect(daysUntil(null)).toBeNull();
    expect(daysUntil(undefined)).toBeNull();
    expect(daysUntil('')).toBeNull();
    expect(daysUntil('not a date')).toBeNull();
  });
});

describe('portalYear: the year in Wenzhou, whatever the browser’s clock says', () => {
  it('2027 from 00:00 on 1 January in Wenzhou, though a browser on UTC is still in 2026', () => {
    const newYear = shanghai('2027-01-01T03:00');
    expect(newYear.getUTCFullYear()).toBe(2026);
    expect(portalYear(newYear)).toBe(2027);
    expect(portalYear(shanghai('2027-01-01T00:00'))).toBe(2027);
    expect(portalYear(shanghai('2026-12-31T23:59'))).toBe(2026);
  });
});
