import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Reads the plan's targets of some indicators for a county (its own, else the city's) or, for null, the city. */
export type PlanTargetSource = (em: EntityManager, indicators: readonly string[], countyCode: string | null) => Promise<Record<string, number>>;

/**
 * The plan's targets (规划目标: the reporting feature's targets, which an admin edits) for a feature's own pages:
 * 订单班建设进度 against the order classes' target, 实践统计 against the person-times and the teachers' shares. One
 * source of each number, the dashboard's: a feature reads it here, never from a table of another feature. The
 * reporting feature provides the source when it starts; without it (a feature on its own) no target is known.
 */
@Injectable()
export class PlanTargets {
  private source: PlanTargetSource | undefined;

  provide(source: PlanTargetSource): void {
    this.source = source;
  }

  /** Each indicator's target (null: none set) for the county (its own, else the city's) or, for null, the city. */
  async of<K extends string>(em: EntityManager, indicators: readonly K[], countyCode: string | null): Promise<Record<K, number | null>> {
    const found = this.source ? await this.source(em, indicators, countyCode) : {};
    return Object.fromEntries(indicators.map((k) => [k, found[k] ?? null])) as Record<K, number | null>;
  }
}
