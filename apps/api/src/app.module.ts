import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { AppConfig, CoreModule } from '@portal/core';
import { IdentityModule } from '@portal/identity';
import { CertificationModule } from '@portal/certification';
import { ReportingModule } from '@portal/reporting';
import { OrderClassesModule } from '@portal/order-classes';
import { DocumentsModule } from '@portal/documents';
import { PracticeModule } from '@portal/practice';
import { WorkflowModule } from '@portal/workflow';
import { JobsController } from './admin/jobs.controller.js';
import { SettingsController } from './admin/settings.controller.js';
import { HealthController } from './health/health.controller.js';

/** The whole HTTP product: core, identity and (as they arrive) the engine, documents and features. */
@Module({})
export class AppModule {
  /** `extra`: more modules (tests add a workflow of their own). */
  static forRoot(config: AppConfig, extra: Array<Type | DynamicModule> = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, { applicationName: 'portal-api', role: 'api' }),
        IdentityModule,
        WorkflowModule,
        DocumentsModule,
        CertificationModule,
        PracticeModule,
        ReportingModule,
        OrderClassesModule,
        ...extra,
      ],
      controllers: [HealthController, SettingsController, JobsController],
    };
  }
}
