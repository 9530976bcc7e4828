import { Injectable } from '@nestjs/common';
import { countyName, INDUSTRIES, type PracticeStatsDto } from '@portal/contracts';
import { SettingsService } from '@portal/core';
import { DataSource } from 'typeorm';
import { practiceRecordsSql as sql } from './practice-records.repository.js';

/**
 * Person-times of counted practice (task 47: 10,000+), by the school's county, the school, the host's industry when
 * counted and the month the practice ended (the dashboard's definitions, from the same kept totals); and the teachers' profiles behind the shares of 兼职 (task 44) and 双师型 (task 48) teachers.
 */
@Injectable()
export class PracticeStatsService {
  constructor(
    private readonly ds: DataSource,
    private readonly settings: SettingsService,
  ) {}

  async stats(): Promise<PracticeStatsDto> {
    const rows = await sql.stats(this.ds.manager);
    const [teachers] = await this.ds.query<Array<{ total: number; part_time: number; dual: number }>>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE employment = 'part_time')::int AS part_time, count(*) FILTER (WHERE dual_qualified)::int AS dual
         FROM teacher_profiles tp JOIN users u ON u.id = tp.user_id WHERE u.active`,
    );
    const of = (dim: string) => rows.filter((r) => r.dim === dim).sort((a, b) => b.n - a.n);
    const industry = (code: string | null) => INDUSTRIES.find((i) => i.code === code)?.name ?? '其他';
    return {
      target: await this.settings.get('practice.targetPersonTimes'),
      total: of('county').reduce((a, r) => a + r.n, 0),
      byCounty: of('county').map((r) => ({ key: r.key ?? '', label: countyName(r.key) ?? r.key ?? '', n: r.n })),
      bySchool: of('school').map((r) => ({ key: (r.key ?? '').split('|')[0], label: (r.key ?? '').split('|').slice(1).join('|'), n: r.n })),
      byIndustry: of('industry').map((r) => ({ key: r.key ?? '', label: industry(r.key), n: r.n })),
      byMonth: of('month')
        .sort((a, b) => String(a.key).localeCompare(String(b.key)))
        .map((r) => ({ key: r.key ?? '', label: r.key ?? '', n: r.n })),
      teachers: { total: teachers.total, partTime: teachers.part_time, dualQualified: teachers.dual },
    };
  }
}
