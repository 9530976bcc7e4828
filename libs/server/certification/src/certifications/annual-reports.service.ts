import { Injectable } from '@nestjs/common';
import { portalToday, type AnnualReportContent, type AnnualReportDto } from '@portal/contracts';
import { DomainException, JobsService, OutboxService, SettingsService } from '@portal/core';
import { hasRole, type Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import { annualReportDue, armAnnualReport } from './annual-report.schedule.js';
import { CertificationsService } from './certifications.service.js';

export type { AnnualReportContent, AnnualReportDto };

/**
 * Dynamic management (task 21-24, DOMAIN.md): a certified enterprise reports each year. The reminder
 * before the due date and the escalation after it are jobs waiting in the outbox, armed when the
 * certification is granted and re-armed for the next year; a submitted report or a revocation ends them.
 */
@Injectable()
export class AnnualReportsService {
  constructor(
    private readonly ds: DataSource,
    readonly outbox: OutboxService,
    readonly settings: SettingsService,
    private readonly jobs: JobsService,
    private readonly certifications: CertificationsService,
  ) {}

  /** The job: remind (and arm the escalation and next year's reminder), or escalate a late report. */
  async process(p: { certificationId: number; year: number; phase: 'remind' | 'overdue' }): Promise<void> {
    await this.ds.transaction(async (em) => {
      const [c] = await em.query<Array<{ id: string; enterprise_id: number; name: string; valid_until: string | null; revoked_at: Date | null }>>(
        `SELECT c.*, o.name FROM certifications c JOIN organisations o ON o.id = c.enterprise_id WHERE c.id = $1`,
        [p.certificationId],
      );
      if (!c || c.revoked_at) return;
      const [done] = await em.query<unknown[]>(`SELECT 1 FROM annual_reports WHERE certification_id = $1 AND year = $2`, [p.certificationId, p.year]);
      if (done) return;
      const month = await this.settings.get('certification.annualReportMonth', em);
      const due = annualReportDue(p.year, month);
      const dueText = `${p.year + 1}年${month}月底`;
      if (p.phase === 'remind') {
        await this.outbox.enqueue(em, 'notify', {
          kind: 'reminder',
          title: `请于${dueText}前提交${p.year}年度产教融合报告`,
          body: c.name,
          roles: ['enterprise_applicant'],
          organisationId: c.enterprise_id,
          dedupeKey: `annual-remind:${c.id}:${p.year}`,
        });
        await this.outbox.enqueue(
          em,
          'certification.annual-report',
          { certificationId: p.certificationId, year: p.year, phase: 'overdue' },
          { dedupeKey: `annual-report:${p.certificationId}:${p.year}:overdue`, availableAt: due },
        );
        // the next year's report, while the certification is still in force then
        if (!c.valid_until || c.valid_until >= `${p.year + 1}-01-01`) await armAnnualReport(em, this, p.certificationId, p.year + 1);
      } else {
        await this.outbox.enqueue(em, 'notify', {
          kind: 'overdue',
          title: `${p.year}年度产教融合报告已逾期`,
          body: c.name,
          roles: ['enterprise_applicant'],
          organisationId: c.enterprise_id,
          dedupeKey: `annual-overdue:${c.id}:${p.year}`,
        });
        await this.outbox.enqueue(em, 'notify', {
          kind: 'escalation',
          title: `督办：${c.name} 未按期提交${p.year}年度报告`,
          body: c.name,
          role: 'city_reviewer',
          countyCode: null,
          dedupeKey: `annual-escalate:${c.id}:${p.year}`,
        });
      }
    });
    this.jobs.poke();
  }

  async submit(actor: Actor, certificationId: number, year: number, content: AnnualReportContent): Promise<AnnualReportDto> {
    const c = await this.certifications.get(actor, certificationId);
    if (c.enterpriseId !== actor.organisationId || !hasRole(actor, 'enterprise_applicant')) throw DomainException.forbidden('只有认定企业可以提交年度报告');
    if (c.status === 'revoked') throw DomainException.conflict('认定已撤销，无需提交年度报告');
    const certifiedYear = Number(c.certifiedAt.slice(0, 4));
    if (year < certifiedYear || year > Number(portalToday().slice(0, 4)))
      throw DomainException.validation(`报告年度应在 ${certifiedYear} 年至今年之间`, [{ field: 'year', messages: ['年度不正确'] }]);
    const rows: Array<{ id: string; submitted_at: Date }> = await this.ds.query(
      `INSERT INTO annual_reports (certification_id, year, content, submitted_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (certification_id, year) DO NOTHING RETURNING id, submitted_at`,
      [certificationId, year, JSON.stringify(content), actor.id],
    );
    if (!rows.length) throw DomainException.conflict(`${year} 年度报告已提交`);
    return { id: Number(rows[0].id), certificationId, year, submittedAt: rows[0].submitted_at.toISOString(), ...content };
  }

  async list(actor: Actor, certificationId: number): Promise<AnnualReportDto[]> {
    await this.certifications.get(actor, certificationId);
    const rows: Array<{ id: string; year: number; content: AnnualReportContent; submitted_at: Date }> = await this.ds.query(
      `SELECT id, year, content, submitted_at FROM annual_reports WHERE certification_id = $1 ORDER BY year`,
      [certificationId],
    );
    return rows.map((r) => ({ id: Number(r.id), certificationId, year: r.year, submittedAt: r.submitted_at.toISOString(), ...r.content }));
  }
}
