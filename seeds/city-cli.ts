import { AppConfig } from '@portal/core';
import { runMigrations } from '@portal/migrations';
import { runSeeds } from './index.js';

/**
 * `npm run seed:city -- --size N`: migrate the database DATABASE_URL names, seed it, and generate a city of N
 * enterprises (other counts by the fixed ratios of seeds/city/sizes.ts) unless one was generated already.
 * N = 100000 is the benchmark's city (1,000,000 practice records, 20,000 order classes).
 */
const arg = process.argv.indexOf('--size');
const size = arg >= 0 ? Number(process.argv[arg + 1]) : NaN;
if (!Number.isInteger(size) || size < 1 || size > 1_000_000) {
  console.error('用法 / usage: npm run seed:city -- --size N   (N = 企业数 number of enterprises, 1..1000000)');
  process.exit(2);
}
const config = AppConfig.fromEnv();
if (!config.databaseUrl) {
  console.error('DATABASE_URL 未设置 / DATABASE_URL is not set: name the database to fill');
  process.exit(2);
}
const started = Date.now();
await runMigrations(config.databaseUrl);
const result = await runSeeds(config.databaseUrl, { demoPassword: config.demoPassword, citySize: size, config, log: (line) => console.log(line) });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (result?.created) console.log(`demo city: ${size} enterprises in ${seconds} s`, result.counts);
else console.log(`demo city: already generated (size ${result?.size ?? '?'}); nothing added`);
