// A real worker process for the fault tests (a worker killed mid-effect, a job killed mid-render):
// WorkerModule plus the engine's test workflow (TestWorkflowModule), from the built dist
// (`npx tsc -b apps/api apps/worker libs/server/testing` first), jobs from BullMQ on REDIS_URL, the
// database at DATABASE_URL. It prints "ready" once its relay and BullMQ worker run; the tests SIGKILL it.
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@portal/core';
// the test workflow alone: the rest of @portal/testing (supertest, playwright-core) costs a busy machine seconds per start
import { TestWorkflowModule } from '@portal/testing/test-workflow';
import { WorkerModule } from '@portal/worker';

// its settings as the product reads them (tests/support/processes.ts sets them for the drill)
const config = AppConfig.fromEnv();
if (!config.databaseUrl || !config.redisUrl) {
  console.error('DATABASE_URL and REDIS_URL must be set');
  process.exit(2);
}
const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, [TestWorkflowModule]), { logger: false });
await app.init();
console.log('ready');

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
