// The dashboard at the plan's scale (issue 12, "Performance"): the demo city generator at size 100,000 makes
// 1,000,000 practice records, 100,000 enterprises and 20,000 order classes (seeds/city); then GET /api/kpis — every
// indicator with its splits by county, industry and school and its 12-month trend — is asked for the city, a county
// and a school through the whole HTTP stack (Fastify inject), against the same aggregate SQL statements recorded from
// the app's pool during each request and replayed with a bare `pg` client right after it. Prints p95 (and median) of
// both and the ratio (goal: the city's p95 under 300 ms).
// Run: `npm run build && node tests/bench/dashboard.bench.mjs [REQUESTS=30] [SIZE=100000]`. Uses DATABASE_URL's server
// when set, else an embedded PostgreSQL in a temporary directory; generating the size-100,000 city takes about 20
// minutes on this machine. `--db=<url>` measures an existing city database instead (migrated to the latest).
import { createApp } from '@portal/api';
import { AppConfig } from '@portal/core';
import { hashPassword } from '@portal/identity';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { benchArgs } from './args.mjs';
import { scratchDatabase } from './scratch-database.mjs';
import { median, p95, recorder, replay } from './sql-recorder.mjs';

const { positional, options } = benchArgs();
const REQUESTS = Number(positional[0] ?? 30);
const SIZE = Number(positional[1] ?? 100_000);
const PASSWORD = 'Bench@2025';

async function main() {
  const t0 = Date.now();
  const db = options.db
    ? { url: options.db, close: async () => {} }
    : await scratchDatabase({ demoPassword: PASSWORD, prefix: 'portal_bench_dashboard', citySize: SIZE });
  if (!options.db) console.log(`generated the city of size ${SIZE} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const raw = new pg.Client({ connectionString: db.url });
  await raw.connect();
  let app;
  try {
    // the bench's own password on the demo accounts it signs in as (a scratch or bench database only)
    await raw.query(`UPDATE users SET password_hash = $1 WHERE username IN ('city', 'county', 'school')`, [await hashPassword(PASSWORD)]);
    const counts = (
      await raw.query(`SELECT (SELECT count(*) FROM practice_records)::int AS records, (SELECT count(*) FROM organisations WHERE kind = 'enterprise')::int AS enterprises,
                              (SELECT count(*) FROM order_classes)::int AS classes, (SELECT count(*) FROM teacher_profiles)::int AS teachers`)
    ).rows[0];
    console.log(`data: ${JSON.stringify(counts)}`);
    const config = AppConfig.fromEnv({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '1000000' });
    app = await createApp(config, { logger: false });
    await app.init();
    const fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
    const log = recorder(app.get(DataSource));
    const token = async (username) => {
      const res = await fastify.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      return JSON.parse(res.body).token;
    };
    const [city, county, school] = [await token('city'), await token('county'), await token('school')];
    const cases = [
      ['city (every indicator, splits, trend)', city, '/api/kpis'],
      ['a county (鹿城区)', county, '/api/kpis'],
      ['a school', school, '/api/kpis'],
    ];
    const table = [];
    for (const [name, tok, url] of cases) {
      const http = [];
      const sql = [];
      let statements = 0;
      for (let i = 0; i < REQUESTS + 3; i++) {
        log.statements = [];
        log.on = true;
        const s0 = process.hrtime.bigint();
        const res = await fastify.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tok}` } });
        const took = Number(process.hrtime.bigint() - s0) / 1e6;
        log.on = false;
        if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
        // the figures' statements (not the actor's or the settings' reads)
        const mine = log.statements.filter((s) => !/FROM users u|FROM settings/.test(s.text) && /^\s*(SELECT|WITH)/i.test(s.text));
        statements = mine.length;
        const rawTook = await replay(raw, mine);
        if (i >= 3) {
          http.push(took);
          sql.push(rawTook);
        }
      }
      const row = { name, statements, api: p95(http), apiMedian: median(http), raw: p95(sql), rawMedian: median(sql) };
      table.push(row);
      console.log(`${name}: ${statements} statements, API p95 ${row.api.toFixed(1)} ms, same SQL raw p95 ${row.raw.toFixed(1)} ms`);
    }
    console.log(`\n| GET /api/kpis (${REQUESTS} each) | statements | API p95 (median) | same SQL raw p95 (median) | ratio API ÷ raw |\n|---|---|---|---|---|`);
    for (const r of table)
      console.log(
        `| ${r.name} | ${r.statements} | ${r.api.toFixed(1)} ms (${r.apiMedian.toFixed(1)}) | ${r.raw.toFixed(1)} ms (${r.rawMedian.toFixed(1)}) | ${(r.api / r.raw).toFixed(2)} |`,
      );
  } finally {
    await raw.end().catch(() => {});
    await app?.close();
    await db.close();
  }
}

await main();
