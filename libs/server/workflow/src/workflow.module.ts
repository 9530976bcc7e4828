import { Module } from '@nestjs/common';
import { IdentityModule } from '@portal/identity';
import { AttachmentsService } from './attachments/attachments.service.js';
import { CalendarController } from './calendar/calendar.controller.js';
import { CalendarService } from './calendar/calendar.service.js';
import { DelegationsService } from './delegations/delegations.service.js';
import { WorkflowProcessors } from './engine/workflow.processors.js';
import { WorkflowRegistry } from './engine/workflow.registry.js';
import { WorkflowService } from './engine/workflow.service.js';
import { CaseHistoryService } from './events/case-history.service.js';
import { CasesController } from './http/cases.controller.js';
import {
  AttachmentsController,
  DelegationsController,
  InvitationsController,
  NotificationsController,
  ObjectionsController,
  TasksController,
  WorkflowsController,
} from './http/workflow.controllers.js';
import { InvitationsService } from './invitations/invitations.service.js';
import { ConfiguredMailer, Mailer } from './notifications/mailer.js';
import { NotificationsService } from './notifications/notifications.service.js';
import { ObjectionsService } from './objections/objections.service.js';
import { TasksService } from './tasks/tasks.service.js';
import { WorkloadService } from './tasks/workload.service.js';

/**
 * The approval engine: features register their workflow definitions and effects with the
 * WorkflowRegistry and change state only through WorkflowService.act().
 */
@Module({
  imports: [IdentityModule],
  controllers: [
    CalendarController,
    CasesController,
    WorkflowsController,
    TasksController,
    NotificationsController,
    AttachmentsController,
    ObjectionsController,
    DelegationsController,
    InvitationsController,
  ],
  providers: [
    WorkflowRegistry,
    WorkflowService,
    WorkflowProcessors,
    CalendarService,
    CaseHistoryService,
    TasksService,
    NotificationsService,
    InvitationsService,
    ObjectionsService,
    DelegationsService,
    AttachmentsService,
    WorkloadService,
    { provide: Mailer, useClass: ConfiguredMailer },
  ],
  exports: [WorkflowRegistry, WorkflowService, CalendarService, NotificationsService, ObjectionsService, AttachmentsService, WorkloadService, Mailer],
})
export class WorkflowModule {}
