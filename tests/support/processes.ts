import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort, pingRedis } from '@portal/core';
import { testConfig } from '@portal/testing';

/**
 * Processes the fault tests start and must end: a redis-server of their own on a free loopback port
 * (never the machine's on 6379), in memory only, and node children. Every one is tracked and killed by
 * `killAll()` in afterAll, by its own pid.
 */

const children = new Set<ChildProcess>();

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `done()` holds, at most `ms`; answers whether it did. */
export async function until(done: () => Promise<boolean>, ms: number, every = 50): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await done().catch(() => false)) return true;
    await sleep(every);
  }
  return done().catch(() => false);
}

export const alive = (p: ChildProcess) => p.exitCode === null && p.signalCode === null;

/** Whether this machine can run a Redis of our own; REQUIRE_REDIS (CI) makes its absence an error. */
export function redisServerInstalled(file: string): boolean {
  const ok = spawnSync('which', ['redis-server']).status === 0;
  if (!ok && testConfig.requireRedis()) throw new Error(`REQUIRE_REDIS is set but redis-server is not installed: ${file} cannot run`);
  if (!ok) console.warn(`[faults] redis-server is not installed: skipping ${file} (set REQUIRE_REDIS to make this a failure)`);
  return ok;
}

export interface OwnRedis {
  port: number;
  url: string;
  /** SIGKILL the server and wait until it no longer answers */
  kill(): Promise<void>;
  /** start it (again) on the same port, empty: nothing was persisted; a no-op while it runs */
  start(): Promise<void>;
}

/**
 * The environment without libfaketime: redis-server cannot run under it (its allocator recurses into
 * clock_gettime), and like the machine's own Redis it keeps the real clock when the tests run under faketime.
 */
export function realClockEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'LD_PRELOAD' || k.startsWith('FAKETIME')) delete env[k];
  return env;
}

export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;
  const r: OwnRedis = {
    port,
    url,
    async start() {
      if (proc && alive(proc)) return;
      proc = track(
        spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore', env: realClockEnv() }),
      );
      if (!(await until(async () => (await pingRedis(url, 200)).status === 'up', 10_000, 100))) throw new Error(`redis-server on ${port} did not start`);
    },
    async kill() {
      if (proc && alive(proc)) {
        proc.kill('SIGKILL');
        await exited(proc, 5_000);
      }
      if (!(await until(async () => (await pingRedis(url, 200)).status === 'down', 5_000, 100))) throw new Error(`redis-server on ${port} still answers`);
    },
  };
  await r.start();
  return r;
}

/** Remember a child so that killAll() ends it. */
export function track(p: ChildProcess): ChildProcess {
  children.add(p);
  p.once('exit', () => children.delete(p));
  return p;
}

/** Wait until a child has exited, at most `ms` (the timer is cleared, so nothing lingers); answers whether it did. */
export function exited(p: ChildProcess, ms: number): Promise<boolean> {
  if (!alive(p)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(!alive(p)), ms);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** End a child: SIGTERM, then SIGKILL after a grace period. */
export async function stop(p: ChildProcess, graceMs = 5_000): Promise<void> {
  if (!alive(p)) return;
  p.kill('SIGTERM');
  if (await exited(p, graceMs)) return;
  p.kill('SIGKILL');
  await exited(p, 2_000);
}

/** End every child this file started. */
export async function killAll(graceMs = 5_000): Promise<void> {
  await Promise.all([...children].map((p) => stop(p, graceMs)));
}

const ROOT = new URL('../..', import.meta.url).pathname;
const WORKER = `${ROOT}tests/faults/worker-process.mjs`;
const API = `${ROOT}tests/faults/api-process.mjs`;

/**
 * The settings of a drill's process (it reads them as the product does, AppConfig.fromEnv()): quiet, short job locks,
 * no rate limit, and no Redis unless the drill names one (a REDIS_URL of the test runner's is not inherited).
 */
const PROCESS_SETTINGS = {
  NODE_ENV: 'test',
  NODE_OPTIONS: '',
  DATABASE_POOL_SIZE: '6',
  JOB_LOCK_MS: '2000',
  JOBS_ENABLED: 'true',
  PUBLIC_BASE_URL: 'https://cjrh.wenzhou.example',
  RATE_LIMIT_PER_MINUTE: '1000000',
  LOG_LEVEL: 'silent',
  REDIS_URL: '',
};

/** Start a node script of tests/faults and wait until it prints "ready" (and what follows it on the line). */
async function startReadyProcess(script: string, what: string, env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; said: string }> {
  const p = track(spawn(process.execPath, [script], { cwd: ROOT, env: { ...process.env, ...PROCESS_SETTINGS, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  p.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const said = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not ready after 60 s: ${output}`)), 60_000);
    p.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const m = /ready([^\n]*)\n/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].trim());
      }
    });
    p.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited before it was ready (${code ?? signal}): ${output}`));
    });
  });
  return { proc: p, said };
}

/**
 * A real BullMQ worker process (tests/faults/worker-process.mjs, from the built dist) on a test database
 * and a Redis; resolves once it says it is ready. Tracked, so killAll() ends it.
 */
export async function startWorkerProcess(name: string, env: { DATABASE_URL: string; REDIS_URL: string; JOB_LOCK_MS: string }): Promise<ChildProcess> {
  return (await startReadyProcess(WORKER, `worker ${name}`, env)).proc;
}

export interface ApiProcess {
  proc: ChildProcess;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
}

/**
 * A real API process (tests/faults/api-process.mjs, from the built dist: the app `npm start` serves, with the
 * engine's test workflow) on a test database, listening on a free loopback port; with REDIS_URL it only writes
 * outbox rows, without it it runs the jobs in-process. Resolves once it listens. Tracked, so killAll() ends it.
 */
export async function startApiProcess(
  name: string,
  env: { DATABASE_URL: string; REDIS_URL?: string; JOB_LOCK_MS?: string; JOBS_ENABLED?: string; DATABASE_POOL_SIZE?: string },
): Promise<ApiProcess> {
  const { proc, said } = await startReadyProcess(API, `API ${name}`, env);
  const port = Number(said);
  if (!port) throw new Error(`API ${name} said no port: ${said}`);
  return { proc, port, url: `http://127.0.0.1:${port}` };
}

/** Build the dist the processes run (apps/api, apps/worker, the test workflow) from the sources under test. */
export function buildProcesses(): void {
  execFileSync('npx', ['tsc', '-b', 'apps/api', 'apps/worker', 'libs/server/testing'], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
}
