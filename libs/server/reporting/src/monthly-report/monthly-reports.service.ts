import { Injectable } from '@nestjs/common';
import { chineseDate, COUNTIES, DOCUMENT_KINDS, monthEnd, portalToday, type KpiDto, type KpisDto, type MonthlyReportDto } from '@portal/contracts';
import { DomainException, OutboxService, SettingsService } from '@portal/core';
import { DocumentsService } from '@portal/documents';
import { OrganisationsService, type Actor } from '@portal/identity';
import { CalendarService } from '@portal/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { isCityWide } from '../kpis/kpi-scope.js';
import { KpisService } from '../kpis/kpis.service.js';
import { nextMonth, previousMonth, reportDueAt } from './monthly-report.schedule.js';

interface ReportRow {
  month: string;
  requested_at: Date;
  requested_by_name: string | null;
}

const subjectKey = (month: string) => `monthly-report:${month}`;
const monthWords = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;

/** A figure in words: 30 家, 250 万元, 33.3 %; 暂无数据 for a figure no feature computes or a share with nobody to divide by. */
function words(value: number | null, unit: string): string {
  if (value === null) return '暂无数据';
  if (unit === '元') return `${(value / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`;
  return `${value.toLocaleString('zh-CN')} ${unit}`;
}

function factOf(k: KpiDto): { label: string; value: string } {
  const target = k.target ? `，目标 ${words(k.target.value, k.unit)}（${k.target.deadline} 前）` : '';
  const progress = k.progress === null ? '' : `，完成 ${k.progress}%`;
  return { label: k.label.slice(0, 20), value: `${words(k.value, k.unit)}${target}${progress}` };
}

/**
 * The city's monthly report (issue 12): the plan's indicators against their targets and tables by county and
 * industry, issued as a PDF through the documents service (serial, QR code, public verification). One report
 * per month, whoever asks first — the worker on the first working day of the next month, or the city on demand.
 * Its figures are as of the month's last day, whenever it is generated: the records as they stood at that day's end,
 * the money of that month's year (KpisService.compute with the day).
 */
@Injectable()
export class MonthlyReportsService {
  constructor(
    private readonly ds: DataSource,
    private readonly kpis: KpisService,
    private readonly outbox: OutboxService,
    private readonly settings: SettingsService,
    private readonly calendar: CalendarService,
    private readonly organisations: OrganisationsService,
    private readonly documents: DocumentsService,
  ) {}

  /** The report on a past month ('YYYY-MM'; the last complete one by default), created once. */
  async request(actor: Actor | null, month = previousMonth(portalToday().slice(0, 7))): Promise<MonthlyReportDto> {
    if (actor && !isCityWide(actor)) throw DomainException.forbidden('只有市级可以生成月报');
    if (month >= portalToday().slice(0, 7))
      throw DomainException.validation('只能生成已结束月份的月报', [{ field: 'month', messages: ['应为已结束的月份（不含本月）'] }]);
    const created = await this.ds.transaction(async (em) => {
      // as of the month's last day (only ended months are reported, so that day is past)
      const day = monthEnd(month);
      const kpis = await this.kpis.compute(em, { kind: 'city' }, day);
      const [row] = await em.query<Array<{ month: string }>>(
        `INSERT INTO monthly_reports (month, requested_by, data) VALUES ($1, $2, $3) ON CONFLICT (month) DO NOTHING RETURNING month`,
        [month, actor?.id ?? null, JSON.stringify(kpis)],
      );
      if (!row) return false;
      await this.enqueueDocument(em, month, day, kpis);
      return true;
    });
    return this.get(month, created);
  }

  async get(month: string, created = false): Promise<MonthlyReportDto> {
    const [r] = await this.ds.query<ReportRow[]>(
      `SELECT m.month, m.requested_at, u.display_name AS requested_by_name FROM monthly_reports m LEFT JOIN users u ON u.id = m.requested_by WHERE m.month = $1`,
      [month],
    );
    if (!r) throw DomainException.notFound('月报');
    return {
      month: r.month,
      requestedAt: r.requested_at.toISOString(),
      requestedByName: r.requested_by_name,
      created,
      document: await this.documents.ofSubject('monthly_report', subjectKey(month)),
    };
  }

  /** For GET: the city only. */
  async read(actor: Actor, month: string): Promise<MonthlyReportDto> {
    if (!isCityWide(actor)) throw DomainException.forbidden('只有市级可以查看月报');
    return this.get(month);
  }

  private async enqueueDocument(em: EntityManager, month: string, day: string, kpis: KpisDto): Promise<void> {
    const texts = await this.settings.texts(em);
    const authority = texts['documents.cityAuthority'];
    const issuer = await this.organisations.authorityNamed(authority, em);
    if (!issuer) throw new Error(`no authority organisation named ${authority} to issue the monthly report`);
    const withCounties = kpis.indicators.filter((k) => k.byCounty);
    const withIndustries = kpis.indicators.filter((k) => k.byIndustry);
    const cell = (k: KpiDto, rows: KpiDto['byCounty'], key: string) => words(rows?.find((b) => b.key === key)?.value ?? null, k.unit);
    await this.outbox.enqueue(
      em,
      'documents.issue',
      {
        kind: 'monthly_report',
        subjectKey: subjectKey(month),
        generation: 1,
        holderOrgId: issuer.id,
        holderName: issuer.name,
        countyCode: null,
        authority,
        body: `根据《温州市推动现代职业教育高质量跨越式发展实施方案（2023-2025）》（温政办〔2023〕32号）确定的目标，现将${monthWords(month)}产教融合工作主要指标完成情况报告如下。数据由平台业务记录计算，截至${chineseDate(day)}；各县（市、区）及各产业的分布见后附表格。`,
        facts: kpis.indicators.slice(0, 14).map(factOf),
        tables: [
          {
            title: '附表一 各县（市、区）主要指标',
            head: ['县（市、区）', ...withCounties.map((k) => k.label)],
            rows: [
              ...COUNTIES.map((c) => [c.name, ...withCounties.map((k) => cell(k, k.byCounty, c.code))]),
              ['全市合计', ...withCounties.map((k) => words(k.value, k.unit))],
            ],
          },
          {
            title: '附表二 各产业（5+5+N）主要指标',
            head: ['产业', ...withIndustries.map((k) => k.label)],
            rows: (withIndustries[0]?.byIndustry ?? []).map((b) => [b.label, ...withIndustries.map((k) => cell(k, k.byIndustry, b.key))]),
          },
        ],
        notify: { title: `${monthWords(month)}${DOCUMENT_KINDS.monthly_report.label}已生成`, roles: ['city_reviewer', 'admin'] },
      },
      { dedupeKey: `document:monthly_report:${subjectKey(month)}:1` },
    );
  }

  /** The worker's job: the report on `month`, then the next month's job armed. */
  async scheduled(month: string): Promise<void> {
    const existing = await this.ds.query<Array<{ month: string }>>(`SELECT month FROM monthly_reports WHERE month = $1`, [month]);
    if (!existing.length) await this.request(null, month);
    await this.arm(nextMonth(month));
  }

  /** Arm the job issuing the report on `month` on the first working day after it (once per month: a dedupe key). */
  async arm(month: string): Promise<void> {
    const due = reportDueAt(month, await this.calendar.overrides());
    await this.outbox.enqueue(this.ds.manager, 'reporting.monthly-report', { month }, { dedupeKey: `monthly-report-job:${month}`, availableAt: due });
  }
}
