import { COUNTY_CODES, INDUSTRY_CODES, portalToday } from '@portal/contracts';
import type { IndicatorBucket, IndicatorLink, IndicatorPoint, IndicatorProvider, IndicatorScope } from '@portal/core';
import type { EntityManager } from 'typeorm';

/**
 * 入企实践人次 (task 47: 10,000+), from this feature's own tables. One counted practice record
 * (`practice_records.counted`: approved by the teacher's school, or imported by it as approved — the case state
 * 已认定) is one person-time. Whose is what:
 * - county: the county of the teacher's **school** (the county education bureau answers for its schools' teachers;
 *   the same county the bureau's read scope and the list filter `countyCode` use);
 * - industry: the **host** enterprise's when the record was counted (`counted_industry`; "5+5+N", none or a host not
 *   yet registered counts as `other`);
 * - school: the teacher's school; enterprise scope: the host;
 * - trend: the person-times whose practice ended (`end_date`, a calendar date) by the end of each month.
 * The city, a county and a school read the kept totals (migration 1795940000001, written in the transaction that counts
 * a record): practice_person_times by school and month, practice_industry_person_times by school and industry — tens of
 * thousands of rows where the records are a million; an enterprise (the host) reads its own records. Each link is the
 * practice-records list with `counted: true` and the same conditions as filters (`countyCode`, `industry`, `schoolId`, `hostOrgId`).
 * As of an earlier day (the monthly report's month end), the records counted by then (`counted_on`), read from the
 * records themselves: the kept totals are of today.
 */

/** The host's records: `r` with its host `h` (a party named by id, or invited by credit code and accepted since). */
const HOSTED = `FROM practice_records r
  LEFT JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host'
  LEFT JOIN organisations h ON h.id = cp.organisation_id`;

/**
 * The person-times of a scope as rows `x (school_id, n)` with `end_month` (by: 'month') or `industry` (by: 'industry'):
 * the kept totals for the city, a county and a school; an enterprise's (the host's) counted records, one row each.
 * With `day` before today, those counted on or before that day, from the records (one row each, every column).
 */
function personTimes(scope: IndicatorScope, params: unknown[], by: 'month' | 'industry' = 'month', day?: string): string {
  if (day !== undefined && day < portalToday()) return countedBy(scope, params, day);
  const kept = by === 'month' ? 'practice_person_times' : 'practice_industry_person_times';
  switch (scope.kind) {
    case 'city':
      return `${kept} x`;
    case 'county':
      return `(SELECT * FROM ${kept} WHERE school_id IN (SELECT id FROM organisations WHERE kind = 'school' AND county_code = $${params.push(scope.countyCode)})) x`;
    case 'school':
      return `(SELECT * FROM ${kept} WHERE school_id = $${params.push(scope.orgId)}) x`;
    case 'enterprise':
      return `(SELECT r.school_id, date_trunc('month', r.end_date)::date AS end_month, r.counted_industry AS industry, 1 AS n ${HOSTED}
                WHERE r.counted AND h.id = $${params.push(scope.orgId)}) x`;
  }
}

/** The scope's records counted on or before `day`, as rows `x (school_id, end_month, industry, n)` of one person-time each. */
function countedBy(scope: IndicatorScope, params: unknown[], day: string): string {
  const counted = `r.counted AND r.counted_on <= $${params.push(day)}::date`;
  const columns = `r.school_id, date_trunc('month', r.end_date)::date AS end_month, r.counted_industry AS industry, 1 AS n`;
  switch (scope.kind) {
    case 'city':
      return `(SELECT ${columns} FROM practice_records r WHERE ${counted}) x`;
    case 'county':
      return `(SELECT ${columns} FROM practice_records r
                WHERE ${counted} AND r.school_id IN (SELECT id FROM organisations WHERE kind = 'school' AND county_code = $${params.push(scope.countyCode)})) x`;
    case 'school':
      return `(SELECT ${columns} FROM practice_records r WHERE ${counted} AND r.school_id = $${params.push(scope.orgId)}) x`;
    case 'enterprise':
      return `(SELECT ${columns} ${HOSTED} WHERE ${counted} AND h.id = $${params.push(scope.orgId)}) x`;
  }
}

/** The same scope as filters of the practice-records list. */
export function recordScopeFilter(scope: IndicatorScope): Record<string, string | number> {
  switch (scope.kind) {
    case 'city':
      return {};
    case 'county':
      return { countyCode: scope.countyCode };
    case 'school':
      return { schoolId: scope.orgId };
    case 'enterprise':
      return { hostOrgId: scope.orgId };
  }
}

interface Grouped {
  key: string | null;
  n: number;
}

const link = (filter: Record<string, string | number>): IndicatorLink => ({ resource: 'practice-records', filter: { counted: true, ...filter } });

