import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '@portal/core';
import { IdentityModule } from '@portal/identity';
import { WorkflowModule } from '@portal/workflow';
import { DocumentsService } from './documents.service.js';
import { DocumentBatchesController, DocumentsController, VerifyController } from './http/documents.controller.js';

@Injectable()
class DocumentProcessors implements OnModuleInit {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly documents: DocumentsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register('documents.issue', async (req) => void (await this.documents.issue(req)));
    this.jobs.register('documents.revoke', async (p) => void (await this.documents.revokeSubject(p.kind, p.subjectKey, p.reason, p.statusLabel)));
  }
}

/** Certificates, notices, receipts and practice certificates: issued by jobs, verified by anyone. */
@Module({
  imports: [IdentityModule, WorkflowModule],
  controllers: [DocumentsController, DocumentBatchesController, VerifyController],
  providers: [DocumentsService, DocumentProcessors],
  exports: [DocumentsService],
})
export class DocumentsModule {}
