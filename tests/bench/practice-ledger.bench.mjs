// The 5-year practice ledger at scale (issue 11): 1,000,000 practice records of 50,000 teachers in 100 schools,
// generated with generate_series in a scratch database (tests/bench/scratch-database.mjs, dropped at the end). Measures
// the p95 of a teacher's ledger (GET /api/teachers/:id/ledger) and of a school's teacher-status list (GET
// /api/teachers, a page of 25, as the school's admin) through the whole HTTP stack (auth guard, validation, service,
// SQL), and — in the same run — the p95 of exactly the SQL those requests ran (recorded from the app's pool: text and
// parameters), replayed with a bare `pg` client; prints both and their ratio.
// Run: `npm run build && node tests/bench/practice-ledger.bench.mjs [REQUESTS=200]`
// Uses DATABASE_URL's server when set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres), else an
// embedded PostgreSQL in a temporary directory.
import { AppConfig } from '@portal/core';
import { createApp } from '@portal/api';
import { hashPassword } from '@portal/identity';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { scratchDatabase } from './scratch-database.mjs';
import { median, ms, p95, recorder } from './sql-recorder.mjs';

const REQUESTS = Number(process.argv[2] ?? 200);
const SCHOOLS = 100;
const TEACHERS = 50_000;
const PER_TEACHER = 20;
const PASSWORD = 'Bench@2025x';
const COUNTIES = ['330302', '330303', '330304', '330305', '330324', '330326', '330327', '330328', '330329', '330381', '330382', '330383'];

