import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Whose numbers a dashboard asks for: the whole city, one county (GB/T 2260 code), one school or one
 * enterprise (organisation ids). The reporting feature derives it from the caller's role and jurisdiction.
 */
export type IndicatorScope =
  { kind: 'city' } | { kind: 'county'; countyCode: string } | { kind: 'school'; orgId: number } | { kind: 'enterprise'; orgId: number };

export type IndicatorScopeKind = IndicatorScope['kind'];

/**
 * The list behind a figure: `GET /api/<resource>?filter=<filter>` answers a total (Content-Range) equal to
 * the figure — for a money figure, to the number of records summed (`count` of the figure).
 */
export interface IndicatorLink {
  resource: string;
  filter: Record<string, string | number | boolean>;
}

/**
 * One bar of a split: the county code, industry code or school organisation id, its value and its list. The value
 * is null when the figure is a ratio with nothing to divide by (a share of teachers where there are none): "no data",
 * not 0 %. Counts and sums are never null (no record is 0).
 */
export interface IndicatorBucket {
  key: string;
  value: number | null;
  /** how many records the figure sums (equals the linked list's total) */
  count: number;
  link: IndicatorLink | null;
}

/** The figure at the end of one month ('YYYY-MM', Asia/Shanghai). */
export interface IndicatorPoint {
  month: string;
  /** null: a ratio with nothing to divide by at that month's end */
  value: number | null;
}

/** A figure with the records behind it; value null: a ratio with nothing to divide by (暂无数据), never 0 %. */
export interface IndicatorFigure {
  value: number | null;
  count: number;
  link: IndicatorLink | null;
}

/**
 * One indicator of the plan's targets (DOMAIN.md "Targets"), computed by the feature that owns its tables.
 * Every function receives the scope and reads the feature's own tables only; a split the indicator does
 * not have is left out (undefined), a scope it does not apply to is refused by `appliesTo`.
 *
 * The figures are as of `day` (YYYY-MM-DD, Asia/Shanghai; never after today): today for the dashboard, the last
 * day of the month for the monthly report, which is generated days or months later. As of a day is as the records
 * stood at its end — what was counted, standing, paid by then — and a figure of "this year" is of that day's year.
 * A figure whose records keep no history (a setting, the teachers' profiles) answers its present value whatever the day.
 * A link is to the list as it stands now: its total equals the figure as of today, not necessarily as of an earlier day.
 */
export interface IndicatorProvider {
  /** stable key, the same as the targets table's `indicator` (e.g. 'certified_enterprises') */
  key: string;
  /** Chinese label shown on the dashboard */
  label: string;
  /** Chinese unit: 家, 个, 人次, 元, % */
  unit: string;
  /** the plan's key task the figure measures (温政办〔2023〕32号) */
  seedTask: number;
  /** order on the dashboard (smaller first) */
  order: number;
  appliesTo: readonly IndicatorScopeKind[];
  value(em: EntityManager, scope: IndicatorScope, day: string): Promise<IndicatorFigure>;
  byCounty?(em: EntityManager, scope: IndicatorScope, day: string): Promise<IndicatorBucket[]>;
  /** by the "5+5+N" industries (INDUSTRY_CODES) */
  byIndustry?(em: EntityManager, scope: IndicatorScope, day: string): Promise<IndicatorBucket[]>;
  bySchool?(em: EntityManager, scope: IndicatorScope, day: string): Promise<IndicatorBucket[]>;
  /** the value at the end of each given month ('YYYY-MM', ascending) */
  trend?(em: EntityManager, scope: IndicatorScope, months: readonly string[]): Promise<IndicatorPoint[]>;
  /**
   * The figure and every split it has at once, for an indicator whose figures all come from one read (the dashboard
   * asks this instead of the functions above when it is there; the answer must equal theirs).
   */
  figures?(em: EntityManager, scope: IndicatorScope, day: string): Promise<IndicatorFigures>;
}

/** The figure with its splits, from one read (IndicatorProvider.figures). */
export interface IndicatorFigures {
  figure: IndicatorFigure;
  byCounty?: IndicatorBucket[];
  byIndustry?: IndicatorBucket[];
  bySchool?: IndicatorBucket[];
}

/**
 * The indicators the features compute (order classes, practice records, certification…): each feature
 * registers its own when its module starts, and the reporting feature asks them for figures. Lives below the
 * features so that none imports another (.dependency-cruiser.cjs).
 */
@Injectable()
export class IndicatorRegistry {
  private readonly providers = new Map<string, IndicatorProvider>();

  register(provider: IndicatorProvider): void {
    if (!/^[a-z][a-z0-9_]{1,49}$/.test(provider.key)) throw new Error(`indicator key ${provider.key} must be snake_case`);
    if (this.providers.has(provider.key)) throw new Error(`indicator ${provider.key} registered twice`);
    this.providers.set(provider.key, provider);
  }

  get(key: string): IndicatorProvider | undefined {
    return this.providers.get(key);
  }

  /** Every registered indicator, in dashboard order. */
  all(): IndicatorProvider[] {
    return [...this.providers.values()].sort((a, b) => a.order - b.order || a.key.localeCompare(b.key));
  }
}
