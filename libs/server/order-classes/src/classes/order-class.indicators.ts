import { addDays, COUNTY_CODES, INDUSTRY_CODES, startOfPortalDay } from '@portal/contracts';
import type { IndicatorBucket, IndicatorFigure, IndicatorLink, IndicatorPoint, IndicatorProvider, IndicatorScope } from '@portal/core';
import type { EntityManager } from 'typeorm';
import { classConditions, PARTNER_JOIN, type OrderClassFilter } from './order-class.rows.js';

/**
 * The dashboard's figure of seed task 30 (200+ order classes), computed from this feature's tables: the classes
 * filed by the county bureau and not terminated since — states `active` (培养中), `reporting` (结业报告) and `closed`
 * (已结业) (COUNTED_CLASS, the list's filter `counted: true`).
 *
 * - Scopes: the city; a county; a school (the classes it registered); an enterprise (the classes it is the partner
 *   of: picked as such, or invited by credit code and accepted since).
 * - County of a class: its case's county, which is the school's county when it registered the class (the bureau
 *   that files it, whose reviewers read it) — the list's `countyCode`; copied onto the class when it is filed.
 * - Industry of a class: its partner enterprise's ("5+5+N") when the class was filed, kept on the class
 *   (`filed_industry`; `other`: none recorded) — the list's `industry`. A class has exactly one partner enterprise
 *   here (order_classes.enterprise_id), so each class is in exactly one industry bucket and the
 *   buckets add up to the figure.
 * - School of a class: the school that registered it (its owner) — the list's `schoolId`.
 * - Trend: at the end of each month (Asia/Shanghai), the classes filed on or before that day and not terminated on
 *   or before it: `order_classes.filed_at` (entered `active`) and `ended_at` (entered `terminated`), written in the
 *   transactions of those transitions (OrderClassesService.recordDates). Classes completed (closed) stay counted, as
 *   they are in the figure; a class is never withdrawn or refused after it was filed.
 * - As of a day (the monthly report's month end): the same, at the end of that day (`countedOn`); as of today that
 *   is COUNTED_CLASS, the list's `counted: true`, since nothing is filed or terminated later than now.
 *
 * The city, a county and a school are counted from the filed classes' own columns (one index, migration
 * 1795941000001: at 20,000 classes among 1,200,000 cases, joining each to its case and partner took 140 ms); an
 * enterprise's classes with the list's own conditions. Each figure and bucket selects what its link's filter selects,
 * so the list's Content-Range total equals it for whoever may read those classes.
 */

/** A link's filter: the keys of the list's own filter (OrderClassFilter) it narrows by, all plain values. */
type LinkFilter = Pick<OrderClassFilter, 'counted' | 'countyCode' | 'schoolId' | 'enterpriseId' | 'industry'>;

/** The scope as the list's own filter keys. */
function scopeFilter(scope: IndicatorScope): LinkFilter {
  switch (scope.kind) {
    case 'city':
      return {};
    case 'county':
      return { countyCode: scope.countyCode };
    case 'school':
      return { schoolId: scope.orgId };
    case 'enterprise':
      return { enterpriseId: scope.orgId };
  }
}

/** The counted classes of the scope, narrowed by `more`: the link's filter, and the list filter it means. */
const countedIn = (scope: IndicatorScope, more: LinkFilter = {}): LinkFilter => ({ counted: true, ...scopeFilter(scope), ...more });

const link = (filter: LinkFilter): IndicatorLink => ({ resource: 'order-classes', filter });

/**
 * The classes counted at the end of `day` (Asia/Shanghai): filed before the next day began and not terminated before
 * it — COUNTED_CLASS as of today. `filed_at IS NOT NULL` named, for the partial index order_classes_filed.
 */
function countedOn(day: string, params: unknown[]): string {
  const next = `$${params.push(startOfPortalDay(addDays(day, 1)).toISOString())}::timestamptz`;
  return `oc.filed_at IS NOT NULL AND oc.filed_at < ${next} AND (oc.ended_at IS NULL OR oc.ended_at >= ${next})`;
}