async function generate(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`SET synchronous_commit = off`);
  const t0 = process.hrtime.bigint();
  const schools = await c.query(
    `INSERT INTO organisations (kind, name, county_code, school_type)
     SELECT 'school', '基准职业学校' || s, ($1::text[])[1 + s % 12], 'secondary' FROM generate_series(1, $2) s RETURNING id`,
    [COUNTIES, SCHOOLS],
  );
  const schoolIds = schools.rows.map((r) => r.id);
  const hash = await hashPassword(PASSWORD);
  await c.query(
    `INSERT INTO users (username, display_name, password_hash, organisation_id, roles)
     SELECT 'bench_admin_' || i, '基准学校管理员' || i, $2, ($1::int[])[i], ARRAY['school_admin'] FROM generate_series(1, cardinality($1::int[])) i`,
    [schoolIds, hash],
  );
  await c.query(
    `INSERT INTO users (username, display_name, password_hash, organisation_id, roles)
     SELECT 'bench_t' || g, '教师' || g, 'x', ($1::int[])[1 + (g - 1) / ($2 / cardinality($1::int[]))], ARRAY['teacher'] FROM generate_series(1, $2) g`,
    [schoolIds, TEACHERS],
  );
  const [{ id: creator }] = (await c.query(`SELECT id FROM users WHERE username = 'bench_admin_1'`)).rows;
  await c.query(
    `INSERT INTO teacher_profiles (user_id, school_id, major, employment, dual_qualified, dual_qualified_on, created_by)
     SELECT id, organisation_id, (ARRAY['电气自动化技术','数控技术','服装设计','汽车检测','软件技术'])[1 + id % 5],
            CASE WHEN id % 5 = 0 THEN 'part_time' ELSE 'full_time' END, id % 10 < 9, CASE WHEN id % 10 < 9 THEN date '2020-09-01' END, $1
       FROM users WHERE username LIKE 'bench\\_t%'`,
    [creator],
  );
  const [{ id: host }] = (await c.query(`SELECT id FROM organisations WHERE kind = 'enterprise' ORDER BY id LIMIT 1`)).rows;
  // one counted case per record (title = the record's number k of its teacher), its host party, then the records:
  // record k of a teacher starts 2012-01-01 + 250·k days (+ teacher % 50), lasts 10–40 days: periods never overlap
  await c.query(
    `INSERT INTO cases (workflow_key, state, owner_org_id, title, created_by, owner_user_id, submissions, decided_at)
     SELECT 'practice-record', 'counted', u.organisation_id, k::text, u.id, u.id, 1, now()
       FROM users u CROSS JOIN generate_series(0, $1 - 1) k WHERE u.username LIKE 'bench\\_t%'`,
    [PER_TEACHER],
  );
  await c.query(
    `INSERT INTO case_parties (case_id, party, organisation_id) SELECT id, 'host', $1 FROM cases WHERE workflow_key = 'practice-record' AND title ~ '^[0-9]+$'`,
    [host],
  );
  await c.query(
    `INSERT INTO practice_records (case_id, teacher_id, school_id, start_date, end_date, hours, claimed_hours, form, content, counted, counted_on, counted_industry, created_by)
     SELECT x.id, x.owner_user_id, x.owner_org_id, x.s, x.s + x.d, x.h, x.h, 'post', '基准数据', true, least(x.s + x.d + 7, current_date), 'other', x.owner_user_id
       FROM (SELECT c.id, c.owner_user_id, c.owner_org_id, date '2012-01-01' + c.title::int * 250 + c.owner_user_id % 50 AS s,
                    10 + (c.id % 31)::int AS d, 40 + (c.id * 7 % 260)::int AS h
               FROM cases c WHERE c.workflow_key = 'practice-record' AND c.title ~ '^[0-9]+$') x`,
  );
  await c.query(`ANALYZE`);
  const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM practice_records`)).rows;
  console.log(`generated ${n} practice records of ${TEACHERS} teachers in ${SCHOOLS} schools in ${(ms(t0) / 1000).toFixed(1)} s`);
  await c.end();
  return schoolIds;
}

async function main() {
  const db = await scratchDatabase({ demoPassword: 'Bench@2025', prefix: 'portal_bench_practice' });
  const url = db.url;
  let app;
  const raw = new pg.Client({ connectionString: url });
  try {
    const schoolIds = await generate(url);
    const config = AppConfig.fromEnv({
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      JOBS_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
      DATABASE_POOL_SIZE: '5',
    });
    app = await createApp(config, { logger: false });
    await app.init();
    const fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
    const ds = app.get(DataSource);
    const log = recorder(ds);
    await raw.connect();

    // a sample of schools, each with its admin's token; teachers of those schools for the ledger
    const sample = Array.from({ length: 20 }, (_, i) => Math.floor((i * schoolIds.length) / 20));
    const tokens = new Map();
    for (const i of sample) {
      const res = await fastify.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `bench_admin_${i + 1}`, password: PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      tokens.set(schoolIds[i], JSON.parse(res.body).token);
    }
    const teachersOf = new Map();
    for (const id of tokens.keys())
      teachersOf.set(
        id,
        (await raw.query(`SELECT user_id FROM teacher_profiles WHERE school_id = $1`, [id])).rows.map((r) => r.user_id),
      );
    const schools = [...tokens.keys()];

    async function measure(name, makeRequest) {
      const http = [];
      const sql = [];
      const statementsPerRequest = [];
      for (let i = 0; i < REQUESTS + 10; i++) {
        const { url: path, token } = makeRequest(i);
        log.statements = [];
        log.on = true;
        const t0 = process.hrtime.bigint();
        const res = await fastify.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
        const took = ms(t0);
        log.on = false;
        if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
        // the feature's own statements (the ledger's and the list's), replayed raw one after another
        const mine = log.statements.filter((s) => /practice_records|teacher_profiles/.test(s.text));
        const r0 = process.hrtime.bigint();
        for (const s of mine) await raw.query(s.text, s.values);
        const rawTook = ms(r0);
        if (i >= 10) {
          // the first requests warm the caches of both paths
          http.push(took);
          sql.push(rawTook);
          statementsPerRequest.push(mine.length);
        }
      }
      const [h, r] = [p95(http), p95(sql)];
      console.log(
        `${name}: HTTP p95 ${h.toFixed(1)} ms (median ${median(http).toFixed(1)}), same SQL raw p95 ${r.toFixed(1)} ms (median ${median(sql).toFixed(1)}), ratio ${(h / r).toFixed(2)}, ${statementsPerRequest[0]} feature statement(s) per request; goal p95 < 150 ms`,
      );
      return { http: h, raw: r };
    }

    const pick = (arr, i) => arr[(i * 7919) % arr.length];
    await measure('teacher ledger (GET /api/teachers/:id/ledger)', (i) => {
      const school = pick(schools, i);
      return { url: `/api/teachers/${pick(teachersOf.get(school), i * 31 + 3)}/ledger`, token: tokens.get(school) };
    });
    await measure('school teacher-status list (GET /api/teachers, 25 a page)', (i) => {
      const school = pick(schools, i);
      const page = i % 4;
      return { url: `/api/teachers?range=${encodeURIComponent(JSON.stringify([page * 25, page * 25 + 24]))}`, token: tokens.get(school) };
    });
    await measure('school lapsing-within-12-months list (GET /api/teachers?filter={"atRisk":true})', (i) => {
      const school = pick(schools, i);
      return { url: `/api/teachers?filter=${encodeURIComponent(JSON.stringify({ atRisk: true }))}`, token: tokens.get(school) };
    });
    const plan = await raw.query(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) SELECT r.teacher_id, r.end_date, r.hours FROM practice_records r WHERE r.teacher_id = ANY($1) AND r.counted AND r.end_date >= (current_date - make_interval(years => 5))::date - 1`,
      [[teachersOf.get(schools[0])[0]]],
    );
    console.log(`ledger range scan plan:\n  ${plan.rows.map((r) => r['QUERY PLAN']).join('\n  ')}`);
  } finally {
    await raw.end().catch(() => {});
    await app?.close();
    await db.close();
  }
}

await main();
