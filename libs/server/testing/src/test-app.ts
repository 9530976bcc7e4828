import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@portal/api';
import { AppConfig, JobsService } from '@portal/core';
import { WorkerModule } from '@portal/worker';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { testConfig } from './test-config.js';
import { createTestDatabase, demoPassword, testRedisUrl } from './test-database.js';
import { createTestWorkflowTables, TestWorkflowModule } from './test-workflow.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** the BullMQ worker context, when started with `worker: true` */
  worker?: INestApplicationContext;
  config: AppConfig;
  ds: DataSource;
  /** supertest against the app's server (no port needed) */
  http(): ReturnType<typeof request>;
  /** A bearer token for a user (demo password by default); cached per username. */
  token(username: string, password?: string): Promise<string>;
  /** Run every due job and wait for it (in-process runner, or relay + BullMQ worker). */
  drain(): Promise<void>;
  /** Listen on a free loopback port (browser tests); answers the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
  /**
   * With `countStatements`: run `fn` and answer the SQL statements the app's pool ran meanwhile (BEGIN and
   * COMMIT included). The job machinery's checkouts (those that touch `outbox`) are left out: its polling
   * is not the request's work. Drain the jobs first so none runs meanwhile.
   */
  statements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
}

export interface TestAppOptions {
  /** jobs through BullMQ on the test Redis, with a worker context in this process */
  redis?: boolean;
  /** register the engine's test workflow (`test-review`) */
  testWorkflow?: boolean;
  modules?: Array<Type | DynamicModule>;
  /** the product's logger on (pino, as in production; with LOG_FILE its lines land in that file) instead of none */
  logs?: boolean;
  /** record every SQL statement of the app's connection pool, for `TestApp.statements` */
  countStatements?: boolean;
}

/** A pooled pg client whose `query` is recorded once wrapped, with the statements of its current checkout. */
interface CountedClient {
  query: (...args: unknown[]) => unknown;
  [CHECKOUT]?: string[];
}
const CHECKOUT = Symbol('checkout');

/**
 * Record the statements of each checkout of the DataSource's pool that starts while `log.on`, as they run (not
 * when the client goes back: a request's last checkout may be released after its answer has arrived). A checkout
 * that touched `outbox` is the job machinery's (its polling and sweeps, BEGIN and COMMIT included) and is left out.
 */
function countStatementsOf(ds: DataSource, log: StatementLog): void {
  type Pool = { on(event: 'acquire', fn: (c: unknown) => void): void };
  const pool = (ds.driver as unknown as { master: Pool }).master;
  pool.on('acquire', (c) => {
    const client = c as CountedClient;
    if (!client[CHECKOUT]) {
      const query = client.query.bind(client);
      client.query = (...args: unknown[]) => {
        const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string } | undefined)?.text ?? '');
        client[CHECKOUT]?.push(text);
        return query(...args);
      };
    }
    const checkout: string[] = [];
    client[CHECKOUT] = checkout;
    if (log.on) log.checkouts.push(checkout);
  });
}

/** The checkouts recorded during one `TestApp.statements` window. */
interface StatementLog {
  on: boolean;
  checkouts: string[][];
}

/** Whether the tests can reach a Redis; REQUIRE_REDIS (set in CI) turns its absence into a failure. */
export function redisAvailable(): boolean {
  if (testRedisUrl()) return true;
  if (testConfig.requireRedis()) throw new Error('REQUIRE_REDIS is set but the global setup found no Redis');
  return false;
}

/**
 * The whole API on its own cloned database, as `npm start` builds it (validation, filter, guards,
 * helmet, rate limits), minus the log output. `env` adds or overrides configuration variables.
 */
