import { COUNTY_CODES, INDUSTRY_CODES } from '@portal/contracts';
import type { IndicatorBucket, IndicatorFigure, IndicatorLink, IndicatorPoint, IndicatorProvider, IndicatorScope } from '@portal/core';
import type { EntityManager } from 'typeorm';
import { classConditions, INDUSTRY_OF_CLASS, PARTNER_JOIN, type OrderClassFilter } from './order-class.rows.js';
import { ENDED_EARLY_STATE, FILED_STATES } from './order-class.workflow.js';

/**
 * The dashboard's figure of seed task 30 (200+ order classes), computed from this feature's tables: the classes
 * filed by the county bureau and not terminated since — states `active` (培养中), `reporting` (结业报告) and `closed`
 * (已结业) (FILED_STATES, the list's filter `counted: true`).
 *
 * - Scopes: the city; a county; a school (the classes it registered); an enterprise (the classes it is the partner
 *   of: registered as such, or invited by credit code and registered since).
 * - County of a class: its case's county, which is the school's county when it registered the class (the bureau
 *   that files it, whose reviewers read it) — the list's `countyCode`.
 * - Industry of a class: its partner enterprise's ("5+5+N"); an enterprise with none recorded, or invited and not
 *   registered yet, is N (`other`) — the list's `industry`. A class has exactly one partner enterprise here
 *   (order_classes.enterprise_id or its invitation), so each class is in exactly one industry bucket and the
 *   buckets add up to the figure. (Were a class ever to have several partners, it would count once in the bucket
 *   of each partner's industry, never twice in one bucket.)
 * - School of a class: the school that registered it (its owner) — the list's `schoolId`.
 * - Trend: at the end of each month (Asia/Shanghai), the classes filed on or before that day and not terminated on
 *   or before it: `order_classes.filed_at` (entered `active`) and `ended_at` (entered `terminated`), written in the
 *   transactions of those transitions (OrderClassesService.recordDates). Classes completed (closed) stay counted, as
 *   they are in the figure; a class is never withdrawn or refused after it was filed.
 *
 * Every figure and bucket is counted with the very filter its link names (classConditions, as the list does), so
 * the list's Content-Range total equals it for whoever may read those classes.
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
 * FROM_CLASSES without the joins a count does not need: the partner enterprise `e` only when the filter or the grouping
 * names it. (The counting filters never search by name, so the school `s` is not needed.)
 */
function fromFor(filter: LinkFilter, byEnterprise = false): string {
  return byEnterprise || filter.enterpriseId !== undefined || filter.industry !== undefined ? `${COUNT_FROM} ${PARTNER_JOIN}` : COUNT_FROM;
}
const COUNT_FROM = `FROM order_classes oc JOIN cases c ON c.id = oc.case_id`;

/** Counts of the filter's classes grouped by an SQL expression (one statement; `byEnterprise`: it names `e`). */
async function countsBy(em: EntityManager, group: string, filter: LinkFilter, byEnterprise = false): Promise<Map<string, number>> {
  const params: unknown[] = [];
  const rows = await em.query<Array<{ key: string | number; n: number }>>(
    `SELECT ${group} AS key, count(*)::int AS n ${fromFor(filter, byEnterprise)} WHERE ${classConditions(filter, params).join(' AND ')} GROUP BY 1`,
    params,
  );
  return new Map(rows.map((r) => [String(r.key), r.n]));
}

/** One bucket per key, zero where nothing is counted, each with its list. */
function buckets(keys: readonly string[], counts: Map<string, number>, linkOf: (key: string) => IndicatorLink): IndicatorBucket[] {
  return keys.map((key) => {
    const n = counts.get(key) ?? 0;
    return { key, value: n, count: n, link: linkOf(key) };
  });
}

export function orderClassIndicator(): IndicatorProvider {
  return {
    key: 'order_classes',
    label: '已备案订单班',
    unit: '个',
    seedTask: 30,
    order: 50,
    appliesTo: ['city', 'county', 'school', 'enterprise'],

    async value(em, scope): Promise<IndicatorFigure> {
      const filter = countedIn(scope);
      const params: unknown[] = [];
      const [{ n }] = await em.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n ${fromFor(filter)} WHERE ${classConditions(filter, params).join(' AND ')}`,
        params,
      );
      return { value: n, count: n, link: link(filter) };
    },

    async byCounty(em, scope) {
      const counts = await countsBy(em, 'c.county_code', countedIn(scope));
      const keys = scope.kind === 'county' ? [scope.countyCode] : COUNTY_CODES;
      return buckets(keys, counts, (countyCode) => link(countedIn(scope, { countyCode })));
    },

    async byIndustry(em, scope) {
      const counts = await countsBy(em, INDUSTRY_OF_CLASS, countedIn(scope), true);
      return buckets(INDUSTRY_CODES, counts, (industry) => link(countedIn(scope, { industry })));
    },

    async bySchool(em, scope) {
      // the scope's schools (every school of the city, or of the county), and any other school with classes counted
      // in it (one that moved county since); the most classes first
      const counts = await countsBy(em, 'oc.school_id', countedIn(scope));
      const params: unknown[] = [];
      const where =
        scope.kind === 'county'
          ? `county_code = $${params.push(scope.countyCode)}`
          : scope.kind === 'school'
            ? `id = $${params.push(scope.orgId)}`
            : scope.kind === 'city'
              ? 'TRUE'
              : 'FALSE';
      const schools = await em.query<Array<{ id: number }>>(`SELECT id FROM organisations WHERE kind = 'school' AND ${where}`, params);
      const keys = [...new Set([...schools.map((s) => String(s.id)), ...counts.keys()])];
      keys.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || Number(a) - Number(b));
      return buckets(keys, counts, (schoolId) => link(countedIn(scope, { schoolId: Number(schoolId) })));
    },

    async trend(em, scope, months): Promise<IndicatorPoint[]> {
      // the scope's classes ever filed (filed and not terminated, or terminated since), counted per filing and
      // termination day (Asia/Shanghai); then, per month end, those filed by that day and not terminated by it
      const filter: LinkFilter = scopeFilter(scope);
      const params: unknown[] = [months];
      const conditions = classConditions({ ...filter, state: [...FILED_STATES, ENDED_EARLY_STATE] }, params);
      const rows = await em.query<Array<{ month: string; n: number }>>(
        `WITH month_ends AS MATERIALIZED (
           SELECT m.month, ((m.month || '-01')::date + interval '1 month' - interval '1 day')::date AS last_day FROM unnest($1::text[]) AS m(month)),
         days AS MATERIALIZED (
           SELECT (oc.filed_at AT TIME ZONE 'Asia/Shanghai')::date AS filed_on, (oc.ended_at AT TIME ZONE 'Asia/Shanghai')::date AS ended_on, count(*) AS n
             ${fromFor(filter)} WHERE ${conditions.join(' AND ')} AND oc.filed_at IS NOT NULL GROUP BY 1, 2)
         SELECT me.month, coalesce(sum(d.n), 0)::int AS n FROM month_ends me
           LEFT JOIN days d ON d.filed_on <= me.last_day AND (d.ended_on IS NULL OR d.ended_on > me.last_day)
          GROUP BY me.month ORDER BY me.month`,
        params,
      );
      return rows.map((r) => ({ month: r.month, value: r.n }));
    },
  };
}