/** Every key of the dimension, zero where nothing is recorded, in the given order. */
function buckets(keys: readonly string[], rows: Grouped[], filter: (key: string) => Record<string, string | number>): IndicatorBucket[] {
  const byKey = new Map(rows.map((r) => [r.key ?? '', r.n]));
  return keys.map((key) => {
    const n = byKey.get(key) ?? 0;
    return { key, value: n, count: n, link: link(filter(key)) };
  });
}

/** The schools of a scope (every school city-wide, a county's schools, the one school), as bucket keys. */
export async function schoolsOf(em: EntityManager, scope: IndicatorScope): Promise<string[]> {
  const params: unknown[] = [];
  const where =
    scope.kind === 'county'
      ? `AND county_code = $${params.push(scope.countyCode)}`
      : scope.kind === 'school'
        ? `AND id = $${params.push(scope.orgId)}`
        : scope.kind === 'enterprise'
          ? 'AND FALSE'
          : '';
  const rows = await em.query<Array<{ id: number }>>(`SELECT id FROM organisations WHERE kind = 'school' ${where} ORDER BY id`, params);
  return rows.map((r) => String(r.id));
}

/** Buckets by school, the largest first (ties by school id), shares without data (null) last. */
export function bySchoolOrder(b: IndicatorBucket[]): IndicatorBucket[] {
  return b.sort((x, y) => (y.value ?? -1) - (x.value ?? -1) || Number(x.key) - Number(y.key));
}

export const practicePersonTimes: IndicatorProvider = {
  key: 'practice_person_times',
  label: '教师入企实践',
  unit: '人次',
  seedTask: 47,
  order: 60,
  appliesTo: ['city', 'county', 'school', 'enterprise'],
  async value(em: EntityManager, scope: IndicatorScope, day: string) {
    const params: unknown[] = [];
    const [{ n }] = await em.query<Array<{ n: number }>>(`SELECT coalesce(sum(x.n), 0)::int AS n FROM ${personTimes(scope, params, 'industry', day)}`, params);
    return { value: n, count: n, link: link(recordScopeFilter(scope)) };
  },
  async byCounty(em, scope, day) {
    const params: unknown[] = [];
    const rows = await em.query<Grouped[]>(
      // by school first (a few thousand sums), then the schools' counties
      `SELECT s.county_code AS key, sum(y.n)::int AS n
         FROM (SELECT x.school_id, sum(x.n) AS n FROM ${personTimes(scope, params, 'industry', day)} GROUP BY x.school_id) y
         JOIN organisations s ON s.kind = 'school' AND s.id = y.school_id GROUP BY s.county_code`,
      params,
    );
    const keys = scope.kind === 'county' ? [scope.countyCode] : COUNTY_CODES;
    return buckets(keys, rows, (countyCode) => ({ ...recordScopeFilter(scope), countyCode }));
  },
  async byIndustry(em, scope, day) {
    const params: unknown[] = [];
    const rows = await em.query<Grouped[]>(
      `SELECT x.industry AS key, sum(x.n)::int AS n FROM ${personTimes(scope, params, 'industry', day)} GROUP BY x.industry`,
      params,
    );
    return buckets(INDUSTRY_CODES, rows, (industry) => ({ ...recordScopeFilter(scope), industry }));
  },
  async bySchool(em, scope, day) {
    const params: unknown[] = [];
    const rows = await em.query<Grouped[]>(
      `SELECT x.school_id::text AS key, sum(x.n)::int AS n FROM ${personTimes(scope, params, 'industry', day)} GROUP BY x.school_id`,
      params,
    );
    return bySchoolOrder(buckets(await schoolsOf(em, scope), rows, (schoolId) => ({ ...recordScopeFilter(scope), schoolId: Number(schoolId) })));
  },
  async trend(em, scope, months): Promise<IndicatorPoint[]> {
    if (!months.length) return [];
    // one pass: the person-times by the month they ended (those before the first month in the first), then summed up
    const params: unknown[] = [`${months[0]}-01`, `${months[months.length - 1]}-01`];
    const rows = await em.query<Array<{ month: string; n: number }>>(
      // grouped by the month's date first: the month's name for the few groups only
      `SELECT to_char(g.month, 'YYYY-MM') AS month, g.n
         FROM (SELECT greatest(x.end_month, $1::date) AS month, sum(x.n)::int AS n FROM ${personTimes(scope, params)} WHERE x.end_month <= $2::date GROUP BY 1) g`,
      params,
    );
    const byMonth = new Map(rows.map((r) => [r.month, r.n]));
    let sum = 0;
    return months.map((month) => ({ month, value: (sum += byMonth.get(month) ?? 0) }));
  },
};
