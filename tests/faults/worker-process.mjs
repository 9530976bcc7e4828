// A real worker process for the fault tests (a worker killed mid-effect, a job killed mid-render):
// WorkerModule plus the engine's test workflow (TestWorkflowModule), from the built dist
// (`npx tsc -b apps/api apps/worker libs/server/testing` first), jobs from BullMQ on REDIS_URL, the
// database at DATABASE_URL. It prints "ready" once its relay and BullMQ worker run; the tests SIGKILL it.
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@portal/core';
// the test workflow alone: the rest of @portal/testing (supertest, playwright-core) costs a busy machine seconds per start
import { TestWorkflowModule } from '@portal/testing/test-workflow';
import { WorkerModule } from '@portal/worker';

for (const name of ['DATABASE_URL', 'REDIS_URL']) {
  if (!process.env[name]) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
}

const config = AppConfig.fromEnv({
  NODE_ENV: 'test',
  DATABASE_URL: process.env.DATABASE_URL,
  DATABASE_POOL_SIZE: '6',
  REDIS_URL: process.env.REDIS_URL,
  JOB_LOCK_MS: process.env.JOB_LOCK_MS ?? '2000',
  PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? 'https://cjrh.wenzhou.example',
  LOG_LEVEL: 'silent',
  JOBS_ENABLED: 'true',
});
const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, [TestWorkflowModule]), { logger: false });
await app.init();
console.log('ready');

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
