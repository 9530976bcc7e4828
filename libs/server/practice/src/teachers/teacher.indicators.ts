import { COUNTY_CODES } from '@portal/contracts';
import type { IndicatorBucket, IndicatorFigure, IndicatorProvider, IndicatorScope } from '@portal/core';
import type { EntityManager } from 'typeorm';
import { bySchoolOrder, schoolsOf } from '../records/practice.indicators.js';

/**
 * The shares of the teachers' profiles (teacher_profiles of active users, by school), tasks 44 and 48:
 * - 兼职教师占比 (task 44: ≥ 20 %): part-time (兼职) teachers ÷ all teachers (专任 + 兼职, 专兼职教师总数);
 * - "双师型"教师占比 (task 48: ≥ 90 %): 双师型 teachers ÷ 专业课教师, the full-time (专任) teachers — every profile is a
 *   专业 teacher (its 专业 is required), and the 双师型 recognition (教师厅〔2022〕2号) is of 专任教师: a part-time
 *   teacher counts in neither the numerator nor the denominator.
 * Only active users count (a deactivated account has left the school). The county is the school's. The value is a
 * percentage with one decimal; with no teacher in the denominator it is null (count 0): nothing to measure, which
 * the dashboard and the monthly report show as 暂无数据, not as 0 %. `count` is the numerator (the teachers behind
 * the link): the teachers list with `active: true`, `employment`, `dualQualified` and the scope's `countyCode` / `schoolId`.
 * The shares are of the teachers as they are now, whatever day is asked (the monthly report's month end): a profile's
 * employment, 双师型 recognition and its user's `active` flag keep no history.
 */

/** The scope as a condition on the kept counts `tc` of a school `s`. */
function countsScope(scope: IndicatorScope, params: unknown[]): string {
  switch (scope.kind) {
    case 'city':
      return 'TRUE';
    case 'county':
      return `s.county_code = $${params.push(scope.countyCode)}`;
    case 'school':
      return `tc.school_id = $${params.push(scope.orgId)}`;
    case 'enterprise':
      return 'FALSE';
  }
}

function teacherScopeFilter(scope: IndicatorScope): Record<string, string | number> {
  if (scope.kind === 'county') return { countyCode: scope.countyCode };
  if (scope.kind === 'school') return { schoolId: scope.orgId };
  return {};
}

/** n ÷ d × 100 with one decimal; null when there is nobody to divide by (no data, not 0 %). */
export function sharePercent(n: number, d: number): number | null {
  return d > 0 ? Math.round((n * 1000) / d) / 10 : null;
}

interface Share {
  key: string;
  label: string;
  seedTask: number;
  order: number;
  /** who is in the denominator */
  of: (t: SchoolTeachers) => number;
  /** who is in the numerator (among the denominator) */
  counts: (t: SchoolTeachers) => number;
  /** the teachers-list filter selecting the numerator */
  filter: Record<string, string | boolean>;
}

/** The active teachers of one school: all, part-time, full-time, full-time 双师型. */
interface SchoolTeachers {
  school_id: number;
  county_code: string;
  total: number;
  part_time: number;
  full_time: number;
  dual: number;
}

interface SchoolShare {
  school_id: number;
  county_code: string;
  n: number;
  d: number;
}

/**
 * The active teachers per school of the scope (with its county), from the counts kept per school (teacher_counts,
 * migration 1795942000001: kept by triggers on every write of a profile and of a user's `active` flag): at 200,000
 * teachers, counting the profiles on every request took most of the dashboard's time.
 */
function teachersBySchool(em: EntityManager, scope: IndicatorScope): Promise<SchoolTeachers[]> {
  const params: unknown[] = [];
  return em.query<SchoolTeachers[]>(
    `SELECT tc.school_id, tc.total, tc.part_time, tc.full_time, tc.dual, s.county_code
       FROM teacher_counts tc JOIN organisations s ON s.kind = 'school' AND s.id = tc.school_id WHERE ${countsScope(scope, params)}`,
    params,
  );
}

async function perSchool(em: EntityManager, d: Share, scope: IndicatorScope): Promise<SchoolShare[]> {
  return (await teachersBySchool(em, scope)).map((r) => ({ school_id: r.school_id, county_code: r.county_code, n: d.counts(r), d: d.of(r) }));
}

function shareIndicator(d: Share): IndicatorProvider {
  const bucket = (key: string, n: number, of: number, filter: Record<string, string | number>): IndicatorBucket => ({
    key,
    value: sharePercent(n, of),
    count: n,
    link: { resource: 'teachers', filter: { ...d.filter, ...filter } },
  });
  /** the sums of n and d over the rows of each key */
  const sums = (rows: SchoolShare[], key: (r: SchoolShare) => string) => {
    const out = new Map<string, { n: number; d: number }>();
    for (const r of rows) {
      const sum = out.get(key(r)) ?? { n: 0, d: 0 };
      out.set(key(r), { n: sum.n + r.n, d: sum.d + r.d });
    }
    return out;
  };
  const value = (rows: SchoolShare[], scope: IndicatorScope): IndicatorFigure => {
    const { n, d: of } = sums(rows, () => '').get('') ?? { n: 0, d: 0 };
    const { value, count, link } = bucket('', n, of, teacherScopeFilter(scope));
    return { value, count, link };
  };
  const byCounty = (rows: SchoolShare[], scope: IndicatorScope): IndicatorBucket[] => {
    const by = sums(rows, (r) => r.county_code);
    const keys = scope.kind === 'county' ? [scope.countyCode] : COUNTY_CODES;
    return keys.map((k) => bucket(k, by.get(k)?.n ?? 0, by.get(k)?.d ?? 0, { ...teacherScopeFilter(scope), countyCode: k }));
  };
  const bySchool = (rows: SchoolShare[], scope: IndicatorScope, schools: string[]): IndicatorBucket[] => {
    const by = sums(rows, (r) => String(r.school_id));
    return bySchoolOrder(schools.map((k) => bucket(k, by.get(k)?.n ?? 0, by.get(k)?.d ?? 0, { ...teacherScopeFilter(scope), schoolId: Number(k) })));
  };
  return {
    key: d.key,
    label: d.label,
    unit: '%',
    seedTask: d.seedTask,
    order: d.order,
    appliesTo: ['city', 'county', 'school'],
    async value(em, scope) {
      return value(await perSchool(em, d, scope), scope);
    },
    async figures(em, scope) {
      const [rows, schools] = await Promise.all([perSchool(em, d, scope), schoolsOf(em, scope)]);
      return { figure: value(rows, scope), byCounty: byCounty(rows, scope), bySchool: bySchool(rows, scope, schools) };
    },
  };
}

export const teacherIndicators: IndicatorProvider[] = [
  shareIndicator({
    key: 'part_time_teacher_share',
    label: '兼职教师占比',
    seedTask: 44,
    order: 70,
    of: (t) => t.total,
    counts: (t) => t.part_time,
    filter: { active: true, employment: 'part_time' },
  }),
  shareIndicator({
    key: 'double_qualified_share',
    label: '“双师型”教师占比',
    seedTask: 48,
    order: 80,
    of: (t) => t.full_time,
    counts: (t) => t.dual,
    filter: { active: true, employment: 'full_time', dualQualified: true },
  }),
];
