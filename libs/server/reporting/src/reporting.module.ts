import { Injectable, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { AppConfig, JobRegistry } from '@portal/core';
import { DocumentsModule } from '@portal/documents';
import { IdentityModule } from '@portal/identity';
import { WorkflowModule } from '@portal/workflow';
import { portalToday } from '@portal/contracts';
import { KpisController } from './http/kpis.controller.js';
import { MonthlyReportsController } from './http/monthly-reports.controller.js';
import { TargetsController } from './http/targets.controller.js';
import { WorkloadController } from './http/workload.controller.js';
import { KpisService } from './kpis/kpis.service.js';
import { MonthlyReportsService } from './monthly-report/monthly-reports.service.js';
import { TargetsService } from './targets/targets.service.js';

/** Registers the monthly report's job and arms the one for the current month (once: a dedupe key). */
@Injectable()
class ReportingSetup implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly reports: MonthlyReportsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register('reporting.monthly-report', (p) => this.reports.scheduled(p.month));
  }

  async onApplicationBootstrap(): Promise<void> {
    // the report on this month is issued on the first working day of the next one
    if (this.config.jobsEnabled) await this.reports.arm(portalToday().slice(0, 7));
  }
}

/** 驾驶舱 (issue 12): targets as data, indicators against them (from the features' IndicatorRegistry), workload, the monthly report. */
@Module({
  imports: [IdentityModule, WorkflowModule, DocumentsModule],
  controllers: [TargetsController, KpisController, WorkloadController, MonthlyReportsController],
  providers: [TargetsService, KpisService, MonthlyReportsService, ReportingSetup],
  exports: [KpisService, TargetsService, MonthlyReportsService],
})
export class ReportingModule {}
