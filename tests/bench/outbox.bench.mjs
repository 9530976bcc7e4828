// The outbox relay and the recurring claims (issue 13, "Outbox relay"), side by side in one run:
// 1. throughput: N outbox rows published to BullMQ by the product's OutboxRelay (claim 100 rows FOR UPDATE SKIP
//    LOCKED, addBulk, mark published, commit) against a raw `queue.addBulk` of the same jobs in batches of 100;
// 2. the statements that run every few seconds whatever the backlog — the relay's claim, the in-process runner's
//    claim, the check for jobs Redis lost, the 30-day clean-up, `drain`'s count, and the SLA sweep — timed with
//    10,000 and then 1,000,000 processed outbox rows and open tasks that are not yet due: the ratio 1M / 10k is the goal
//    (≈ 1: their cost must not grow with the table);
// 3. this process's resident memory after each step.
// Run: `npm run build && node tests/bench/outbox.bench.mjs [N=20000]`. Uses DATABASE_URL's server when set, else an
// embedded PostgreSQL in a temporary directory; REDIS_URL's Redis (default redis://127.0.0.1:6379) on database 7, its
// queues emptied before and after.
import { Queue } from 'bullmq';
import { createApp } from '@portal/api';
import { AppConfig, createQueue, InlineJobRunner, JobRegistry, OutboxRelay, purgeProcessedOutbox, QUEUE_NAME, redisOptions } from '@portal/core';
import { WorkflowProcessors } from '@portal/workflow';
import { DataSource } from 'typeorm';
import { benchArgs } from './args.mjs';
import { scratchDatabase } from './scratch-database.mjs';

const N = Number(benchArgs().positional[0] ?? 20_000);
const REPEAT = 15;
const redisUrl = `${(AppConfig.fromEnv().redisUrl ?? 'redis://127.0.0.1:6379').replace(/\/\d+$/, '')}/7`;
const mb = () => (process.memoryUsage().rss / 1024 / 1024).toFixed(0);

