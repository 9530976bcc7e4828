import { Injectable } from '@nestjs/common';
import { countyName, INDUSTRIES, type PracticeStatsDto } from '@portal/contracts';
import { DomainException, SettingsService } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import { practiceRecordsSql as sql } from './practice-records.repository.js';

/** A share's target (per cent) from the plan's targets table: the county's own ($1) when it has one, else the city's. */
const SHARE_TARGET = (indicator: string) =>
  `SELECT t.value FROM targets t WHERE t.indicator = '${indicator}' AND (t.county_code IS NULL OR t.county_code = $1) ORDER BY t.county_code NULLS LAST LIMIT 1`;

/**
 * Person-times of counted practice (task 47: 10,000+), by the school's county, the school, the host's industry when
 * counted and the month the practice ended (the dashboard's definitions, from the same kept totals); and the teachers'
 * profiles behind the shares of 兼职 (task 44) and 双师型 (task 48) teachers, from the same kept counts as the
 * dashboard (teacher_counts: active teachers; 双师型 among the full-time ones). Admins and city reviewers read the
 * city; a county reviewer the schools of their county (as their dashboard and the records list), not the city's.
 */
@Injectable()
export class PracticeStatsService {
  constructor(
    private readonly ds: DataSource,
    private readonly settings: SettingsService,
  ) {}

  /** The county whose figures the actor reads, null for the city; 403 for anyone else. */
  private scopeOf(actor: Actor): string | null {
    if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) return null;
    if (hasRole(actor, 'county_reviewer') && actor.jurisdiction) return actor.jurisdiction;
    throw DomainException.forbidden('只有教育主管部门可以查看实践统计');
  }

  async stats(actor: Actor): Promise<PracticeStatsDto> {
    const countyCode = this.scopeOf(actor);
    const rows = await sql.stats(this.ds.manager, countyCode);
    // the shares' targets in the same statement: the plan's targets table (the dashboard's), the county's own first
    const [teachers] = await this.ds.query<
      Array<{ total: number; part_time: number; full_time: number; dual: number; part_time_target: string | null; dual_target: string | null }>
    >(
      `SELECT coalesce(sum(tc.total), 0)::int AS total, coalesce(sum(tc.part_time), 0)::int AS part_time,
              coalesce(sum(tc.full_time), 0)::int AS full_time, coalesce(sum(tc.dual), 0)::int AS dual,
              (${SHARE_TARGET('part_time_teacher_share')}) AS part_time_target, (${SHARE_TARGET('double_qualified_share')}) AS dual_target
         FROM teacher_counts tc JOIN organisations s ON s.kind = 'school' AND s.id = tc.school_id
        WHERE $1::text IS NULL OR s.county_code = $1`,
      [countyCode],
    );
    const percent = (v: string | null) => (v === null ? null : Number(v));
    const of = (dim: string) => rows.filter((r) => r.dim === dim).sort((a, b) => b.n - a.n);
    const industry = (code: string | null) => INDUSTRIES.find((i) => i.code === code)?.name ?? '其他';
    return {
      countyCode,
      countyName: countyCode ? (countyName(countyCode) ?? countyCode) : null,
      target: await this.settings.get('practice.targetPersonTimes'),
      total: of('county').reduce((a, r) => a + r.n, 0),
      byCounty: of('county').map((r) => ({ key: r.key ?? '', label: countyName(r.key) ?? r.key ?? '', n: r.n })),
      bySchool: of('school').map((r) => ({ key: (r.key ?? '').split('|')[0], label: (r.key ?? '').split('|').slice(1).join('|'), n: r.n })),
      byIndustry: of('industry').map((r) => ({ key: r.key ?? '', label: industry(r.key), n: r.n })),
      byMonth: of('month')
        .sort((a, b) => String(a.key).localeCompare(String(b.key)))
        .map((r) => ({ key: r.key ?? '', label: r.key ?? '', n: r.n })),
      teachers: { total: teachers.total, partTime: teachers.part_time, fullTime: teachers.full_time, dualQualified: teachers.dual },
      shareTargets: { partTime: percent(teachers.part_time_target), dualQualified: percent(teachers.dual_target) },
    };
  }
}
