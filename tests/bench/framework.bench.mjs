// The framework's cost per request (issue 13), side by side in one run against the bare stack doing the same
// work: a public route (GET /api/health: one SELECT 1) against bare Fastify answering the same JSON after the
// same SELECT 1 through a pg pool of the same size; an authenticated route (GET /api/me: verify the token, load
// the actor, read the user) against bare Fastify verifying the same token with jsonwebtoken and running the
// same statement. Two references bound what the framework itself can reach: the least Nest application on the
// same Fastify (one controller answering the same JSON after the same SELECT 1, no guard, pipe or hook of the
// portal's), and the same with a global guard that only answers true (every route of the portal passes its global
// AuthGuard, public ones too).
//
// Each server runs in a process of its own, so that two figures are taken per load (autocannon, 10 connections,
// each pair alternately, three rounds, the median kept): requests per second, and the server process's CPU time
// per request (utime + stime from /proc/<pid>/stat, Linux). On this shared 2-core machine req/s swings 2-3× from
// one minute to the next with the other work on the cores; CPU time per request hardly moves, and its ratio
// (bare µs ÷ portal µs) is the throughput ratio of a saturated core. The goal is judged on that one.
// Run: `npm run build && node tests/bench/framework.bench.mjs [SECONDS=5]`.
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL in a temporary directory.
import { fork } from 'node:child_process';
import { createSecretKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { scratchDatabase } from './scratch-database.mjs';

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = 10;
const POOL = 10;
const ROUNDS = 3;
const SECRET = 'b'.repeat(40);
const HEALTH = { status: 'ok', database: { status: 'up' }, queue: { mode: 'embedded', status: 'in-process' } };

/** CPU time (µs) a process has used so far, or undefined where /proc is not there. */
function cpuMicros(pid) {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  // utime and stime, in clock ticks (100 per second on Linux)
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function load(server, path, headers = {}) {
  const before = cpuMicros(server.pid);
  const r = await autocannon({ url: `${server.url}${path}`, connections: CONNECTIONS, duration: SECONDS, headers });
  if (r.non2xx || r.errors) throw new Error(`${server.url}${path}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  const after = cpuMicros(server.pid);
  return { rps: r.requests.average, p99: r.latency.p99, cpu: before === undefined ? undefined : (after - before) / r.requests.total };
}

/** A server in a child process (this file, `--serve <kind>`); resolves with its pid and URL once it listens. */
function spawnServer(kind, url) {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind, url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ pid: child.pid, url: m.url, stop: () => child.kill('SIGTERM') }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

/** In the child: the server of one kind, listening on a free port; its URL goes to the parent. */
async function serve(kind, url) {
  const listening = (port) => process.send({ url: `http://127.0.0.1:${port}` });
  if (kind === 'portal') {
    const { createApp } = await import('@portal/api');
    const { AppConfig } = await import('@portal/core');
    const config = AppConfig.fromEnv({
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: String(POOL),
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      JOBS_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
      SEED_DEMO: 'false',
      PORT: '0',
    });
    const app = await createApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    return listening(app.getHttpServer().address().port);
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  if (kind === 'bare') {
    const { default: Fastify } = await import('fastify');
    const { default: jwt } = await import('jsonwebtoken');
    const key = createSecretKey(Buffer.from(SECRET, 'utf8'));
    const bare = Fastify({ logger: false });
    bare.get('/health', async () => {
      await pool.query('SELECT 1');
      return HEALTH;
    });
    bare.get('/me', async (req, reply) => {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      let payload;
      try {
        payload = jwt.verify(m?.[1] ?? '', key, { algorithms: ['HS256'] });
      } catch {
        return reply.code(401).send({ message: 'unauthenticated' });
      }
      // the same statement as the portal's actor check: the user with their organisation, active, token version
      const { rows } = await pool.query(
        `SELECT u.id, u.username, u.display_name, u.roles, u.organisation_id, u.jurisdiction, u.token_version, u.email, u.phone,
                u.locked_until, u.created_at, o.kind, o.name, o.county_code
           FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1 AND u.active`,
        [payload.sub],
      );
      const u = rows[0];
      if (!u || u.token_version !== payload.tv) return reply.code(401).send({ message: 'unauthenticated' });
      return {
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        organisationId: u.organisation_id,
        roles: u.roles,
        jurisdiction: u.jurisdiction,
        email: u.email,
        phone: u.phone,
        active: true,
        lockedUntil: u.locked_until > new Date() ? u.locked_until.toISOString() : null,
        createdAt: u.created_at.toISOString(),
        organisation: { id: u.organisation_id, name: u.name, kind: u.kind, countyCode: u.county_code },
      };
    });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    return listening(bare.server.address().port);
  }
  // the least Nest application answering what /api/health answers; 'nest-guard': with a global guard that lets everything through
  const { Controller, Get, Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  class Health {
    async health() {
      await pool.query('SELECT 1');
      return HEALTH;
    }
  }
  Controller('health')(Health);
  Get()(Health.prototype, 'health', Object.getOwnPropertyDescriptor(Health.prototype, 'health'));
  class LeastModule {}
  Module({ controllers: [Health] })(LeastModule);
  const app = await NestFactory.create(LeastModule, new FastifyAdapter(), { logger: false, bodyParser: false });
  app.setGlobalPrefix('api');
  if (kind === 'nest-guard') app.useGlobalGuards({ canActivate: () => true });
  await app.listen(0, '127.0.0.1');
  return listening(app.getHttpServer().address().port);
}

async function main() {
  const db = await scratchDatabase({ demoPassword: 'Bench@2025' });
  const servers = {};
  // the servers go with this process, whatever ends it
  process.on('exit', () => Object.values(servers).forEach((s) => s.stop()));
  for (const kind of ['portal', 'bare', 'nest', 'nest-guard']) servers[kind] = await spawnServer(kind, db.url);
  const login = await fetch(`${servers.portal.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'Bench@2025' }),
  });
  const { token } = await login.json();
  if (!token) throw new Error(`login failed: ${login.status}`);
  const auth = { authorization: `Bearer ${token}` };

  // warm every server up, then alternate
  for (const [kind, s] of Object.entries(servers))
    await autocannon({ url: `${s.url}${kind === 'bare' ? '/health' : '/api/health'}`, connections: CONNECTIONS, duration: 1 });
  const bareHealth = () => load(servers.bare, '/health');
  const pairs = [
    { name: 'public: GET /api/health vs bare SELECT 1', portal: () => load(servers.portal, '/api/health'), bare: bareHealth, goal: 0.85 },
    { name: 'reference: the least Nest app (same JSON after SELECT 1) vs bare', portal: () => load(servers.nest, '/api/health'), bare: bareHealth },
    {
      name: 'reference: the least Nest app with a global guard answering true vs bare',
      portal: () => load(servers['nest-guard'], '/api/health'),
      bare: bareHealth,
    },
    {
      name: 'authenticated: GET /api/me vs bare verify + the same one SELECT',
      portal: () => load(servers.portal, '/api/me', auth),
      bare: () => load(servers.bare, '/me', auth),
      goal: 0.7,
    },
  ];
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = [];
  for (const p of pairs) {
    const runs = [];
    for (let round = 0; round < ROUNDS; round++) runs.push({ bare: await p.bare(), portal: await p.portal() });
    const of = (side) => ({
      rps: median(runs.map((r) => r[side].rps)),
      p99: median(runs.map((r) => r[side].p99)),
      cpu: runs[0][side].cpu === undefined ? undefined : median(runs.map((r) => r[side].cpu)),
    });
    const b = of('bare');
    const q = of('portal');
    rows.push({ pair: p.name, bare: b, portal: q, rpsRatio: q.rps / b.rps, cpuRatio: q.cpu === undefined ? undefined : b.cpu / q.cpu, goal: p.goal });
  }
  const cpu = (r) => (r.cpu === undefined ? '—' : `${r.cpu.toFixed(0)} µs`);
  console.log('\n| pair | bare req/s (p99), CPU per request | portal req/s (p99), CPU per request | ratio of req/s | ratio of CPU per request | goal |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.pair} | ${r.bare.rps.toFixed(0)} (${r.bare.p99} ms), ${cpu(r.bare)} | ${r.portal.rps.toFixed(0)} (${r.portal.p99} ms), ${cpu(r.portal)} | ${r.rpsRatio.toFixed(2)} | ${r.cpuRatio === undefined ? '—' : r.cpuRatio.toFixed(2)} | ${r.goal ? `≥ ${r.goal}` : 'reference'} |`,
    );
  const health = rows[0].portal;
  const me = rows.at(-1).portal;
  console.log(
    `\nauthenticated /api/me ÷ public /api/health: ${(me.rps / health.rps).toFixed(2)} in req/s${health.cpu ? `, ${(health.cpu / me.cpu).toFixed(2)} in CPU per request` : ''}`,
  );

  for (const s of Object.values(servers)) s.stop();
  await db.close();
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serve(process.argv[serveAt + 1], process.argv[serveAt + 2]);
else await main();
