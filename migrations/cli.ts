/** `npm run migration:run`: apply pending migrations to DATABASE_URL or the embedded database. */
import { AppConfig, resolveDatabase } from '@portal/core';
import { runMigrations } from './index.js';

const { config, embedded } = await resolveDatabase(AppConfig.fromEnv());
const applied = await runMigrations(config.databaseUrl!);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
await embedded?.stop();
