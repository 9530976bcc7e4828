/** The data source for TypeORM's CLI: `npx typeorm -d migrations/dist/data-source.js migration:show`. */
import { AppConfig, dataSourceOptions, resolveDatabase } from '@portal/core';
import { DataSource } from 'typeorm';
import { allMigrations } from './index.js';

const { config } = await resolveDatabase(AppConfig.fromEnv());
export default new DataSource(dataSourceOptions({ url: config.databaseUrl!, migrations: allMigrations }));
