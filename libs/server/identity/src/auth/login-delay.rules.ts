import type { SettingValues } from '@portal/contracts';

/** When a username's next login attempt may be checked, after failures in a row (settings auth.*). */
export interface LoginDelayPolicy {
  /** failures in a row before the first delay */
  threshold: number;
  baseSeconds: number;
  capSeconds: number;
}

export function loginDelayPolicy(s: Pick<SettingValues, 'auth.maxFailedLogins' | 'auth.loginDelayBaseSeconds' | 'auth.lockMinutes'>): LoginDelayPolicy {
  return { threshold: s['auth.maxFailedLogins'], baseSeconds: s['auth.loginDelayBaseSeconds'], capSeconds: s['auth.lockMinutes'] * 60 };
}

/**
 * Seconds the next attempt must wait after `failures` failures in a row: none below the threshold, then
 * base · 2^(failures − threshold), at most the cap. A progressive delay, not a lock: it never outlasts the
 * cap, attempts inside it are answered like any failure without being checked or counted (so spamming does
 * not extend it), and a right password after it works. `LOGIN_DELAY_SQL` is the same rule in SQL.
 */
export function loginDelaySeconds(failures: number, p: LoginDelayPolicy): number {
  if (failures < p.threshold) return 0;
  return Math.min(p.capSeconds, p.baseSeconds * 2 ** Math.min(failures - p.threshold, 40));
}

/** loginDelaySeconds for `failures` = $failures with $2 threshold, $3 base, $4 cap (one atomic UPDATE uses it). */
export const LOGIN_DELAY_SQL = (failures: string) =>
  `CASE WHEN ${failures} >= $2 THEN LEAST($4::float8, $3::float8 * power(2::float8, LEAST(${failures} - $2, 40))) ELSE 0 END`;
