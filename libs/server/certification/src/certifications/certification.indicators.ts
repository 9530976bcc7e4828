import { addDays, COUNTY_CODES, INDUSTRY_CODES, monthEnd, portalToday, startOfPortalDay } from '@portal/contracts';
import type {
  IndicatorBucket,
  IndicatorFigure,
  IndicatorFigures,
  IndicatorLink,
  IndicatorPoint,
  IndicatorProvider,
  IndicatorScope,
  SettingsService,
} from '@portal/core';
import type { EntityManager } from 'typeorm';
import { GRANT_YEAR, SUBSIDY_STATE_SQL } from '../subsidies/subsidies.service.js';

/**
 * The certification feature's dashboard indicators (tasks 21-22), computed from its own tables: city-certified
 * enterprises (standing city-level certifications) and the year's subsidy budget against the subsidies granted that
 * year (notified, paid: the ledger's money of the Wenzhou year of the day asked — this year on the dashboard, the
 * month's year in the monthly report — as the budget is annual).
 * Each figure's link is the list (certifications, subsidies) whose total equals it as of today: the same conditions as
 * the list's filters `status`, `level`, `countyCode`, `industry`, `enterpriseId`, `year`.
 */

/**
 * City-level certifications standing at the end of `day` (Asia/Shanghai): certified by then, not revoked by then
 * (revoked_at read as its Wenzhou day, as the trend reads it), not expired on that day. As of today (nothing is
 * certified after today or revoked later than now) the list's `level: 'city', status: 'active'`; the day is
 * appended to `params`.
 */
const standingCity = (params: unknown[], day: string) => {
  const d = `$${params.push(day)}::date`;
  return `c.level = 'city' AND c.certified_at <= ${d} AND (c.revoked_at IS NULL OR (c.revoked_at AT TIME ZONE 'Asia/Shanghai')::date > ${d})
    AND (c.valid_until IS NULL OR c.valid_until >= ${d})`;
};
const PAID = `s.status = 'paid'`;

/**
 * A subsidy's status changed to `status` at or after the instant `since` (its ledger events: cancellations, revocations).
 * Not correlated: the few such events are read once (subsidy_events has no index by subsidy).
 */
const changedSince = (status: string, since: string) =>
  `s.id IN (SELECT e.subsidy_id FROM subsidy_events e WHERE e.to_status = '${status}' AND e.at >= ${since})`;

/**
 * The ledger's states at the end of an earlier day `day`, from the dated records (`next`: the first instant after the
 * day), for the monthly report of a past month:
 * - paid: granted by then, paid on or before the day (`paid_at`, the voucher's date) and not yet to be recovered then
 *   (a revocation since does not take back a past month's payment);
 * - notified: granted by then, a notice issued by then and not revoked by then, not paid by the day nor cancelled by then.
 * As of today the stored status says the same, and the list's own conditions are read instead (PAID, SUBSIDY_STATE_SQL).
 */
const STATE_ON = {
  paid: (day: string, next: string) =>
    `s.created_at < ${next} AND s.paid_at <= ${day} AND (s.status = 'paid' OR (s.status IN ('to_recover', 'recovered') AND ${changedSince('to_recover', next)}))`,
  notified: (day: string, next: string) =>
    `s.created_at < ${next}
     AND EXISTS (SELECT 1 FROM documents d WHERE d.kind = 'subsidy_notice' AND d.subject_key = 'subsidy:' || s.id
                    AND d.issued_at < ${next} AND (d.revoked_at IS NULL OR d.revoked_at >= ${next}))
     AND (s.status = 'pending' OR (s.status IN ('paid', 'to_recover', 'recovered') AND s.paid_at > ${day})
          OR (s.status = 'cancelled' AND ${changedSince('cancelled', next)}))`,
} as const;

/** The scope as a condition on the enterprise's organisation row `o` (schools hold no certifications). */
function scopeWhere(scope: IndicatorScope, params: unknown[]): string {
  switch (scope.kind) {
    case 'city':
      return 'TRUE';
    case 'county':
      return `o.county_code = $${params.push(scope.countyCode)}`;
    case 'enterprise':
      return `o.id = $${params.push(scope.orgId)}`;
    case 'school':
      return 'FALSE';
  }
}

function scopeFilter(scope: IndicatorScope): Record<string, string | number> {
  if (scope.kind === 'county') return { countyCode: scope.countyCode };
  if (scope.kind === 'enterprise') return { enterpriseId: scope.orgId };
  return {};
}

/** The enterprise's industry ("5+5+N"; none recorded is N), as the lists' `industry` filter reads it. */
const INDUSTRY = `coalesce(o.industry, 'other')`;

/**
 * The figure and its splits by county and by industry in one statement: `SELECT ${grouped(county)}, <value> AS value,
 * count(*) AS n … GROUP BY ${groupingSets(county)}` answers one row per county, one per industry and the total.
 */
