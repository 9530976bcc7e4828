// Lists at a million rows (issue 13, "Lists"): 1,000,000 certification applications of 200,000 enterprises, and a
// page of 25 with each filter and sort the web app offers (search box, stage, county, year, overdue; sorted by last
// change or by deadline; a deep page at the bound), as the city reviewer and as a county reviewer, through the whole
// HTTP stack (Fastify inject: authentication, validation, the service) — against the same SQL statements, recorded
// from the app's pool during the request and replayed with a bare `pg` client right after it. Prints p95 (and
// median) of both and the ratio raw ÷ API (goal ≥ 0.3, and the API's p95 ≤ 150 ms).
// Run: `npm run build && node tests/bench/lists.bench.mjs [REQUESTS=40]`. Uses DATABASE_URL's server when set, else an
// embedded PostgreSQL in a temporary directory; the scratch database is dropped at the end, unless `--keep` (its URL is
// printed; `--db=<that url>` then measures it again without generating, after `npm run migration:run` on it);
// `--only=county` measures only the requests whose name contains that text.
import { createApp } from '@portal/api';
import { MAX_LIST_OFFSET } from '@portal/contracts';
import { AppConfig } from '@portal/core';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { benchArgs } from './args.mjs';
import { scratchDatabase } from './scratch-database.mjs';
import { median, ms, p95, recorder, replay } from './sql-recorder.mjs';

const { positional, options } = benchArgs();
const REQUESTS = Number(positional[0] ?? 40);
const ENTERPRISES = 200_000;
const APPLICATIONS = 1_000_000;
const PASSWORD = 'Bench@2025';
const COUNTIES = ['330302', '330303', '330304', '330305', '330324', '330326', '330327', '330328', '330329', '330381', '330382', '330383'];
const STATES = ['draft', 'county_review', 'city_review', 'panel', 'publicity', 'decision', 'certified', 'rejected', 'not_certified', 'withdrawn'];

