import { NestFactory } from '@nestjs/core';
import { AppConfig, resolveDatabase } from '@portal/core';
import { runMigrations } from '@portal/migrations';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module.js';

/**
 * The worker: a NestJS application context (no HTTP) that runs the job processors off BullMQ.
 * Started separately in the scaled topology (docker-compose.yml); with no REDIS_URL the API runs the
 * same processors in-process and no worker is needed.
 */
const base = AppConfig.fromEnv();
const { config, embedded } = await resolveDatabase(base);
await runMigrations(config.databaseUrl!);
const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
app.useLogger(app.get(Logger));
app.enableShutdownHooks();
app
  .get(Logger)
  .log(`worker started; jobs ${config.redisUrl ? 'from BullMQ on ' + config.redisUrl : 'need REDIS_URL (without it the API runs them in-process)'}`);

const stop = async () => {
  await app.close();
  await embedded?.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
