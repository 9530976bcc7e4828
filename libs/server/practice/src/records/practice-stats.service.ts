import { Injectable } from '@nestjs/common';
import { countyName, INDUSTRIES, type PracticeStatsDto } from '@portal/contracts';
import { DomainException, PlanTargets } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import { practiceRecordsSql as sql } from './practice-records.repository.js';

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
    private readonly targets: PlanTargets,
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
    const [teachers] = await this.ds.query<Array<{ total: number; part_time: number; full_time: number; dual: number }>>(
      `SELECT coalesce(sum(tc.total), 0)::int AS total, coalesce(sum(tc.part_time), 0)::int AS part_time,
              coalesce(sum(tc.full_time), 0)::int AS full_time, coalesce(sum(tc.dual), 0)::int AS dual
         FROM teacher_counts tc JOIN organisations s ON s.kind = 'school' AND s.id = tc.school_id
        WHERE $1::text IS NULL OR s.county_code = $1`,
      [countyCode],
    );
    // the plan's targets (the dashboard's, edited in 规划目标): the city's person-times, the shares the county's own first
    const { practice_person_times: target } = await this.targets.of(this.ds.manager, ['practice_person_times'], null);
    const shares = await this.targets.of(this.ds.manager, ['part_time_teacher_share', 'double_qualified_share'], countyCode);
    const of = (dim: string) => rows.filter((r) => r.dim === dim).sort((a, b) => b.n - a.n);
    const industry = (code: string | null) => INDUSTRIES.find((i) => i.code === code)?.name ?? '其他';
    return {
      countyCode,
      countyName: countyCode ? (countyName(countyCode) ?? countyCode) : null,
      target,
      total: of('county').reduce((a, r) => a + r.n, 0),
      byCounty: of('county').map((r) => ({ key: r.key ?? '', label: countyName(r.key) ?? r.key ?? '', n: r.n })),
      bySchool: of('school').map((r) => ({ key: (r.key ?? '').split('|')[0], label: (r.key ?? '').split('|').slice(1).join('|'), n: r.n })),
      byIndustry: of('industry').map((r) => ({ key: r.key ?? '', label: industry(r.key), n: r.n })),
      byMonth: of('month')
        .sort((a, b) => String(a.key).localeCompare(String(b.key)))
        .map((r) => ({ key: r.key ?? '', label: r.key ?? '', n: r.n })),
      teachers: { total: teachers.total, partTime: teachers.part_time, fullTime: teachers.full_time, dualQualified: teachers.dual },
      shareTargets: { partTime: shares.part_time_teacher_share, dualQualified: shares.double_qualified_share },
    };
  }
}
