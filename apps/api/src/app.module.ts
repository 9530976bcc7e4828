import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfig, CoreModule } from '@portal/core';
import { IdentityModule } from '@portal/identity';
import { SettingsController } from './admin/settings.controller.js';
import { HealthController } from './health/health.controller.js';

/** The whole HTTP product: core, identity and (as they arrive) the engine, documents and features. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config, { applicationName: 'portal-api' }), IdentityModule],
      controllers: [HealthController, SettingsController],
    };
  }
}
