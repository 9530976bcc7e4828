import { hostname } from 'node:os';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppConfig } from './config/app-config.js';
import { dataSourceOptions } from './database/data-source.js';
import { JobRegistry } from './jobs/job-registry.js';
import { JobsService, PROCESS_ROLE, type ProcessRole } from './jobs/jobs.service.js';
import { OutboxService } from './jobs/outbox.service.js';
import { BlobStore, PostgresBlobStore } from './blobs/blob-store.js';
import { createFieldCipher, FieldCipher } from './crypto/field-cipher.js';
import { SpreadsheetImports } from './spreadsheets/spreadsheet-imports.service.js';
import { LinkedEvidenceRegistry } from './cross-feature/linked-evidence.registry.js';
import { IndicatorRegistry } from './cross-feature/indicator.registry.js';
import { PlanTargets } from './cross-feature/plan-targets.js';
import { loggerParams } from './logging/logger.js';
import { SettingEntity } from './settings/setting.entity.js';
import { SettingsService } from './settings/settings.service.js';

/**
 * The name this process's connections carry in pg_stat_activity: the role and the instance (host and pid), so
 * that with several API instances and workers an operator sees, and can end, one instance's backends.
 * PostgreSQL keeps 63 bytes of it.
 */
export function instanceName(role: string): string {
  const pid = `:${process.pid}`;
  return `${role}@${hostname().slice(0, Math.max(0, 63 - role.length - 1 - pid.length))}${pid}`;
}

/**
 * Configuration, logging, the database connection and settings, for the API and the worker alike.
 * `config.databaseUrl` must be resolved (see resolveDatabase) before this module is created.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, opts: { applicationName: string; role: ProcessRole }): DynamicModule {
    if (!config.databaseUrl) throw new Error('CoreModule.forRoot: resolve the database URL first (resolveDatabase)');
    return {
      module: CoreModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({ url: config.databaseUrl, poolSize: config.databasePoolSize, applicationName: instanceName(opts.applicationName) }),
          autoLoadEntities: true,
        }),
        TypeOrmModule.forFeature([SettingEntity]),
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: PROCESS_ROLE, useValue: opts.role },
        SettingsService,
        JobRegistry,
        OutboxService,
        { provide: BlobStore, useClass: PostgresBlobStore },
        { provide: FieldCipher, inject: [AppConfig, DataSource], useFactory: createFieldCipher },
        SpreadsheetImports,
        LinkedEvidenceRegistry,
        IndicatorRegistry,
        PlanTargets,
        {
          provide: JobsService,
          inject: [AppConfig, DataSource, JobRegistry, PROCESS_ROLE],
          useFactory: (c: AppConfig, ds: DataSource, r: JobRegistry, role: ProcessRole) => new JobsService(c, ds, r, role),
        },
      ],
      exports: [
        AppConfig,
        SettingsService,
        TypeOrmModule,
        JobRegistry,
        OutboxService,
        JobsService,
        BlobStore,
        FieldCipher,
        SpreadsheetImports,
        LinkedEvidenceRegistry,
        IndicatorRegistry,
        PlanTargets,
      ],
    };
  }
}