export async function startTestApp(env: Record<string, string> = {}, opts: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const redis = opts.redis ? testRedisUrl() : undefined;
  if (opts.redis && !redis) throw new Error('startTestApp({ redis: true }) needs a Redis: check redisAvailable() first');
  const config = AppConfig.fromEnv({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '5',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'silent',
    // while the suite audits personal data, the app's log lines go to a file the global teardown searches too
    ...auditedLog(env),
    DEMO_PASSWORD: demoPassword(),
    JOB_LOCK_MS: '2000',
    ...(redis ? { REDIS_URL: redis } : {}),
    ...env,
  });
  const modules = [...(opts.testWorkflow ? [TestWorkflowModule] : []), ...(opts.modules ?? [])];
  if (opts.testWorkflow) {
    const ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    await createTestWorkflowTables(ds.manager);
    await ds.destroy();
  }
  let app!: NestFastifyApplication;
  let worker: INestApplicationContext | undefined;
  try {
    app = await createApp(config, { logger: opts.logs === true, modules });
    auditResponses(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    if (redis) {
      worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, modules), { logger: false });
      await worker.init();
    }
  } catch (e) {
    // a boot that fails (a bad workflow definition, say) leaves no connection, runner or database behind
    await worker?.close().catch(() => {});
    await app?.close().catch(() => {});
    await db.drop().catch(() => {});
    throw e;
  }
  const tokens = new Map<string, string>();
  const http = () => request(app.getHttpServer());
  const log: StatementLog = { on: false, checkouts: [] };
  if (opts.countStatements) countStatementsOf(app.get(DataSource), log);
  return {
    app,
    worker,
    config,
    ds: app.get(DataSource),
    http,
    async token(username, password = demoPassword()) {
      const key = `${username}\u0000${password}`;
      const cached = tokens.get(key);
      if (cached) return cached;
      const res = await http().post('/api/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(key, res.body.token);
      return res.body.token as string;
    },
    async drain() {
      await (worker ?? app).get(JobsService).drain();
    },
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const addr = app.getHttpServer().address();
      if (!addr || typeof addr === 'string') throw new Error('no address');
      return `http://127.0.0.1:${addr.port}`;
    },
    async statements(fn) {
      if (!opts.countStatements) throw new Error('startTestApp({ countStatements: true }) records statements');
      log.checkouts = [];
      log.on = true;
      try {
        const result = await fn();
        return { result, statements: log.checkouts.filter((c) => !c.some((text) => /\boutbox\b/.test(text))).flat() };
      } finally {
        log.on = false;
      }
    },
    async close() {
      await worker?.close();
      await app.close();
      await db.drop();
    },
  };
}

let audited = 0;

/** The log of an app of the audited suite: its JSON lines at info level in the audit directory (unless the test sets its own). */
function auditedLog(env: Record<string, string>): Record<string, string> {
  const dir = testConfig.responseAuditDir();
  if (!dir || env.LOG_LEVEL !== undefined || env.LOG_FILE !== undefined) return {};
  return { LOG_LEVEL: 'info', LOG_FILE: path.join(dir, `${process.pid}-${++audited}.jsonl`) };
}

/**
 * Every response body the app sends in the suite, with its method and URL, in the directory the global setup names:
 * JSON and text appended to a file of this process; a streamed download (an export, a PDF) copied whole to a file of
 * its own as it is sent. The global teardown searches them all (and the apps' logs) for a full 居民身份证号码 or a test
 * phone number.
 */
function auditResponses(app: NestFastifyApplication): void {
  const dir = testConfig.responseAuditDir();
  if (!dir) return;
  const file = path.join(dir, `${process.pid}.log`);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (req, reply, payload, done) => {
      const type = String(reply.getHeader('content-type') ?? '');
      if (Buffer.isBuffer(payload) && !/json|text/.test(type))
        writeFileSync(path.join(dir, `${process.pid}-${++audited}.download`), Buffer.concat([Buffer.from(`${req.method} ${req.url}\n`), payload]));
      else if (typeof payload === 'string' || Buffer.isBuffer(payload)) appendFileSync(file, `\u0000${req.method} ${req.url}\n${payload.toString()}\n`);
      else if (payload && typeof (payload as Readable).pipe === 'function') {
        // the download goes on to the client through one branch while the other keeps a copy
        const source = payload as Readable;
        const toClient = new PassThrough();
        const copy = new PassThrough();
        const chunks: Buffer[] = [];
        copy.on('data', (c: Buffer) => chunks.push(c));
        copy.on('end', () =>
          writeFileSync(path.join(dir, `${process.pid}-${++audited}.download`), Buffer.concat([Buffer.from(`${req.method} ${req.url}\n`), ...chunks])),
        );
        source.on('error', (e) => toClient.destroy(e));
        source.pipe(toClient);
        source.pipe(copy);
        return done(null, toClient);
      }
      done(null, payload);
    });
}
