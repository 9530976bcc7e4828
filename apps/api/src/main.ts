import { AppConfig, resolveDatabase } from '@portal/core';
import { runMigrations } from '@portal/migrations';
import { DEMO_ACCOUNTS, runSeeds } from '@portal/seeds';
import { createApp } from './create-app.js';

/**
 * `npm start`: resolve the database (embedded PostgreSQL unless DATABASE_URL), migrate, seed, serve the
 * API and the web app on one port.
 */
const started = Date.now();
const base = AppConfig.fromEnv();
const { config, embedded } = await resolveDatabase(base);
if (embedded) console.log(`[portal] embedded PostgreSQL ${embedded.owned ? 'started' : 'joined'} (data in ${base.dataDir}/postgres)`);
const applied = await runMigrations(config.databaseUrl!);
if (applied.length) console.log(`[portal] migrations applied: ${applied.join(', ')}`);
const city = await runSeeds(config.databaseUrl!, { demoPassword: config.seedDemo ? config.demoPassword : undefined, citySize: config.demoCitySize, config });
if (city?.created) console.log(`[portal] demo city of ${city.size} enterprises generated in ${city.seconds.toFixed(1)} s (DEMO_CITY_SIZE; 0 = none)`);

const app = await createApp(config);
await app.listen({ port: config.port, host: config.host });
const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
console.log(`
[portal] 温州市产教融合平台 is ready in ${((Date.now() - started) / 1000).toFixed(1)} s
  web app:   ${url}/
  API docs:  ${url}/api/docs
  jobs:      ${config.queueMode === 'bullmq' ? 'BullMQ on ' + config.redisUrl : 'in-process (no REDIS_URL)'}
${config.seedDemo ? `  demo accounts (password ${config.demoPassword}): ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')}` : ''}
`);

const stop = async () => {
  await app.close();
  await embedded?.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
