import { Injectable, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { AppConfig, JobRegistry, PlanTargets } from '@portal/core';
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

/** Registers the monthly report's job, provides the plan's targets to the features, arms the month's report (once: a dedupe key). */
@Injectable()
class ReportingSetup implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly reports: MonthlyReportsService,
    private readonly config: AppConfig,
    private readonly targets: TargetsService,
    private readonly planTargets: PlanTargets,
  ) {}

  onModuleInit(): void {
    this.jobs.register('reporting.monthly-report', (p) => this.reports.scheduled(p.month));
    // the features' pages (订单班建设进度, 实践统计) measure against the same targets as the dashboard
    this.planTargets.provide((em, indicators, countyCode) => this.targets.valuesFor(em, indicators, countyCode));
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
