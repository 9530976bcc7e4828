import { Module } from '@nestjs/common';
import { IdentityModule } from '@portal/identity';
import { WorkflowModule } from '@portal/workflow';
import { KpisController } from './http/kpis.controller.js';
import { TargetsController } from './http/targets.controller.js';
import { WorkloadController } from './http/workload.controller.js';
import { KpisService } from './kpis/kpis.service.js';
import { TargetsService } from './targets/targets.service.js';

/** 驾驶舱 (issue 12): targets as data, indicators against them (from the features' IndicatorRegistry), workload, the monthly report. */
@Module({
  imports: [IdentityModule, WorkflowModule],
  controllers: [TargetsController, KpisController, WorkloadController],
  providers: [TargetsService, KpisService],
  exports: [KpisService, TargetsService],
})
export class ReportingModule {}
