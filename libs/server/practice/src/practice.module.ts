import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { IndicatorRegistry, LinkedEvidenceRegistry } from '@portal/core';
import { DocumentsModule } from '@portal/documents';
import { IdentityModule, type Actor } from '@portal/identity';
import { WorkflowModule, WorkflowRegistry } from '@portal/workflow';
import { PracticeDocumentsService } from './documents/practice-documents.service.js';
import { PracticeApplicationsController, PracticeHostsController, PracticePostsController, PracticeStatsController } from './http/practice-posts.controller.js';
import { PracticeImportsController } from './http/practice-imports.controller.js';
import { PracticeRecordsController } from './http/practice-records.controller.js';
import { TeachersController } from './http/teachers.controller.js';
import { PracticeLedgerService } from './ledger/practice-ledger.service.js';
import { PracticeApplicationsService } from './posts/practice-applications.service.js';
import { PracticePostsService } from './posts/practice-posts.service.js';
import { practicePersonTimes } from './records/practice.indicators.js';
import { NEEDS_OPEN_PERIOD, practiceApplicationWorkflow } from './posts/practice-application.workflow.js';
import { practiceWorkflow } from './records/practice.workflow.js';
import { PracticeImportService } from './records/practice-import.service.js';
import { PracticeRecordsService } from './records/practice-records.service.js';
import { PracticeStatsService } from './records/practice-stats.service.js';
import { teacherIndicators } from './teachers/teacher.indicators.js';
import { TeachersService } from './teachers/teachers.service.js';

/** Registers the practice-record and practice-application workflows with their hooks, snapshot and the certificate effect, the linked evidence and the dashboard's indicators. */
@Injectable()
class PracticeSetup implements OnModuleInit {
  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly records: PracticeRecordsService,
    private readonly applications: PracticeApplicationsService,
    private readonly documents: PracticeDocumentsService,
    private readonly evidence: LinkedEvidenceRegistry,
    private readonly indicators: IndicatorRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.define({ ...practiceWorkflow, onAction: this.records.onAction, snapshot: this.records.snapshot, onPartyAccepted: this.records.hostAccepted });
    // 千企万岗 applications: accepting takes an opening of the post, ending one frees the teacher to apply again; nobody
    // is let go or accepted once the post's period is over
    this.registry.define({
      ...practiceApplicationWorkflow,
      transitions: practiceApplicationWorkflow.transitions.map((t) =>
        NEEDS_OPEN_PERIOD.includes(t.action) ? { ...t, guards: [this.applications.periodOpen] } : t,
      ),
      onAction: this.applications.onAction,
    });
    // applications still open when their post's period is over are closed (岗位已结束), not left to their SLA
    this.registry.sweep('practice.post-ended', this.applications.closeEnded);
    // 教师企业实践证明 for a counted record (idempotent: one document per record)
    this.registry.effect('practice.certificate', ({ row }) => this.documents.certificate(row.id));
    // counted practice hosted by an enterprise is evidence in its certification application (DOMAIN.md §1)
    this.evidence.register<Actor>({
      key: 'practice_record',
      resource: 'practice-records',
      list: (em, enterpriseId) => this.records.evidence(em, enterpriseId),
      opens: (em, actor, ids) => this.records.opens(em, actor, ids),
    });
    // the dashboard's figures of tasks 47 (person-times), 44 (兼职教师占比) and 48 (双师型占比), from this feature's tables
    for (const indicator of [practicePersonTimes, ...teacherIndicators]) this.indicators.register(indicator);
  }
}

/** 教师入企实践 (tasks 47-48): teachers, 千企万岗 posts and applications, practice records, the 5-year ledger. */
@Module({
  imports: [IdentityModule, WorkflowModule, DocumentsModule],
  controllers: [
    TeachersController,
    PracticeRecordsController,
    PracticeImportsController,
    PracticePostsController,
    PracticeApplicationsController,
    PracticeHostsController,
    PracticeStatsController,
  ],
  providers: [
    PracticeDocumentsService,
    PracticeLedgerService,
    PracticeApplicationsService,
    PracticeImportService,
    PracticePostsService,
    PracticeRecordsService,
    PracticeStatsService,
    TeachersService,
    PracticeSetup,
  ],
  exports: [PracticeLedgerService, PracticeRecordsService],
})
export class PracticeModule {}
