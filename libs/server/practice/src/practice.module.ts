import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { DocumentsModule } from '@portal/documents';
import { IdentityModule } from '@portal/identity';
import { WorkflowModule, WorkflowRegistry } from '@portal/workflow';
import { PracticeDocumentsService } from './documents/practice-documents.service.js';
import { PracticeApplicationsController, PracticeHostsController, PracticePostsController, PracticeStatsController } from './http/practice-posts.controller.js';
import { PracticeRecordsController } from './http/practice-records.controller.js';
import { TeachersController } from './http/teachers.controller.js';
import { PracticeLedgerService } from './ledger/practice-ledger.service.js';
import { PracticeApplicationsService } from './posts/practice-applications.service.js';
import { PracticePostsService } from './posts/practice-posts.service.js';
import { practiceWorkflow } from './records/practice.workflow.js';
import { PracticeRecordsService } from './records/practice-records.service.js';
import { PracticeStatsService } from './records/practice-stats.service.js';
import { TeachersService } from './teachers/teachers.service.js';

/** Registers the practice-record workflow with its hook, snapshot and the certificate effect. */
@Injectable()
class PracticeSetup implements OnModuleInit {
  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly records: PracticeRecordsService,
    private readonly documents: PracticeDocumentsService,
  ) {}

  onModuleInit(): void {
    this.registry.define({ ...practiceWorkflow, onAction: this.records.onAction, snapshot: this.records.snapshot });
    // 教师企业实践证明 for a counted record (idempotent: one document per record)
    this.registry.effect('practice.certificate', ({ row }) => this.documents.certificate(row.id));
  }
}

/** 教师入企实践 (tasks 47-48): teachers, 千企万岗 posts and applications, practice records, the 5-year ledger. */
@Module({
  imports: [IdentityModule, WorkflowModule, DocumentsModule],
  controllers: [
    TeachersController,
    PracticeRecordsController,
    PracticePostsController,
    PracticeApplicationsController,
    PracticeHostsController,
    PracticeStatsController,
  ],
  providers: [
    PracticeDocumentsService,
    PracticeLedgerService,
    PracticeApplicationsService,
    PracticePostsService,
    PracticeRecordsService,
    PracticeStatsService,
    TeachersService,
    PracticeSetup,
  ],
  exports: [PracticeLedgerService, PracticeRecordsService],
})
export class PracticeModule {}