const grouped = (county: string) => `GROUPING(${county}, ${INDUSTRY}) AS set, ${county} AS county, ${INDUSTRY} AS industry`;
const groupingSets = (county: string) => `GROUPING SETS ((${county}), (${INDUSTRY}), ())`;
/** GROUPING() of each set: by county, by industry, the total. */
const SET = { county: 1, industry: 2, total: 3 } as const;

interface GroupedRow {
  set: number;
  county: string | null;
  industry: string | null;
  value: string | number;
  n: number;
}

/**
 * The figure and its splits from the rows of a grouped statement: every county (the city) or the scope's one, every
 * industry, zero where nothing is recorded; `divide` turns the sums into the unit (fen into yuan).
 */
function figuresFrom(
  rows: GroupedRow[],
  scope: IndicatorScope,
  divide: number,
  link: (narrow: Record<string, string | number>) => IndicatorLink,
): IndicatorFigures {
  const split = (set: number, keyOf: (r: GroupedRow) => string | null, keys: readonly string[], narrow: (key: string) => Record<string, string | number>) => {
    const byKey = new Map(rows.filter((r) => r.set === set).map((r) => [keyOf(r) ?? '', r]));
    return keys.map((key): IndicatorBucket => {
      const r = byKey.get(key);
      return { key, value: r ? Number(r.value) / divide : 0, count: r ? r.n : 0, link: link(narrow(key)) };
    });
  };
  const total = rows.find((r) => r.set === SET.total);
  return {
    figure: { value: total ? Number(total.value) / divide : 0, count: total?.n ?? 0, link: link(scopeFilter(scope)) },
    byCounty: split(
      SET.county,
      (r) => r.county,
      scope.kind === 'county' ? [scope.countyCode] : COUNTY_CODES,
      (countyCode) => ({ countyCode }),
    ),
    byIndustry: split(
      SET.industry,
      (r) => r.industry,
      INDUSTRY_CODES,
      (industry) => ({ industry, ...scopeFilter(scope) }),
    ),
  };
}

/**
 * The months 'YYYY-MM' of parameter $1 with their last day, `m (month, last_day)`: computed once, not once per row
 * compared (at 25,000 certifications that was most of the trend's time).
 */
const MONTHS = `m AS MATERIALIZED (SELECT month, ((month || '-01')::date + interval '1 month' - interval '1 day')::date AS last_day FROM unnest($1::text[]) AS month)`;

/** The enterprise's organisation row `o` where the scope needs it (a county, an enterprise), none for the city. */
const orgOf = (scope: IndicatorScope, table: string) =>
  scope.kind === 'city' ? '' : `JOIN organisations o ON o.id = ${table}.enterprise_id AND o.kind = 'enterprise'`;

