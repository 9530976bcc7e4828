import { COUNTY_CODES } from '@portal/contracts';
import type { IndicatorBucket, IndicatorFigure, IndicatorProvider, IndicatorScope } from '@portal/core';
import type { EntityManager } from 'typeorm';
import { bySchoolOrder, schoolsOf } from '../records/practice.indicators.js';

/**
 * The shares of the teachers' profiles (teacher_profiles, with the user and the school), tasks 44 and 48:
 * - 兼职教师占比 (task 44: ≥ 20 %): part-time (兼职) teachers ÷ all teachers (专任 + 兼职, 专兼职教师总数);
 * - "双师型"教师占比 (task 48: ≥ 90 %): 双师型 teachers ÷ 专业课教师, the full-time (专任) teachers — every profile is a
 *   专业 teacher (its 专业 is required), and the 双师型 recognition (教师厅〔2022〕2号) is of 专任教师: a part-time
 *   teacher counts in neither the numerator nor the denominator.
 * Only active users count (a deactivated account has left the school). The county is the school's. The value is a
 * percentage with one decimal; with no teacher in the denominator it is null (count 0): nothing to measure, which
 * the dashboard and the monthly report show as 暂无数据, not as 0 %. `count` is the numerator (the teachers behind
 * the link): the teachers list with
 * `active: true`, `employment`, `dualQualified` and the scope's `countyCode` / `schoolId`.
 */

/** The scope as a condition on tp (profile) and s (school). */
function teacherScope(scope: IndicatorScope, params: unknown[]): string {
  switch (scope.kind) {
    case 'city':
      return 'TRUE';
    case 'county':
      return `s.county_code = $${params.push(scope.countyCode)}`;
    case 'school':
      return `tp.school_id = $${params.push(scope.orgId)}`;
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
  /** SQL on tp: who is in the denominator */
  of: string;
  /** SQL on tp: who is in the numerator (among the denominator) */
  counts: string;
  /** the teachers-list filter selecting the numerator */
  filter: Record<string, string | boolean>;
}

const FROM = `FROM teacher_profiles tp JOIN users u ON u.id = tp.user_id JOIN organisations s ON s.id = tp.school_id`;

function shareIndicator(d: Share): IndicatorProvider {
  const figure = (key: string, n: number, of: number, filter: Record<string, string | number>): IndicatorBucket => ({
    key,
    value: sharePercent(n, of),
    count: n,
    link: { resource: 'teachers', filter: { ...d.filter, ...filter } },
  });
  const grouped = async (em: EntityManager, scope: IndicatorScope, by: string): Promise<Map<string, { n: number; d: number }>> => {
    const params: unknown[] = [];
    const rows = await em.query<Array<{ key: string; n: number; d: number }>>(
      `SELECT ${by} AS key, count(*) FILTER (WHERE ${d.counts})::int AS n, count(*)::int AS d
         ${FROM} WHERE u.active AND ${d.of} AND ${teacherScope(scope, params)} GROUP BY 1`,
      params,
    );
    return new Map(rows.map((r) => [String(r.key), { n: r.n, d: r.d }]));
  };
  return {
    key: d.key,
    label: d.label,
    unit: '%',
    seedTask: d.seedTask,
    order: d.order,
    appliesTo: ['city', 'county', 'school'],
    async value(em, scope): Promise<IndicatorFigure> {
      const params: unknown[] = [];
      const [r] = await em.query<Array<{ n: number; d: number }>>(
        `SELECT count(*) FILTER (WHERE ${d.counts})::int AS n, count(*)::int AS d ${FROM} WHERE u.active AND ${d.of} AND ${teacherScope(scope, params)}`,
        params,
      );
      const { value, count, link } = figure('', r.n, r.d, teacherScopeFilter(scope));
      return { value, count, link };
    },
    async byCounty(em, scope) {
      const rows = await grouped(em, scope, 's.county_code');
      const keys = scope.kind === 'county' ? [scope.countyCode] : COUNTY_CODES;
      return keys.map((k) => figure(k, rows.get(k)?.n ?? 0, rows.get(k)?.d ?? 0, { ...teacherScopeFilter(scope), countyCode: k }));
    },
    async bySchool(em, scope) {
      const rows = await grouped(em, scope, 'tp.school_id');
      const keys = await schoolsOf(em, scope);
      return bySchoolOrder(keys.map((k) => figure(k, rows.get(k)?.n ?? 0, rows.get(k)?.d ?? 0, { ...teacherScopeFilter(scope), schoolId: Number(k) })));
    },
  };
}

export const teacherIndicators: IndicatorProvider[] = [
  shareIndicator({
    key: 'part_time_teacher_share',
    label: '兼职教师占比',
    seedTask: 44,
    order: 70,
    of: 'TRUE',
    counts: `tp.employment = 'part_time'`,
    filter: { active: true, employment: 'part_time' },
  }),
  shareIndicator({
    key: 'double_qualified_share',
    label: '“双师型”教师占比',
    seedTask: 48,
    order: 80,
    of: `tp.employment = 'full_time'`,
    counts: 'tp.dual_qualified',
    filter: { active: true, employment: 'full_time', dualQualified: true },
  }),
];
