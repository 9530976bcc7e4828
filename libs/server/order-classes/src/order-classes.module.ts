import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { portalDate } from '@portal/contracts';
import { IndicatorRegistry, LinkedEvidenceRegistry, OutboxService, SettingsService } from '@portal/core';
import { DocumentsModule } from '@portal/documents';
import { IdentityModule, type Actor } from '@portal/identity';
import { WorkflowModule, WorkflowRegistry } from '@portal/workflow';
import { DataSource } from 'typeorm';
import { filingReceipt, receiptSubject } from './classes/filing-receipt.js';
import { orderClassIndicator } from './classes/order-class.indicators.js';
import { OrderClassStatsService } from './classes/order-class-stats.service.js';
import { OrderClassesService } from './classes/order-classes.service.js';
import { FILE_RECEIPT_EFFECT, orderClassWorkflow } from './classes/order-class.workflow.js';
import { OrderClassChangesController } from './http/order-class-changes.controller.js';
import { OrderClassImportsController } from './http/order-class-imports.controller.js';
import { OrderClassStudentsController } from './http/order-class-students.controller.js';
import { OrderClassesController } from './http/order-classes.controller.js';
import { RosterChangesService } from './students/roster-changes.service.js';
import { RosterImportsService } from './students/roster-imports.service.js';
import { StudentsService } from './students/students.service.js';

/** Registers the 订单班 workflow and the effect of filing (the 订单班备案回执) with the engine, and the dashboard's indicator. */
@Injectable()
class OrderClassesSetup implements OnModuleInit {
  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly ds: DataSource,
    private readonly classes: OrderClassesService,
    private readonly students: StudentsService,
    private readonly changes: RosterChangesService,
    private readonly outbox: OutboxService,
    private readonly settings: SettingsService,
    private readonly evidence: LinkedEvidenceRegistry,
    private readonly indicators: IndicatorRegistry,
  ) {}

  onModuleInit(): void {
    // the dashboard's figure of task 30 (filed order classes), computed from this feature's tables
    this.indicators.register(orderClassIndicator());
    // an enterprise's filed order classes count as its cooperation evidence for certification (DOMAIN.md §1)
    this.evidence.register<Actor>({
      key: 'order_class',
      resource: 'order-classes',
      list: (em, enterpriseOrgId) => this.classes.evidenceFor(em, enterpriseOrgId),
      opens: (em, actor, ids) => this.classes.opens(em, actor, ids),
    });
    const classId = async (em: Parameters<OrderClassesService['byCase']>[0], caseId: number) => Number((await this.classes.byCase(em, caseId)).id);
    this.registry.define({
      ...orderClassWorkflow(
        {
          complete: this.classes.completeGuard,
          hasStudents: async ({ row, em }) =>
            (await this.students.counts(em, await classId(em, row.id))).enrolled > 0 ? undefined : '名单中还没有学生，不能结束培养',
          outcomesReported: async ({ row, em }) => {
            const { missingOutcome } = await this.students.counts(em, await classId(em, row.id));
            return missingOutcome ? `还有 ${missingOutcome} 名学生未登记结业情况` : undefined;
          },
        },
        async (ctx) => {
          await this.classes.recordDates(ctx);
          await this.changes.onAction(ctx);
        },
      ),
      snapshot: this.classes.snapshot,
      onPartyAccepted: this.classes.partnerAccepted,
    });
    // 备案: the receipt, issued by the documents service through the outbox (idempotent: one per class and generation)
    this.registry.effect(FILE_RECEIPT_EFFECT, async ({ row }) => {
      await this.ds.transaction(async (em) => {
        const cls = await this.classes.byCase(em, row.id);
        const [bureau] = await em.query<Array<{ name: string }>>(
          `SELECT name FROM organisations WHERE kind = 'authority' AND authority_type = 'education' AND county_code = $1 ORDER BY id LIMIT 1`,
          [row.countyCode],
        );
        const request = filingReceipt(cls, {
          caseId: row.id,
          authority: bureau?.name ?? '温州市教育局',
          filedOn: portalDate(row.updatedAt),
          texts: await this.settings.texts(em),
        });
        await this.outbox.enqueue(em, 'documents.issue', request, { dedupeKey: `document:order_class_receipt:${receiptSubject(cls.id)}:1` });
      });
    });
  }
}

/** 订单班 (seed task 30): registration co-signed by the enterprise, county filing, rosters, changes, completion. */
@Module({
  imports: [IdentityModule, WorkflowModule, DocumentsModule],
  controllers: [OrderClassesController, OrderClassStudentsController, OrderClassChangesController, OrderClassImportsController],
  providers: [OrderClassesService, OrderClassStatsService, StudentsService, RosterChangesService, RosterImportsService, OrderClassesSetup],
  exports: [OrderClassesService],
})
export class OrderClassesModule {}
