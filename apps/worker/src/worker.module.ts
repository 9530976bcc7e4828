import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { AppConfig, CoreModule } from '@portal/core';
import { CertificationModule } from '@portal/certification';
import { PracticeModule } from '@portal/practice';
import { ReportingModule } from '@portal/reporting';
import { OrderClassesModule } from '@portal/order-classes';
import { DocumentsModule } from '@portal/documents';
import { WorkflowModule } from '@portal/workflow';

/** Core plus the job processors (added with the workflow engine and documents). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, extra: Array<Type | DynamicModule> = []): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config, { applicationName: 'portal-worker', role: 'worker' }),
        WorkflowModule,
        DocumentsModule,
        CertificationModule,
        PracticeModule,
        ReportingModule,
        OrderClassesModule,
        ...extra,
      ],
    };
  }
}
