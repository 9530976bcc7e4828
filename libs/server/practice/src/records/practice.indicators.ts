import { addDays, addMonths, COUNTY_CODES, INDUSTRY_CODES } from '@portal/contracts';
import type { IndicatorBucket, IndicatorLink, IndicatorPoint, IndicatorProvider, IndicatorScope } from '@portal/core';
import type { EntityManager } from 'typeorm';

/**
 * 入企实践人次 (task 47: 10,000+ person-times), from this feature's own tables. One counted practice record
 * (`practice_records.counted`: approved by the teacher's school, or imported by it as approved — the case state
 * 已认定) is one person-time. Whose is what:
 * - county: the county of the teacher's **school** (the county education bureau answers for its schools' teachers;
 *   the same county the bureau's read scope and the list filter `countyCode` use);
 * - industry: the **host** enterprise's ("5+5+N"; none, or a host not yet registered, counts as `other`);
 * - school: the teacher's school; enterprise scope: the host;
 * - trend: the person-times whose practice ended (`end_date`, a calendar date) by the end of each month.
 * Each link is the practice-records list with `counted: true` and the same conditions as filters
 * (`countyCode`, `industry`, `schoolId`, `hostOrgId`).
 */

/** The record `r` and its host `h` (a party named by id, or invited by credit code and registered since). */
const WITH_HOST = `FROM practice_records r
  LEFT JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host'
  LEFT JOIN organisations hi ON cp.organisation_id IS NULL AND hi.credit_code = cp.invited_credit_code
  LEFT JOIN organisations h ON h.id = coalesce(cp.organisation_id, hi.id)`;

/**
 * The rows a figure reads: the host's joins only where the figure needs the host (the enterprise scope, the split by
 * industry); the others read the partial index practice_records_counted_school (school_id, end_date) WHERE counted
 * alone — at 1,000,000 records the joins were most of the dashboard's time.
 */
const fromFor = (scope: IndicatorScope, host = false) => (host || scope.kind === 'enterprise' ? WITH_HOST : 'FROM practice_records r');

/** The scope as a condition on r (and h for an enterprise: see fromFor). */
export function recordScope(scope: IndicatorScope, params: unknown[]): string {
  switch (scope.kind) {
    case 'city':
      return 'TRUE';
    case 'county':
      return `r.school_id IN (SELECT id FROM organisations WHERE kind = 'school' AND county_code = $${params.push(scope.countyCode)})`;
    case 'school':
      return `r.school_id = $${params.push(scope.orgId)}`;
    case 'enterprise':
      return `h.id = $${params.push(scope.orgId)}`;
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
  async value(em: EntityManager, scope: IndicatorScope) {
    const params: unknown[] = [];
    const [{ n }] = await em.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n ${fromFor(scope)} WHERE r.counted AND ${recordScope(scope, params)}`,
      params,
    );
    return { value: n, count: n, link: link(recordScopeFilter(scope)) };
  },
  async byCounty(em, scope) {
    const params: unknown[] = [];
    const rows = await em.query<Grouped[]>(
      // by school first (the index), then the schools' counties
      `SELECT s.county_code AS key, sum(x.n)::int AS n
         FROM (SELECT r.school_id, count(*) AS n ${fromFor(scope)} WHERE r.counted AND ${recordScope(scope, params)} GROUP BY r.school_id) x
         JOIN organisations s ON s.id = x.school_id GROUP BY s.county_code`,
      params,
    );
    const keys = scope.kind === 'county' ? [scope.countyCode] : COUNTY_CODES;
    return buckets(keys, rows, (countyCode) => ({ ...recordScopeFilter(scope), countyCode }));
  },
  async byIndustry(em, scope) {
    const params: unknown[] = [];
    const rows = await em.query<Grouped[]>(
      `SELECT coalesce(h.industry, 'other') AS key, count(*)::int AS n ${fromFor(scope, true)} WHERE r.counted AND ${recordScope(scope, params)} GROUP BY 1`,
      params,
    );
    return buckets(INDUSTRY_CODES, rows, (industry) => ({ ...recordScopeFilter(scope), industry }));
  },
  async bySchool(em, scope) {
    const params: unknown[] = [];
    const rows = await em.query<Grouped[]>(
      `SELECT r.school_id::text AS key, count(*)::int AS n ${fromFor(scope)} WHERE r.counted AND ${recordScope(scope, params)} GROUP BY r.school_id`,
      params,
    );
    return bySchoolOrder(buckets(await schoolsOf(em, scope), rows, (schoolId) => ({ ...recordScopeFilter(scope), schoolId: Number(schoolId) })));
  },
  async trend(em, scope, months): Promise<IndicatorPoint[]> {
    if (!months.length) return [];
    // one pass: the records by the month they ended (those before the first month in the first), then summed up
    const params: unknown[] = [`${months[0]}-01`, addDays(addMonths(`${months[months.length - 1]}-01`, 1), -1)];
    const rows = await em.query<Array<{ month: string; n: number }>>(
      `SELECT to_char(greatest(r.end_date, $1::date), 'YYYY-MM') AS month, count(*)::int AS n ${fromFor(scope)}
        WHERE r.counted AND r.end_date <= $2::date AND ${recordScope(scope, params)} GROUP BY 1`,
      params,
    );
    const byMonth = new Map(rows.map((r) => [r.month, r.n]));
    let sum = 0;
    return months.map((month) => ({ month, value: (sum += byMonth.get(month) ?? 0) }));
  },
};