async function generate(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`SET synchronous_commit = off`);
  const t0 = process.hrtime.bigint();
  await c.query(
    `INSERT INTO organisations (kind, name, credit_code, county_code, industry)
     SELECT 'enterprise', '温州基准' || g || '号科技有限公司', '91' || lpad(g::text, 16, '0'), ($1::text[])[1 + g % 12],
            (SELECT code FROM industries ORDER BY code OFFSET g % 11 LIMIT 1)
       FROM generate_series(1, $2) g`,
    [COUNTIES, ENTERPRISES],
  );
  const [{ id: creator }] = (await c.query(`SELECT id FROM users WHERE username = 'enterprise'`)).rows;
  await c.query(
    `INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions, stage_entered_at, stage_due_at, decided_at, created_at, updated_at)
     SELECT 'certification', s.state, o.id, o.county_code, o.name || ' 认定申请', $2, CASE WHEN s.state = 'draft' THEN 0 ELSE 1 END,
            now() - make_interval(days => g % 700), CASE WHEN s.state IN ('county_review', 'city_review', 'decision') THEN now() + make_interval(days => g % 40 - 10, secs => g % 86400) END,
            CASE WHEN s.state IN ('certified', 'rejected', 'not_certified') THEN now() - make_interval(days => g % 600) END,
            now() - make_interval(days => g % 1000), now() - make_interval(mins => g % 1000000)
       FROM generate_series(1, $1) g
       JOIN organisations o ON o.kind = 'enterprise' AND o.credit_code = '91' || lpad((1 + g % $3)::text, 16, '0')
       CROSS JOIN LATERAL (SELECT ($4::text[])[1 + (g * 7) % cardinality($4::text[])] AS state) s`,
    [APPLICATIONS, creator, ENTERPRISES, STATES],
  );
  await c.query(
    `INSERT INTO certification_applications (case_id, enterprise_id, year, created_by, created_at, updated_at)
     SELECT id, owner_org_id, 2023 + id::int % 3, created_by, created_at, updated_at FROM cases WHERE workflow_key = 'certification'`,
  );
  await c.query(`VACUUM ANALYZE`);
  const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM certification_applications`)).rows;
  console.log(`generated ${n} applications of ${ENTERPRISES} enterprises in ${(ms(t0) / 1000).toFixed(1)} s`);
  await c.end();
}

async function main() {
  const db = options.db ? { url: options.db, close: async () => {} } : await scratchDatabase({ demoPassword: PASSWORD, prefix: 'portal_bench_lists' });
  if (options.keep) db.close = async () => console.log(`kept ${db.url}`);
  let app;
  const raw = new pg.Client({ connectionString: db.url });
  try {
    if (!options.db) await generate(db.url);
    const config = AppConfig.fromEnv({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '1000000' });
    app = await createApp(config, { logger: false });
    await app.init();
    const fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
    const log = recorder(app.get(DataSource));
    await raw.connect();
    const token = async (username) =>
      JSON.parse((await fastify.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } })).body).token;
    const city = await token('city');
    const county = await token('county');

    const list = (filter, sort = ['updatedAt', 'DESC'], start = 0) =>
      `/api/certification-applications?${new URLSearchParams({ filter: JSON.stringify(filter), sort: JSON.stringify(sort), range: JSON.stringify([start, start + 24]) })}`;
    const cases = [
      ['city: first page (by last change)', city, () => list({})],
      ['city: sorted by deadline', city, () => list({}, ['stageDueAt', 'ASC'])],
      ['city: a stage', city, (i) => list({ state: STATES[1 + (i % 5)] })],
      ['city: a county', city, (i) => list({ countyCode: COUNTIES[i % 12] })],
      ['city: a year', city, (i) => list({ year: 2023 + (i % 3) })],
      ['city: overdue', city, () => list({ overdue: true }, ['stageDueAt', 'ASC'])],
      ['city: search box (name)', city, (i) => list({ q: `基准${1000 + i * 37}号` })],
      ['city: search box (credit code)', city, (i) => list({ q: `${String(5000 + i * 91).padStart(6, '0')}` })],
      ['city: a stage in a county', city, (i) => list({ state: 'county_review', countyCode: COUNTIES[i % 12] })],
      [`city: deep page (row ${MAX_LIST_OFFSET})`, city, () => list({}, ['updatedAt', 'DESC'], MAX_LIST_OFFSET)],
      ['county: its list', county, () => list({})],
      ['county: a stage, by deadline', county, () => list({ state: 'county_review' }, ['stageDueAt', 'ASC'])],
    ];
    const table = [];
    // --only=<text>: the requests whose name contains it (e.g. --only=county), to compare one change quickly
    for (const [name, tok, makeUrl] of cases.filter(([name]) => !options.only || name.includes(options.only))) {
      const http = [];
      const sql = [];
      let total = '';
      for (let i = 0; i < REQUESTS + 5; i++) {
        log.statements = [];
        log.on = true;
        const t0 = process.hrtime.bigint();
        const res = await fastify.inject({ method: 'GET', url: makeUrl(i), headers: { authorization: `Bearer ${tok}` } });
        const took = ms(t0);
        log.on = false;
        if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
        total = `${res.headers['x-total-estimated'] ? '≈' : ''}${res.headers['content-range'].split('/')[1]}`;
        const mine = log.statements.filter((s) => /certification_applications|cases|organisations/.test(s.text) && !/FROM users/.test(s.text));
        const rawTook = await replay(raw, mine);
        if (i >= 5) {
          http.push(took);
          sql.push(rawTook);
        }
      }
      const row = { name, total, api: p95(http), apiMedian: median(http), raw: p95(sql), rawMedian: median(sql) };
      table.push(row);
      console.log(`${name}: total ${total}, API p95 ${row.api.toFixed(1)} ms, same SQL raw p95 ${row.raw.toFixed(1)} ms`);
    }
    console.log(`\n| list request (${REQUESTS} each) | total | API p95 (median) | same SQL raw p95 (median) | ratio raw ÷ API |\n|---|---|---|---|---|`);
    for (const r of table)
      console.log(
        `| ${r.name} | ${r.total} | ${r.api.toFixed(1)} ms (${r.apiMedian.toFixed(1)}) | ${r.raw.toFixed(1)} ms (${r.rawMedian.toFixed(1)}) | ${(r.raw / r.api).toFixed(2)} |`,
      );
  } finally {
    await raw.end().catch(() => {});
    await app?.close();
    await db.close();
  }
}

await main();
