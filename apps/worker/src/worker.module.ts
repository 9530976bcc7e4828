import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfig, CoreModule } from '@portal/core';

/** Core plus the job processors (added with the workflow engine and documents). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [CoreModule.forRoot(config, { applicationName: 'portal-worker' })] };
  }
}
