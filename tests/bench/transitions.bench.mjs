// State changes through HTTP against PostgreSQL running the same transaction (issue 13): the county reviewer
// recommends (同意推荐: 县级初审 → 市级复核) distinct certification cases through `POST /api/cases/:ref/actions`
// with autocannon, at 10 and at 50 connections; then pgbench runs, at the same concurrency on the same database,
// the SQL the engine ran for one such request (recorded from the app's own pool and replayed with literals, the
// case id drawn from a sequence so that each transaction, too, takes a case of its own). Prints requests/s, p99,
// the ratio HTTP ÷ pgbench and the statements one request runs.
// Run: `npm run build && node tests/bench/transitions.bench.mjs [SECONDS=8]` (DATABASE_URL's server when set, else
// an embedded PostgreSQL; pgbench from the PATH or /usr/bin/pgbench). The API runs as `npm start` would: the
// default pool size and the in-process job runner (JOBS_ENABLED), so the runner's work competes with the requests.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { CERTIFICATION_CHECKLIST } from '@portal/contracts';
import { createApp } from '@portal/api';
import { AppConfig } from '@portal/core';
import { DataSource } from 'typeorm';
import { benchArgs } from './args.mjs';
import { scratchDatabase } from './scratch-database.mjs';

const { positional, options } = benchArgs();
const SECONDS = Number(positional[0] ?? 8);
const CONCURRENCY = (options.connections ?? '10,50').split(',').map(Number);
const PASSWORD = 'Bench@2025';
// enough cases for every request of every run (a request that found its case already moved would be a 409)
const CASES = Number(options.cases ?? 60_000);

/**
 * The statements of each checkout from the app's pool while `on` (text and values, in order), as the test app
 * counts them: a checkout is one statement outside a transaction, or one whole transaction.
 */
function recordCheckouts(pool) {
  const log = { on: false, checkouts: [] };
  const CHECKOUT = Symbol('checkout');
  pool.on('acquire', (client) => {
    if (!client[CHECKOUT]) {
      const query = client.query.bind(client);
      client.query = (q, values, cb) => {
        client[CHECKOUT]?.push({ text: typeof q === 'string' ? q : q?.text, values: (Array.isArray(values) ? values : q?.values) ?? [] });
        return query(q, values, cb);
      };
    }
    const checkout = [];
    client[CHECKOUT] = checkout;
    if (log.on) log.checkouts.push(checkout);
  });
  return log;
}

async function json(res) {
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** SQL literal for a recorded parameter (the replay inlines them: pgbench has no bind values of its own). */
function literal(v) {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return `'${v.toISOString()}'`;
  if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(',')}]`;
  if (typeof v === 'object') return `'${JSON.stringify(v).replaceAll("'", "''")}'`;
  return `'${String(v).replaceAll("'", "''")}'`;
}