/** The counted classes of one partner enterprise (its scope): the partner is joined, as the list finds it. */
async function enterpriseFigure(em: EntityManager, scope: IndicatorScope, day: string): Promise<IndicatorFigure> {
  const params: unknown[] = [];
  const where = [...classConditions(scopeFilter(scope), params), countedOn(day, params)].join(' AND ');
  const [{ n }] = await em.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM order_classes oc JOIN cases c ON c.id = oc.case_id ${PARTNER_JOIN} WHERE ${where}`,
    params,
  );
  return { value: n, count: n, link: link(countedIn(scope)) };
}

/**
 * The scope on a filed class's own columns (index order_classes_filed): its county is its case's (filed_county_code
 * is copied from it at filing, and a case's county never changes), so the link's `countyCode` selects the same classes.
 */
function filedScope(scope: Exclude<IndicatorScope, { kind: 'enterprise' }>, params: unknown[]): string {
  if (scope.kind === 'county') return `oc.filed_county_code = $${params.push(scope.countyCode)}`;
  if (scope.kind === 'school') return `oc.school_id = $${params.push(scope.orgId)}`;
  return 'TRUE';
}

/** One bucket per key, zero where nothing is counted, each with its list. */
function buckets(keys: readonly string[], counts: Map<string, number>, linkOf: (key: string) => IndicatorLink): IndicatorBucket[] {
  return keys.map((key) => {
    const n = counts.get(key) ?? 0;
    return { key, value: n, count: n, link: linkOf(key) };
  });
}

/** The keys of the scope's split by school: its schools (every school of the city, or of the county), the most classes first. */
async function schoolKeys(em: EntityManager, scope: IndicatorScope, counts: Map<string, number>): Promise<string[]> {
  // and any other school with classes counted in the scope (one that moved county since)
  const params: unknown[] = [];
  const where = scope.kind === 'county' ? `county_code = $${params.push(scope.countyCode)}` : scope.kind === 'city' ? 'TRUE' : 'FALSE';
  const schools = await em.query<Array<{ id: number }>>(`SELECT id FROM organisations WHERE kind = 'school' AND ${where}`, params);
  const keys = [...new Set([...schools.map((s) => String(s.id)), ...counts.keys()])];
  return keys.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || Number(a) - Number(b));
}

/** GROUPING() of the grouping set each row of figures' statement answers (county, industry, school, total). */
const SET = { county: 3, industry: 5, school: 6, total: 7 } as const;

export function orderClassIndicator(): IndicatorProvider {
  const provider: IndicatorProvider = {
    key: 'order_classes',
    label: '已备案订单班',
    unit: '个',
    seedTask: 30,
    order: 50,
    appliesTo: ['city', 'county', 'school', 'enterprise'],

    async value(em, scope, day): Promise<IndicatorFigure> {
      return (await provider.figures!(em, scope, day)).figure;
    },

    /** The figure and its splits by county, industry and school in one pass over the scope's filed classes. */
    async figures(em, scope, day) {
      if (scope.kind === 'enterprise') return { figure: await enterpriseFigure(em, scope, day) };
      const params: unknown[] = [];
      const rows = await em.query<Array<{ set: number; key: string | null; n: number }>>(
        `SELECT GROUPING(oc.filed_county_code, oc.filed_industry, oc.school_id) AS set,
                coalesce(oc.filed_county_code, oc.filed_industry, oc.school_id::text) AS key, count(*)::int AS n
           FROM order_classes oc WHERE ${countedOn(day, params)} AND ${filedScope(scope, params)}
          GROUP BY GROUPING SETS ((oc.filed_county_code), (oc.filed_industry), (oc.school_id), ())`,
        params,
      );
      const counts = (set: number) => new Map(rows.filter((r) => r.set === set).map((r) => [r.key ?? '', r.n]));
      const n = counts(SET.total).get('') ?? 0;
      const bySchool = counts(SET.school);
      return {
        figure: { value: n, count: n, link: link(countedIn(scope)) },
        byCounty: buckets(scope.kind === 'county' ? [scope.countyCode] : COUNTY_CODES, counts(SET.county), (countyCode) =>
          link(countedIn(scope, { countyCode })),
        ),
        byIndustry: buckets(INDUSTRY_CODES, counts(SET.industry), (industry) => link(countedIn(scope, { industry }))),
        bySchool:
          scope.kind === 'school'
            ? undefined
            : buckets(await schoolKeys(em, scope, bySchool), bySchool, (schoolId) => link(countedIn(scope, { schoolId: Number(schoolId) }))),
      };
    },

    async trend(em, scope, months): Promise<IndicatorPoint[]> {
      // the scope's classes ever filed (filed and not terminated, or terminated since), counted per filing and
      // termination day (Asia/Shanghai); then, per month end, those filed by that day and not terminated by it
      const params: unknown[] = [months];
      const from =
        scope.kind === 'enterprise'
          ? `FROM order_classes oc JOIN cases c ON c.id = oc.case_id ${PARTNER_JOIN} WHERE ${classConditions(scopeFilter(scope), params).join(' AND ')} AND oc.filed_at IS NOT NULL`
          : `FROM order_classes oc WHERE oc.filed_at IS NOT NULL AND ${filedScope(scope, params)}`;
      const rows = await em.query<Array<{ month: string; n: number }>>(
        `WITH month_ends AS MATERIALIZED (
           SELECT m.month, ((m.month || '-01')::date + interval '1 month' - interval '1 day')::date AS last_day FROM unnest($1::text[]) AS m(month)),
         days AS MATERIALIZED (
           SELECT (oc.filed_at AT TIME ZONE 'Asia/Shanghai')::date AS filed_on, (oc.ended_at AT TIME ZONE 'Asia/Shanghai')::date AS ended_on, count(*) AS n
             ${from} GROUP BY 1, 2)
         SELECT me.month, coalesce(sum(d.n), 0)::int AS n FROM month_ends me
           LEFT JOIN days d ON d.filed_on <= me.last_day AND (d.ended_on IS NULL OR d.ended_on > me.last_day)
          GROUP BY me.month ORDER BY me.month`,
        params,
      );
      return rows.map((r) => ({ month: r.month, value: r.n }));
    },
  };
  return provider;
}
