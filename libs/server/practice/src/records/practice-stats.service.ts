import { Injectable } from '@nestjs/common';
import { countyName, INDUSTRIES, type PracticeStatsDto } from '@portal/contracts';
import { SettingsService } from '@portal/core';
import { DataSource } from 'typeorm';
import { practiceRecordsSql as sql } from './practice-records.repository.js';

/** Person-times of counted practice (task 47: 10,000+), by the host's county and industry, the school and the month counted. */
@Injectable()
export class PracticeStatsService {
  constructor(
    private readonly ds: DataSource,
    private readonly settings: SettingsService,
  ) {}

  async stats(): Promise<PracticeStatsDto> {
    const rows = await sql.stats(this.ds.manager);
    const of = (dim: string) => rows.filter((r) => r.dim === dim).sort((a, b) => b.n - a.n);
    const industry = (code: string | null) => INDUSTRIES.find((i) => i.code === code)?.name ?? '未知';
    return {
      target: await this.settings.get('practice.targetPersonTimes'),
      total: of('county').reduce((a, r) => a + r.n, 0),
      byCounty: of('county').map((r) => ({ key: r.key ?? '', label: countyName(r.key) ?? '未注册企业', n: r.n })),
      bySchool: of('school').map((r) => ({ key: (r.key ?? '').split('|')[0], label: (r.key ?? '').split('|').slice(1).join('|'), n: r.n })),
      byIndustry: of('industry').map((r) => ({ key: r.key ?? '', label: industry(r.key), n: r.n })),
      byMonth: of('month')
        .sort((a, b) => String(a.key).localeCompare(String(b.key)))
        .map((r) => ({ key: r.key ?? '', label: r.key ?? '', n: r.n })),
    };
  }
}