export function certificationIndicators(settings: SettingsService): IndicatorProvider[] {
  const certified: IndicatorProvider = {
    key: 'certified_enterprises',
    label: '市级产教融合型企业',
    unit: '家',
    seedTask: 21,
    order: 10,
    appliesTo: ['city', 'county', 'enterprise'],
    async value(em: EntityManager, scope: IndicatorScope, day: string): Promise<IndicatorFigure> {
      return (await certified.figures!(em, scope, day)).figure;
    },
    async figures(em, scope, day) {
      const params: unknown[] = [];
      const rows = await em.query<GroupedRow[]>(
        `SELECT ${grouped('o.county_code')}, count(*)::int AS value, count(*)::int AS n FROM certifications c JOIN organisations o ON o.id = c.enterprise_id AND o.kind = 'enterprise'
          WHERE ${standingCity(params, day)} AND ${scopeWhere(scope, params)} GROUP BY ${groupingSets('o.county_code')}`,
        params,
      );
      return figuresFrom(rows, scope, 1, (narrow) => ({ resource: 'certifications', filter: { level: 'city', status: 'active', ...narrow } }));
    },
    async trend(em, scope, months): Promise<IndicatorPoint[]> {
      // standing at the end of a month: certified by then (from `start`) and not stopped by then (`stop`: the day of
      // revocation, or the day after the validity ends, whichever comes first). One pass: the certifications counted
      // by the month they start and by the month they stop (both from the first month on), then summed up month by month.
      if (!months.length) return [];
      const params: unknown[] = [`${months[0]}-01`, monthEnd(months[months.length - 1])];
      const rows = await em.query<Array<{ month: string; starts: number; stops: number }>>(
        `WITH c AS MATERIALIZED (
           SELECT c.certified_at AS start, least((c.revoked_at AT TIME ZONE 'Asia/Shanghai')::date, c.valid_until + 1) AS stop
             FROM certifications c ${orgOf(scope, 'c')} WHERE c.level = 'city' AND ${scopeWhere(scope, params)})
         SELECT to_char(month, 'YYYY-MM') AS month, sum(starts)::int AS starts, sum(stops)::int AS stops FROM (
           SELECT greatest(start, $1::date) AS month, count(*) AS starts, 0 AS stops FROM c
            WHERE start <= $2::date AND (stop IS NULL OR stop > start) GROUP BY 1
           UNION ALL
           SELECT greatest(stop, $1::date), 0, count(*) FROM c WHERE stop <= $2::date AND stop > start GROUP BY 1) x
         GROUP BY 1`,
        params,
      );
      const byMonth = new Map(rows.map((r) => [r.month, r.starts - r.stops]));
      let standing = 0;
      return months.map((month) => ({ month, value: (standing += byMonth.get(month) ?? 0) }));
    },
  };

  /** The annual budget: the setting as it stands, whatever the day (no earlier value of it is kept). */
  const budget: IndicatorProvider = {
    key: 'subsidy_budget',
    label: '年度认定补助预算',
    unit: '元',
    seedTask: 22,
    order: 20,
    appliesTo: ['city'],
    async value(em) {
      const yuan = await settings.get('certification.annualBudgetYuan', em);
      return { value: yuan, count: 0, link: null };
    },
  };

  /**
   * A money figure of a year's subsidies in one ledger state (yuan; the count is the number of subsidies summed): the
   * subsidies granted in the Wenzhou year of the day asked, as the list's `year` filter selects them, in that state at
   * the end of the day (`condition` today, `past` on an earlier day).
   */
  const ledger = (
    key: string,
    label: string,
    order: number,
    condition: string,
    past: (day: string, next: string) => string,
    column: string,
    status: string,
  ): IndicatorProvider => {
    /** The ledger state, the day's year, in the scope: the WHERE clause and the list filter that agree with it (as of today). */
    const where = (scope: IndicatorScope, params: unknown[], day: string) => {
      const year = Number(day.slice(0, 4));
      const state =
        day < portalToday() ? past(`$${params.push(day)}::date`, `$${params.push(startOfPortalDay(addDays(day, 1)).toISOString())}::timestamptz`) : condition;
      const sql = `${state} AND ${GRANT_YEAR} = $${params.push(year)} AND ${scopeWhere(scope, params).replace('o.county_code', 's.county_code')}`;
      return { sql, filter: { status, year } };
    };
    const provider: IndicatorProvider = {
      key,
      label,
      unit: '元',
      seedTask: 22,
      order,
      appliesTo: ['city', 'county', 'enterprise'],
      async value(em, scope, day) {
        return (await provider.figures!(em, scope, day)).figure;
      },
      async figures(em, scope, day) {
        const params: unknown[] = [];
        const { sql, filter } = where(scope, params, day);
        const rows = await em.query<GroupedRow[]>(
          `SELECT ${grouped('s.county_code')}, coalesce(sum(${column}), 0)::bigint AS value, count(*)::int AS n
             FROM subsidies s JOIN organisations o ON o.id = s.enterprise_id AND o.kind = 'enterprise' WHERE ${sql} GROUP BY ${groupingSets('s.county_code')}`,
          params,
        );
        return figuresFrom(rows, scope, 100, (narrow) => ({ resource: 'subsidies', filter: { ...filter, ...narrow } }));
      },
    };
    return provider;
  };

  const paid = ledger('subsidy_paid', '本年度认定补助已拨付', 40, PAID, STATE_ON.paid, 's.paid_amount_fen', 'paid');
  paid.trend = async (em, scope, months) => {
    // the year's payments so far at the end of each month: subsidies granted in that month's year and paid by its
    // end (subsidies since recovered after a revocation are no longer counted); the curve starts again each January.
    // The payments summed by grant year and month paid first (a few hundred rows), then per month.
    const params: unknown[] = [months];
    const rows = await em.query<Array<{ month: string; fen: string }>>(
      `WITH ${MONTHS},
            s AS MATERIALIZED (SELECT ${GRANT_YEAR} AS year, date_trunc('month', s.paid_at)::date AS paid_month, sum(s.paid_amount_fen) AS fen
                                 FROM subsidies s ${orgOf(scope, 's')}
                                WHERE ${PAID} AND ${scopeWhere(scope, params).replace('o.county_code', 's.county_code')} GROUP BY 1, 2)
       SELECT m.month, coalesce(sum(s.fen), 0)::bigint AS fen FROM m
         LEFT JOIN s ON s.paid_month <= m.last_day AND s.year = left(m.month, 4)::int
        GROUP BY m.month ORDER BY m.month`,
      params,
    );
    return rows.map((r) => ({ month: r.month, value: Number(r.fen) / 100 }));
  };

  return [
    certified,
    budget,
    ledger('subsidy_notified', '本年度补助已通知待拨付', 30, SUBSIDY_STATE_SQL.notified, STATE_ON.notified, 's.amount_fen', 'notified'),
    paid,
  ];
}
