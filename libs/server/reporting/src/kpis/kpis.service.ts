import { Injectable } from '@nestjs/common';
import { endOfPortalDay, INDUSTRIES, portalToday, type KpiBucketDto, type KpiDto, type KpisDto, type TargetDto } from '@portal/contracts';
import { DomainException, IndicatorRegistry, type IndicatorBucket, type IndicatorProvider, type IndicatorScope } from '@portal/core';
import { OrganisationsService, type Actor } from '@portal/identity';
import { DataSource, type EntityManager } from 'typeorm';
import { TargetsService } from '../targets/targets.service.js';
import { countyLabel, scopeCode, scopeFor } from './kpi-scope.js';

/** The last `n` months ('YYYY-MM', ascending) ending with the current Asia/Shanghai month. */
export function lastMonths(n: number, today = portalToday()): string[] {
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.unshift(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

/** Months shown on the trend lines. */
export const TREND_MONTHS = 12;

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Every indicator of the plan for a scope, computed now from the records by the features that registered them
 * (IndicatorRegistry), against the targets of that scope; targets whose indicator no feature computes yet are
 * listed with no value (暂无数据). As of today for the dashboard; as of an earlier day for the monthly report (the
 * last day of its month: the records as they stood at that day's end, that day's year for the year's money).
 */
@Injectable()
export class KpisService {
  constructor(
    private readonly ds: DataSource,
    private readonly registry: IndicatorRegistry,
    private readonly targets: TargetsService,
    private readonly organisations: OrganisationsService,
  ) {}

  async forActor(actor: Actor, requested: IndicatorScope | undefined): Promise<KpisDto> {
    const scope = scopeFor(actor, requested);
    return this.compute(this.ds.manager, scope);
  }

  /** The figures as of `day` (YYYY-MM-DD, Asia/Shanghai): today by default, never later. */
  async compute(em: EntityManager, scope: IndicatorScope, day = portalToday()): Promise<KpisDto> {
    const today = portalToday();
    if (day > today) day = today;
    const label = await this.scopeLabel(em, scope);
    const targets =
      scope.kind === 'city' ? await this.targets.ofScope(em, null) : scope.kind === 'county' ? await this.targets.ofScope(em, scope.countyCode) : [];
    const months = lastMonths(TREND_MONTHS, day);
    const schools = scope.kind === 'city' || scope.kind === 'county' ? await this.schoolNames(em) : new Map<string, string>();
    const providers = this.registry.all().filter((p) => p.appliesTo.includes(scope.kind));
    const computed = await Promise.all(providers.map((p) => this.indicator(em, p, scope, day, targets, months, schools)));
    const known = new Set(providers.map((p) => p.key));
    const missing: KpiDto[] = targets
      .filter((t) => !known.has(t.indicator) && !this.registry.get(t.indicator))
      .map((t) => ({
        key: t.indicator,
        label: t.label,
        unit: t.unit,
        seedTask: t.seedTask,
        value: null,
        count: null,
        link: null,
        target: { id: t.id, value: t.value, deadline: t.deadline },
        progress: null,
        byCounty: null,
        byIndustry: null,
        bySchool: null,
        trend: null,
      }));
    // as of now, or of the end of an earlier day
    const asOf = day === today ? new Date() : endOfPortalDay(day);
    return { scope: { kind: scope.kind, code: scopeCode(scope), label }, asOf: asOf.toISOString(), indicators: [...computed, ...missing] };
  }

  private async indicator(
    em: EntityManager,
    p: IndicatorProvider,
    scope: IndicatorScope,
    day: string,
    targets: TargetDto[],
    months: string[],
    schools: Map<string, string>,
  ): Promise<KpiDto> {
    const wide = scope.kind === 'city' || scope.kind === 'county';
    const [all, trend] = await Promise.all([
      p.figures
        ? p.figures(em, scope, day)
        : Promise.all([
            p.value(em, scope, day),
            scope.kind === 'city' && p.byCounty ? p.byCounty(em, scope, day) : undefined,
            wide && p.byIndustry ? p.byIndustry(em, scope, day) : undefined,
            wide && p.bySchool ? p.bySchool(em, scope, day) : undefined,
          ]).then(([figure, byCounty, byIndustry, bySchool]) => ({ figure, byCounty, byIndustry, bySchool })),
      p.trend ? p.trend(em, scope, months) : null,
    ]);
    const figure = all.figure;
    const byCounty = scope.kind === 'city' ? (all.byCounty ?? null) : null;
    const byIndustry = wide ? (all.byIndustry ?? null) : null;
    const bySchool = wide ? (all.bySchool ?? null) : null;
    const target = targets.find((t) => t.indicator === p.key);
    const labelled = (rows: IndicatorBucket[] | null, name: (key: string) => string): KpiBucketDto[] | null =>
      rows && rows.map((r) => ({ ...r, label: name(r.key) }));
    return {
      key: p.key,
      label: p.label,
      unit: p.unit,
      seedTask: p.seedTask,
      value: figure.value,
      count: figure.count,
      link: figure.link,
      target: target ? { id: target.id, value: target.value, deadline: target.deadline } : null,
      // no progress without a value (a share with nobody to divide by: 暂无数据)
      progress: target && target.value > 0 && figure.value !== null ? round1((figure.value / target.value) * 100) : null,
      byCounty: labelled(byCounty, countyLabel),
      byIndustry: labelled(byIndustry, (k) => INDUSTRIES.find((i) => i.code === k)?.name ?? k),
      bySchool: labelled(bySchool, (k) => schools.get(k) ?? k),
      trend,
    };
  }

  private async scopeLabel(em: EntityManager, scope: IndicatorScope): Promise<string> {
    if (scope.kind === 'city') return '温州市';
    if (scope.kind === 'county') return countyLabel(scope.countyCode);
    const org = await this.organisations.findOfKind(scope.orgId, scope.kind, em);
    if (!org) throw DomainException.notFound(scope.kind === 'school' ? '学校' : '企业');
    return org.name;
  }

  private async schoolNames(em: EntityManager): Promise<Map<string, string>> {
    const names = await this.organisations.namesOfKind('school', em);
    return new Map([...names].map(([id, name]) => [String(id), name]));
  }
}

/** The monthly report and the tests name it from here. */
export { monthEnd } from '@portal/contracts';
