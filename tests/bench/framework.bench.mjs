// The framework's cost per request (issue 13), side by side in one run against the bare stack doing the same
// work: a public route (GET /api/health: one SELECT 1) against bare Fastify answering the same JSON after the
// same SELECT 1 through a pg pool of the same size; an authenticated route (GET /api/me: verify the token, load
// the actor, read the user) against bare Fastify verifying the same token with jsonwebtoken and running the
// same two statements. Loads with autocannon (10 connections), each pair measured alternately, twice.
// Run: `npm run build && node tests/bench/framework.bench.mjs [SECONDS=5]`.
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL in a temporary directory.
import { createSecretKey } from 'node:crypto';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { createApp } from '@portal/api';
import { AppConfig } from '@portal/core';
import { scratchDatabase } from './scratch-database.mjs';

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = 10;
const POOL = 10;

async function load(url, headers = {}) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

async function main() {
  const db = await scratchDatabase({ demoPassword: 'Bench@2025' });
  const url = db.url;

  const secret = 'b'.repeat(40);
  const config = AppConfig.fromEnv({
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: String(POOL),
    JWT_SECRET: secret,
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '1000000',
    SEED_DEMO: 'false',
    PORT: '0',
  });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const api = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const login = await fetch(`${api}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'Bench@2025' }),
  });
  const { token } = await login.json();
  if (!token) throw new Error(`login failed: ${login.status}`);

  // the bare stack: Fastify and a pg pool of the same size, doing what the routes do
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const bare = Fastify({ logger: false });
  bare.get('/health', async () => {
    await pool.query('SELECT 1');
    return { status: 'ok', database: { status: 'up' }, queue: { mode: 'embedded', status: 'in-process' } };
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
  const bareUrl = `http://127.0.0.1:${bare.server.address().port}`;
  const auth = { authorization: `Bearer ${token}` };

  // warm both up, then alternate
  await autocannon({ url: `${api}/api/health`, connections: CONNECTIONS, duration: 1 });
  await autocannon({ url: `${bareUrl}/health`, connections: CONNECTIONS, duration: 1 });
  const pairs = [
    { name: 'public: GET /api/health vs bare SELECT 1', portal: () => load(`${api}/api/health`), bare: () => load(`${bareUrl}/health`), goal: 0.85 },
    {
      name: 'authenticated: GET /api/me vs bare verify + the same one SELECT',
      portal: () => load(`${api}/api/me`, auth),
      bare: () => load(`${bareUrl}/me`, auth),
      goal: 0.7,
    },
  ];
  const rows = [];
  for (const p of pairs) {
    const runs = [];
    for (let round = 0; round < 2; round++) runs.push({ bare: await p.bare(), portal: await p.portal() });
    const best = (k) => runs.map((r) => r[k]).sort((a, b) => b.rps - a.rps)[0];
    const b = best('bare');
    const q = best('portal');
    rows.push({ pair: p.name, bare: b, portal: q, ratio: q.rps / b.rps, goal: p.goal });
  }
  const health = rows[0].portal.rps;
  const me = rows[1].portal.rps;
  const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
  console.log('\n| pair | bare req/s (p99) | portal req/s (p99) | ratio | goal |');
  console.log('|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.pair} | ${r.bare.rps.toFixed(0)} (${r.bare.p99} ms) | ${r.portal.rps.toFixed(0)} (${r.portal.p99} ms) | ${r.ratio.toFixed(2)} | ≥ ${r.goal} |`,
    );
  console.log(
    `\nauthenticated /api/me ÷ public /api/health: ${(me / health).toFixed(2)}; process RSS (API, bare server and load generator together) ${rss} MB`,
  );

  await bare.close();
  await pool.end();
  await app.close();
  await db.close();
}

await main();
