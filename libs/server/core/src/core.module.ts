import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config/app-config.js';
import { dataSourceOptions } from './database/data-source.js';
import { loggerParams } from './logging/logger.js';
import { SettingEntity } from './settings/setting.entity.js';
import { SettingsService } from './settings/settings.service.js';

/**
 * Configuration, logging, the database connection and settings, for the API and the worker alike.
 * `config.databaseUrl` must be resolved (see resolveDatabase) before this module is created.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, opts: { applicationName: string }): DynamicModule {
    if (!config.databaseUrl) throw new Error('CoreModule.forRoot: resolve the database URL first (resolveDatabase)');
    return {
      module: CoreModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({ url: config.databaseUrl, poolSize: config.databasePoolSize, applicationName: opts.applicationName }),
          autoLoadEntities: true,
        }),
        TypeOrmModule.forFeature([SettingEntity]),
      ],
      providers: [{ provide: AppConfig, useValue: config }, SettingsService],
      exports: [AppConfig, SettingsService, TypeOrmModule],
    };
  }
}
