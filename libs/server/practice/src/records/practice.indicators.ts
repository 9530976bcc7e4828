import { COUNTY_CODES, INDUSTRY_CODES } from '@portal/contracts';
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

/** The record `r`, its school `s` and its host `h` (a party named by id, or invited by credit code and registered since). */
const FROM = `FROM practice_records r
  JOIN organisations s ON s.id = r.school_id
  LEFT JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host'
  LEFT JOIN organisations hi ON cp.organisation_id IS NULL AND hi.credit_code = cp.invited_credit_code
  LEFT JOIN organisations h ON h.id = coalesce(cp.organisation_id, hi.id)`;

/** The scope as a condition on r, s, h. */
export function recordScope(scope: IndicatorScope, params: unknown[]): string {
  switch (scope.kind) {
    case 'city':
      return 'TRUE';
    case 'county':
      return `s.county_code = $${params.push(scope.countyCode)}`;
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

/** Buckets by school, the largest first (ties by school id). */
export function bySchoolOrder(b: IndicatorBucket[]): IndicatorBucket[] {
  return b.sort((x, y) => y.value - x.value || Number(x.key) - Number(y.key));
}

/** The last day of each month 'YYYY-MM' as SQL. */
const MONTH_END = `((m.month || '-01')::date + interval '1 month' - interval '1 day')::date`;

export const practicePersonTimes: IndicatorProvider = {
  key: 'practice_person_times',
  label: '教师入企实践',
  unit: '人次',
  seedTask: 47,
  order: 60,
  appliesTo: ['city', 'county', 'school', 'enterprise'],
  async value(em: EntityManager, scope: IndicatorScope) {
    const params: unknown[] = [];
    const [{ n }] = await em.query<Array<{ n: number }>>(`SELECT count(*)::int AS n ${FROM} WHERE r.counted AND ${recordScope(scope, params)}`, params);
    return { value: n, count: n, link: link(recordScopeFilter(scope)) };
  },
  async byCounty(em, scope) {
    const params: unknown[] = [];
    const rows = await em.query<Grouped[]>(
      `SELECT s.county_code AS key, count(*)::int AS n ${FROM} WHERE r.counted AND ${recordScope(scope, params)} GROUP BY s.county_code`,
      params,
    );
    const keys = scope.kind === 'county' ? [scope.countyCode] : COUNTY_CODES;
    return buckets(keys, rows, (countyCode) => ({ ...recordScopeFilter(scope), countyCode }));
  },
  async byIndustry(em, scope) {
    const params: unknown[] = [];
    const rows = await em.query<Grouped[]>(
      `SELECT coalesce(h.industry, 'other') AS key, count(*)::int AS n ${FROM} WHERE r.counted AND ${recordScope(scope, params)} GROUP BY 1`,
      params,
    );
    return buckets(INDUSTRY_CODES, rows, (industry) => ({ ...recordScopeFilter(scope), industry }));
  },
  async bySchool(em, scope) {
    const params: unknown[] = [];
    const rows = await em.query<Grouped[]>(
      `SELECT r.school_id::text AS key, count(*)::int AS n ${FROM} WHERE r.counted AND ${recordScope(scope, params)} GROUP BY r.school_id`,
      params,
    );
    return bySchoolOrder(buckets(await schoolsOf(em, scope), rows, (schoolId) => ({ ...recordScopeFilter(scope), schoolId: Number(schoolId) })));
  },
  async trend(em, scope, months): Promise<IndicatorPoint[]> {
    const params: unknown[] = [months];
    const rows = await em.query<Array<{ month: string; n: number }>>(
      `SELECT m.month, count(x.id)::int AS n FROM unnest($1::text[]) AS m(month)
         LEFT JOIN (SELECT r.id, r.end_date ${FROM} WHERE r.counted AND ${recordScope(scope, params)}) x ON x.end_date <= ${MONTH_END}
        GROUP BY m.month ORDER BY m.month`,
      params,
    );
    return rows.map((r) => ({ month: r.month, value: r.n }));
  },
};
