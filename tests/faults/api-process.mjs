// A real API process for the fault tests (the API killed between commit and publish, several instances, the
// whole product restarted): the app `npm start` builds (createApp) plus the engine's test workflow
// (TestWorkflowModule), from the built dist (`npx tsc -b apps/api apps/worker libs/server/testing` first), on
// the database at DATABASE_URL; with REDIS_URL it only writes outbox rows (the workers publish and run them),
// without it it runs the jobs in-process off the outbox (the embedded default). It listens on a free loopback
// port and prints "ready <port>"; the tests SIGKILL it.
import { createApp } from '@portal/api';
import { AppConfig } from '@portal/core';
// the test workflow alone: the rest of @portal/testing (supertest, playwright-core) costs a busy machine seconds per start
import { TestWorkflowModule } from '@portal/testing/test-workflow';

// its settings as the product reads them (tests/support/processes.ts sets them for the drill)
const config = AppConfig.fromEnv();
if (!config.databaseUrl) {
  console.error('DATABASE_URL is not set');
  process.exit(2);
}
const app = await createApp(config, { logger: false, modules: [TestWorkflowModule] });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.getHttpServer().address();
console.log(`ready ${typeof address === 'object' && address ? address.port : 0}`);

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
