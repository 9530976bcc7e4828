import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { DocumentsModule } from '@portal/documents';
import { IdentityModule } from '@portal/identity';
import { portalDate, type CertificationLevel } from '@portal/contracts';
import { JobRegistry } from '@portal/core';
import { WorkflowModule, WorkflowRegistry } from '@portal/workflow';
import { DataSource } from 'typeorm';
import { ApplicationsService } from './applications/applications.service.js';
import { CertificationBatchService } from './applications/batch.service.js';
import { certificationWorkflow, recordWorkflow } from './applications/certification.workflow.js';
import { AnnualReportsService } from './certifications/annual-reports.service.js';
import { CertificationsService } from './certifications/certifications.service.js';
import { RecordsService } from './certifications/records.service.js';
import {
  ApplicationsController,
  CertificationsController,
  PublicityController,
  RecordsController,
  SubsidiesController,
} from './http/certification.controllers.js';
import { SubsidiesService } from './subsidies/subsidies.service.js';

/** Registers the two workflows and their effects with the engine. */
@Injectable()
class CertificationSetup implements OnModuleInit {
  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly ds: DataSource,
    private readonly applications: ApplicationsService,
    private readonly records: RecordsService,
    private readonly certifications: CertificationsService,
    private readonly jobs: JobRegistry,
    private readonly reports: AnnualReportsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register('certification.annual-report', (p) => this.reports.process(p));
    this.registry.define({ ...certificationWorkflow(this.applications.eligibleGuard), snapshot: this.applications.snapshot });
    this.registry.define(recordWorkflow(this.records.hasPublishedList));

    // 认定: the certification, its subsidy, the certificate and the subsidy notice (idempotent: unique keys)
    this.registry.effect('certification.certify', async ({ row, params }) => {
      await this.ds.transaction(async (em) => {
        const a = await this.applications.byCase(em, row.id);
        await this.certifications.grant(em, {
          enterpriseId: a.enterpriseId,
          level: 'city',
          source: 'portal',
          applicationId: a.id,
          caseId: row.id,
          certifiedAt: portalDate(row.decidedAt ?? new Date()),
          actorId: null,
          batchId: typeof params?.batchId === 'number' ? params.batchId : undefined,
        });
      });
    });
    // a confirmed provincial or national record
    this.registry.effect('certification.record', async ({ row }) => {
      await this.ds.transaction(async (em) => {
        const [r] = await em.query<Array<{ enterprise_id: number; level: Exclude<CertificationLevel, 'city'>; document_no: string; certified_at: string }>>(
          `SELECT enterprise_id, level, document_no, certified_at FROM certification_records WHERE case_id = $1`,
          [row.id],
        );
        if (!r) throw new Error(`no certification record for case ${row.id}`);
        await this.certifications.grant(em, {
          enterpriseId: r.enterprise_id,
          level: r.level,
          source: 'recorded',
          recordCaseId: row.id,
          documentNo: r.document_no,
          certifiedAt: r.certified_at,
          actorId: null,
        });
      });
    });
  }
}

/** 产教融合型企业认定 (tasks 21-24): applications, provincial/national records, certifications, subsidies, 公示. */
@Module({
  imports: [IdentityModule, WorkflowModule, DocumentsModule],
  controllers: [ApplicationsController, CertificationsController, RecordsController, SubsidiesController, PublicityController],
  providers: [
    AnnualReportsService,
    ApplicationsService,
    CertificationBatchService,
    CertificationsService,
    RecordsService,
    SubsidiesService,
    CertificationSetup,
  ],
})
export class CertificationModule {}