async function main() {
  const db = await scratchDatabase({ demoPassword: PASSWORD });
  const config = AppConfig.fromEnv({
    // --pool / --jobs: another pool size, or the in-process job runner off (JOBS_ENABLED=false)
    ...(options.pool ? { DATABASE_POOL_SIZE: options.pool } : {}),
    ...(options.jobs ? { JOBS_ENABLED: options.jobs } : {}),
    DATABASE_URL: db.url,
    JWT_SECRET: 'b'.repeat(40),
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000',
    SEED_DEMO: 'false',
    PORT: '0',
  });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const api = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const log = recordCheckouts(app.get(DataSource).driver.master);
  const login = async (username) =>
    (
      await json(
        await fetch(`${api}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: PASSWORD }),
        }),
      )
    ).token;
  const enterprise = { authorization: `Bearer ${await login('enterprise')}` };
  const county = `Bearer ${await login('county')}`;

  // one application through the real path: draft, the form, the checklist's files, submit (at 县级初审)
  const draft = await json(
    await fetch(`${api}/api/certification-applications`, {
      method: 'POST',
      headers: { ...enterprise, 'content-type': 'application/json' },
      body: '{"year":2025}',
    }),
  );
  await json(
    await fetch(`${api}/api/certification-applications/${draft.id}`, {
      method: 'PUT',
      headers: { ...enterprise, 'content-type': 'application/json' },
      body: JSON.stringify({
        dataVersion: draft.dataVersion,
        plan: '三年内与温州职业技术学院共建电气自动化产业学院，每年接收实习生 30 名。',
        declarations: { noMajorAccident: true, notDishonest: true, mainBusinessNotEducation: true },
        evidence: [
          { type: 'order_class', description: '电气自动化订单班', schoolName: '温州职业技术学院', year: 2023, count: 1, source: 'manual' },
          { type: 'internship', description: '接收实习生', schoolName: '温州职业技术学院', year: 2024, count: 30, source: 'manual' },
          { type: 'investment', description: '捐赠实训设备', year: 2024, amountYuan: 350000, source: 'manual' },
        ],
      }),
    }),
  );
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  for (const c of CERTIFICATION_CHECKLIST) {
    const form = new FormData();
    form.append('purpose', c.purpose);
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), `${c.purpose}.pdf`);
    await json(await fetch(`${api}/api/cases/${draft.caseRef}/attachments`, { method: 'POST', headers: enterprise, body: form }));
  }
  await json(
    await fetch(`${api}/api/certification-applications/${draft.id}/actions`, {
      method: 'POST',
      headers: { ...enterprise, 'content-type': 'application/json' },
      body: '{"action":"submit"}',
    }),
  );
  const template = Number(draft.caseRef.split(':')[1]);

  // copies of that case with their open tasks, made with SQL: one per request of every run, HTTP and pgbench
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const columns = async (table) =>
    (
      await admin.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = 'public' AND column_name <> 'id' AND is_generated = 'NEVER' ORDER BY ordinal_position`,
        [table],
      )
    ).rows.map((r) => `"${r.column_name}"`);
  const caseCols = await columns('cases');
  const taskCols = (await columns('tasks')).filter((c) => c !== '"case_id"');
  const copies = async (n) => {
    const { rows } = await admin.query(`INSERT INTO cases (${caseCols}) SELECT ${caseCols} FROM cases, generate_series(1, $2) WHERE id = $1 RETURNING id`, [
      template,
      n,
    ]);
    const ids = rows.map((r) => Number(r.id));
    await admin.query(
      `INSERT INTO tasks (case_id, ${taskCols}) SELECT c.id, ${taskCols.map((c) => `t.${c}`)} FROM tasks t, unnest($2::bigint[]) c(id) WHERE t.case_id = $1 AND t.status = 'open'`,
      [template, ids],
    );
    return ids;
  };
  const httpIds = await copies(CASES);
  await admin.query('VACUUM ANALYZE cases');
  await admin.query('VACUUM ANALYZE tasks');

  // the statements of one request (on a case of its own), recorded from the app's pool
  const [probe] = await copies(1);
  log.on = true;
  const res = await fetch(`${api}/api/cases/certification:${probe}/actions`, {
    method: 'POST',
    headers: { authorization: county, 'content-type': 'application/json' },
    body: '{"action":"recommend","comment":"同意推荐"}',
  });
  log.on = false;
  const probed = await json(res);
  if (probed.state !== 'city_review') throw new Error(`recommend: ${JSON.stringify(probed)}`);
  // the request's own checkouts: not the job runner's (it claims outbox rows on its own connection meanwhile)
  const control = (s) => /^(BEGIN|COMMIT|START TRANSACTION|ROLLBACK)/i.test(s.text.trim());
  const own = log.checkouts.filter((c) => !c.some((s) => /FROM outbox WHERE processed_at IS NULL/.test(s.text)));
  const statements = own.flat().filter((s) => !control(s));
  const locked = own.find((c) => c.some((s) => /FROM cases WHERE .*FOR UPDATE/.test(s.text)));
  if (!locked) throw new Error('no transaction recorded');

  // pgbench: the transaction as the engine ran it, the case id drawn from a sequence over copies of their own
  const benchIds = await copies(CASES);
  await admin.query(`CREATE SEQUENCE bench_case_ids MINVALUE ${Math.min(...benchIds)} START ${Math.min(...benchIds)} MAXVALUE ${Math.max(...benchIds)}`);
  const transaction = locked;
  const script = [
    `SELECT nextval('bench_case_ids') AS id \\gset`,
    ...transaction.map((s) => {
      const sub = (v) => (Array.isArray(v) ? `ARRAY[${v.map(sub).join(',')}]` : v === probe || v === String(probe) ? ':id' : literal(v));
      let sql = s.text.replace(/\$(\d+)/g, (_m, i) => sub(s.values[Number(i) - 1]));
      sql = sql.replaceAll(`certification:${probe}`, `certification:' || :id || '`);
      return sql.replace(/\s+/g, ' ').trim() + ';';
    }),
  ].join('\n');
  const scriptFile = path.join(db.dir, 'transition.sql');
  writeFileSync(scriptFile, script + '\n');
  await admin.query('VACUUM ANALYZE cases');
  await admin.query('VACUUM ANALYZE tasks');

  // (run asynchronously: the API in this process finishes the previous run's requests meanwhile)
  const pgbench = async (clients) => {
    const { stdout: out } = await promisify(execFile)(
      options.pgbench ?? 'pgbench',
      ['-n', '-f', scriptFile, '-c', String(clients), '-j', '2', '-T', String(SECONDS), '-r', '--log-prefix', path.join(db.dir, 'pgb'), '-l', db.url],
      { encoding: 'utf8', cwd: db.dir },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
    if (failed) throw new Error(`pgbench: ${failed} failed transactions\n${out}`);
    // p99 from the per-transaction log (microseconds in the third column)
    const logs = readdirSync(db.dir).filter((f) => f.startsWith('pgb.'));
    const latencies = logs
      .flatMap((f) => {
        const lines = readFileSync(path.join(db.dir, f), 'utf8').trim().split('\n');
        rmSync(path.join(db.dir, f));
        return lines;
      })
      .map((l) => Number(l.split(' ')[2]))
      .sort((a, b) => a - b);
    return { rps: tps, p99: latencies[Math.floor(latencies.length * 0.99)] / 1000 };
  };

  let next = 0;
  const http = async (connections) => {
    const cpu = process.cpuUsage();
    const r = await autocannon({
      url: api,
      connections,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const id = httpIds[next++];
            if (id === undefined) throw new Error('out of cases: raise --cases');
            return {
              ...req,
              path: `/api/cases/certification:${id}/actions`,
              headers: { authorization: county, 'content-type': 'application/json' },
              body: '{"action":"recommend","comment":"同意推荐"}',
            };
          },
        },
      ],
    });
    if (r.non2xx || r.errors) throw new Error(`HTTP: ${r.non2xx} non-2xx, ${r.errors} errors`);
    const used = process.cpuUsage(cpu);
    // CPU of this process (API and load generator) per request, in ms
    return { rps: r.requests.average, p99: r.latency.p99, cpu: (used.user + used.system) / 1000 / r.requests.total };
  };

  const rows = [];
  for (const c of CONCURRENCY) {
    const runs = [];
    for (let round = 0; round < 2; round++) runs.push({ bare: await pgbench(c), portal: await http(c) });
    const best = (k) => runs.map((r) => r[k]).sort((a, b) => b.rps - a.rps)[0];
    rows.push({ c, bare: best('bare'), portal: best('portal') });
  }
  const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
  console.log(
    `\none recommend request ran ${statements.length} statements (${transaction.filter((s) => !control(s)).length} in its transaction; BEGIN and COMMIT not counted):`,
  );
  for (const s of statements) console.log(`  ${s.text.replace(/\s+/g, ' ').slice(0, 110)}`);
  console.log('\n| connections | pgbench tx/s (p99) | HTTP recommend req/s (p99) | ratio | goal | process CPU per request |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.c} | ${r.bare.rps.toFixed(0)} (${r.bare.p99.toFixed(0)} ms) | ${r.portal.rps.toFixed(0)} (${r.portal.p99} ms) | ${(r.portal.rps / r.bare.rps).toFixed(2)} | ${r.c === 50 ? '≥ 0.5, p99 ≤ 200 ms' : ''} | ${r.portal.cpu.toFixed(1)} ms |`,
    );
  console.log(`\npool ${config.databasePoolSize}, jobs ${config.jobsEnabled ? 'in-process runner on' : 'off'}; process RSS (API and load generator) ${rss} MB`);

  await admin.end();
  await app.close();
  await db.close();
}

await main();
