import type { Prng } from './random.js';

const DAY = 86_400;

/**
 * When a generated case happened: closed cases spread over the last three years (so that trends by month are
 * not flat), open ones recent (their stage's due date near today, some overdue). Anchored at 09:00 of today in
 * Asia/Shanghai, so a run on one day gives the same times.
 */
export class Timeline {
  readonly now: number;

  constructor(now = Date.now()) {
    const shanghaiMidnight = Math.floor((now / 1000 + 8 * 3600) / DAY) * DAY - 8 * 3600;
    this.now = shanghaiMidnight + 9 * 3600;
  }

  /** t0 (epoch seconds) and the seconds between events of a case with `events` events. */
  place(events: number, closed: boolean, rnd: Prng): { t0: number; gap: number; year: number } {
    const gap = rnd.int(closed ? 3 : 1, closed ? 12 : 4) * DAY + rnd.int(0, 8) * 3600;
    const end = closed ? this.now - rnd.int(3, 1090) * DAY - rnd.int(0, 8) * 3600 : this.now - rnd.int(0, 6) * DAY - rnd.int(1, 8) * 3600;
    const t0 = end - (events - 1) * gap;
    return { t0, gap, year: new Date((t0 + 8 * 3600) * 1000).getUTCFullYear() };
  }
}