async function median(fn) {
  const times = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main() {
  const db = await scratchDatabase({ prefix: 'portal_outbox_bench' });
  const config = AppConfig.fromEnv({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false' });
  const app = await createApp(config, { logger: false });
  const ds = app.get(DataSource);
  const processors = app.get(WorkflowProcessors);
  const queue = createQueue(redisUrl);
  await queue.obliterate({ force: true });
  const rows = [];

  // 1. throughput: three rounds, raw and relay alternately; the best of each is kept (the machine is shared)
  const raw = new Queue('bench-raw', { connection: redisOptions(redisUrl) });
  const relay = new OutboxRelay(ds, queue);
  let rawMs = Infinity;
  let relayMs = Infinity;
  let published = 0;
  let queued = 0;
  for (let round = 0; round < 3; round++) {
    const jobs = Array.from({ length: N }, (_, i) => ({
      name: 'notify',
      data: { outboxId: i + 1, payload: { kind: 'bench' } },
      opts: { jobId: `raw-${round}-${i}` },
    }));
    let t0 = performance.now();
    for (let i = 0; i < N; i += 100) await raw.addBulk(jobs.slice(i, i + 100));
    rawMs = Math.min(rawMs, performance.now() - t0);
    await raw.obliterate({ force: true });

    await ds.query(`INSERT INTO outbox (job_name, payload) SELECT 'notify', '{"kind":"bench"}'::jsonb FROM generate_series(1, $1)`, [N]);
    t0 = performance.now();
    published = await relay.relayAll();
    relayMs = Math.min(relayMs, performance.now() - t0);
    queued = await queue.count();
    await queue.obliterate({ force: true });
    // the next round starts from a table autovacuum has caught up with, as a running system's is
    await ds.query(`UPDATE outbox SET processed_at = now() - interval '1 day'`);
    await ds.query(`VACUUM ANALYZE outbox`);
  }
  await raw.close();
  console.log(
    `throughput, ${N} jobs (best of 3): raw addBulk ${(N / (rawMs / 1000)).toFixed(0)} jobs/s, relay ${(published / (relayMs / 1000)).toFixed(0)} jobs/s`,
  );
  console.log(`  ratio ${(rawMs / relayMs).toFixed(2)} (goal ≥ 0.5); published ${published}, in Redis ${queued}; RSS ${mb()} MB`);
  rows.push([
    'relay vs raw addBulk',
    `${(N / (rawMs / 1000)).toFixed(0)} jobs/s`,
    `${(published / (relayMs / 1000)).toFixed(0)} jobs/s`,
    (rawMs / relayMs).toFixed(2),
  ]);

  // 2. the recurring statements at 10k and 1M rows
  const runner = new InlineJobRunner(ds, new JobRegistry());
  const [{ id: userId, organisation_id: orgId }] = await ds.query(
    `INSERT INTO users (username, display_name, password_hash, organisation_id, roles)
     SELECT 'bench', '基准', 'x', id, '{admin}' FROM organisations ORDER BY id LIMIT 1 RETURNING id, organisation_id`,
  );
  const [{ id: caseId }] = await ds.query(
    `INSERT INTO cases (workflow_key, state, owner_org_id, title, created_by) VALUES ('enterprise-certification', 'county_review', $1, '基准', $2) RETURNING id`,
    [orgId, userId],
  );
  const statements = {
    'relay claim (unpublished rows)': () => relay.relayAll(),
    'in-process runner claim': () => runner.pass(),
    'jobs Redis lost': () => relay.republishLost(),
    '30-day clean-up': () => purgeProcessedOutbox(ds),
    "drain's count": () => ds.query(`SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL AND attempts < 10 AND available_at <= now()`),
    'SLA sweep': () => processors.sweep(),
  };
  const costs = {};
  for (const size of [10_000, 1_000_000]) {
    const [{ n: have }] = await ds.query(`SELECT count(*)::int AS n FROM outbox`);
    await ds.query(
      `INSERT INTO outbox (job_name, payload, published_at, processed_at)
       SELECT 'notify', '{"kind":"bench"}'::jsonb, now() - make_interval(days => g % 29), now() - make_interval(days => g % 29) FROM generate_series(1, $1) g`,
      [Math.max(0, size - have)],
    );
    const [{ n: tasks }] = await ds.query(`SELECT count(*)::int AS n FROM tasks`);
    // open tasks not yet due (months ahead) and finished ones, as a busy city has them
    await ds.query(
      `INSERT INTO tasks (case_id, state, kind, role, county_code, status, due_at, completed_at)
       SELECT $1, 'county_review', 'review', 'county_reviewer', '330302', CASE WHEN g % 2 = 0 THEN 'open' ELSE 'done' END,
              now() + make_interval(days => 60 + g % 300), CASE WHEN g % 2 = 0 THEN NULL ELSE now() END
         FROM generate_series(1, $2) g`,
      [caseId, Math.max(0, size - tasks)],
    );
    await ds.query(`VACUUM ANALYZE outbox, tasks`);
    costs[size] = {};
    for (const [name, fn] of Object.entries(statements)) costs[size][name] = await median(fn);
    console.log(
      `${size.toLocaleString('en')} outbox rows and tasks: ${Object.entries(costs[size])
        .map(([k, v]) => `${k} ${v.toFixed(2)} ms`)
        .join(', ')}; RSS ${mb()} MB`,
    );
  }
  for (const name of Object.keys(statements)) {
    const a = costs[10_000][name];
    const b = costs[1_000_000][name];
    rows.push([name, `${a.toFixed(2)} ms`, `${b.toFixed(2)} ms`, (b / a).toFixed(2)]);
  }

  const [throughput, ...claims] = rows;
  console.log('\n| throughput | raw addBulk | relay | ratio |\n|---|---|---|---|');
  console.log(`| ${throughput.join(' | ')} |`);
  console.log(`\n| statement (median of ${REPEAT}) | 10k rows | 1M rows | ratio 1M / 10k |\n|---|---|---|---|`);
  for (const r of claims) console.log(`| ${r.join(' | ')} |`);
  console.log(`\npeak RSS of this process (API modules loaded, relay and sweep run in it): ${mb()} MB; queue ${QUEUE_NAME} on ${redisUrl}`);
  await queue.obliterate({ force: true });
  await queue.close();
  await app.close();
  await db.close();
}

await main();
