import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { createRedis, RedisProbe } from '@portal/core';
import { demoPassword, openTestCase, startTestApp, tinyPdf, type TestApp } from '@portal/testing';
import type { Test } from 'supertest';
import { until } from '../support/processes.js';

/**
 * Broken defences (issue 9): security headers over plain HTTP, who the rate limits trust, deeply nested
 * JSON, NUL characters and exponent money, constraint names in 409 bodies, bidi characters in file names,
 * and the log entry every refused request leaves.
 */

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
  admin = await t.token('admin');
});
afterAll(() => t.close());

const as = (token: string, req: Test) => req.set('Authorization', `Bearer ${token}`);
const fields = (res: { body: { details?: unknown } }) => ((res.body.details ?? []) as Array<{ field: string }>).map((d) => d.field).sort();

function expectRefused(res: { status: number; body: Record<string, unknown> }, status = 400) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ statusCode: status, message: expect.stringMatching(/[\u4e00-\u9fff]/), requestId: expect.any(String) });
}

describe('security headers follow PUBLIC_BASE_URL', () => {
  it('over plain http: no upgrade-insecure-requests and no HSTS', async () => {
    const res = await t.http().get('/api/health');
    expect(t.config.publicBaseUrl).toMatch(/^http:/);
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('API answers are not kept by browsers or proxies (they carry personal data); the web app is', async () => {
    const me = await as(admin, t.http().get('/api/me'));
    expect(me.status).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    const refused = await t.http().get('/api/me');
    expect(refused.status).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
    const page = await t.http().get('/');
    expect(page.headers['cache-control'] ?? '').not.toContain('no-store');
  });

  it('behind https: both are sent', async () => {
    const https = await startTestApp({ PUBLIC_BASE_URL: 'https://cjrh.wenzhou.example' });
    try {
      const res = await https.http().get('/api/health');
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await https.close();
    }
  });
});

describe('the health check', () => {
  it('asks Redis on one long-lived connection, not one per request', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await t.http().get('/api/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', database: { status: 'up' } });
    }
    const health = (await t.http().get('/api/health')).body;
    if (!t.config.redisUrl) {
      expect(health.queue).toEqual({ mode: 'embedded', status: 'in-process' });
      return;
    }
    expect(health.queue).toEqual({ mode: 'bullmq', status: 'up' });
    const redis = createRedis(t.config.redisUrl);
    try {
      await redis.connect();
      const clients = String(await redis.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => line.includes(` name=${RedisProbe.connectionName} `));
      expect(clients).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
  });
});

describe('rate limits and the login log trust only configured proxies', () => {
  // RATE_LIMIT_PER_MINUTE 40 → 2 login attempts per minute per client address
  const attempt = (app: TestApp, xff: string) =>
    app.http().post('/api/auth/login').set('X-Forwarded-For', xff).send({ username: 'nobody-here', password: 'x' });

  it('without TRUST_PROXY a forged X-Forwarded-For neither escapes the limit nor reaches the login log', async () => {
    const app = await startTestApp({ RATE_LIMIT_PER_MINUTE: '40' });
    try {
      const statuses = [];
      for (let i = 1; i <= 4; i++) statuses.push((await attempt(app, `203.0.113.${i}`)).status);
      expect(statuses).toEqual([401, 401, 429, 429]);
      const ips: Array<{ ip: string }> = await app.ds.query(`SELECT ip FROM login_events WHERE username = 'nobody-here'`);
      expect(ips.length).toBe(2);
      for (const { ip } of ips) expect(ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    } finally {
      await app.close();
    }
  });

  it('with TRUST_PROXY naming the proxy, its X-Forwarded-For is the client address (each with its own limit)', async () => {
    const app = await startTestApp({ RATE_LIMIT_PER_MINUTE: '40', TRUST_PROXY: '127.0.0.1/8, ::1' });
    try {
      const statuses = [];
      for (const ip of ['198.51.100.7', '198.51.100.7', '198.51.100.7', '198.51.100.8']) statuses.push((await attempt(app, ip)).status);
      expect(statuses).toEqual([401, 401, 429, 401]);
      // a client cannot prepend its own forged hop: only the address the trusted proxy saw counts
      expect((await attempt(app, '10.9.9.9, 198.51.100.7')).status).toBe(429);
      const ips: Array<{ ip: string }> = await app.ds.query(`SELECT ip FROM login_events WHERE username = 'nobody-here' ORDER BY id`);
      expect(ips.map((r) => r.ip)).toEqual(['198.51.100.7', '198.51.100.7', '198.51.100.8']);
    } finally {
      await app.close();
    }
  });

  it('a malformed TRUST_PROXY stops the start with the variable named', async () => {
    await expect(startTestApp({ TRUST_PROXY: '127.0.0.1, not-an-address' })).rejects.toThrow(/TRUST_PROXY/);
  });
});

describe('deeply nested JSON is refused before any recursive work', () => {
  const nested = (depth: number, inner = '0') => '['.repeat(depth) + inner + ']'.repeat(depth);

  it.each([
    ['POST /api/auth/login', '/api/auth/login'],
    ['POST /api/auth/register-enterprise', '/api/auth/register-enterprise'],
    ['POST /api/publicity-notices/1/objections', '/api/publicity-notices/1/objections'],
  ])('%s: a 1 MB body of nested arrays → 400 naming the depth', async (_label, path) => {
    const depth = Math.floor((t.config.bodyLimitBytes - 16) / 2);
    const before = await t.ds.query(`SELECT (SELECT count(*)::int FROM login_events) AS e, (SELECT count(*)::int FROM organisations) AS o`);
    const res = await t.http().post(path).set('Content-Type', 'application/json').send(nested(depth));
    expectRefused(res, 400);
    expect(res.body.code).toBe('BAD_REQUEST');
    expect(res.body.message).toContain(`${t.config.jsonMaxDepth}`);
    expect(await t.ds.query(`SELECT (SELECT count(*)::int FROM login_events) AS e, (SELECT count(*)::int FROM organisations) AS o`)).toEqual(before);
  });

  it('objects count as much as arrays; brackets inside strings do not count', async () => {
    const max = t.config.jsonMaxDepth;
    const deepObject = '{"a":'.repeat(max + 1) + '1' + '}'.repeat(max + 1);
    expectRefused(await t.http().post('/api/auth/login').set('Content-Type', 'application/json').send(deepObject), 400);
    // exactly at the limit: parsed, then judged on its fields
    const atLimit = await t
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"username":${nested(max - 1)},"password":"x"}`);
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.code).toBe('VALIDATION');
    expect(fields(atLimit)).toEqual(['username']);
    const inString = await t
      .http()
      .post('/api/auth/login')
      .send({ username: '[{'.repeat(5000), password: '"]\\'.repeat(100) });
    expect(inString.status).toBe(400);
    expect(inString.body.code).toBe('VALIDATION');
  });

  it('the limit is JSON_MAX_DEPTH', async () => {
    const shallow = await startTestApp({ JSON_MAX_DEPTH: '3' });
    try {
      expect(shallow.config.jsonMaxDepth).toBe(3);
      const res = await shallow.http().post('/api/auth/login').set('Content-Type', 'application/json').send('{"username":[[["x"]]],"password":"x"}');
      expectRefused(res, 400);
      expect(res.body.message).toContain('3');
      expect((await shallow.http().post('/api/auth/login').send({ username: 'admin', password: demoPassword() })).status).toBe(200);
    } finally {
      await shallow.close();
    }
  });
});

describe('NUL characters and exponent money are a 400 naming the field', () => {
  it('a NUL in any string of a JSON body names its path, and nothing is written', async () => {
    const [{ n: before }] = await t.ds.query(`SELECT count(*)::int AS n FROM organisations`);
    const org = await as(admin, t.http().post('/api/organisations')).send({ kind: 'school', name: '零字符\u0000学校', schoolType: 'higher' });
    expectRefused(org, 400);
    expect(fields(org)).toEqual(['name']);
    const login = await t.http().post('/api/auth/login').send({ username: 'admin\u0000', password: 'x' });
    expectRefused(login, 400);
    expect(fields(login)).toEqual(['username']);
    const reg = await t
      .http()
      .post('/api/auth/register-enterprise')
      .send({ organisation: { name: 'x\u0000' }, user: { username: 'ok', tags: ['a', 'b\u0000'] } });
    expectRefused(reg, 400);
    expect(fields(reg)).toEqual(['organisation.name', 'user.tags.1']);
    const key = await as(admin, t.http().put('/api/me')).send({ ['display\u0000Name']: 'x' });
    expectRefused(key, 400);
    expect(key.body.details[0].field).toContain('display');
    const [{ n: after }] = await t.ds.query(`SELECT count(*)::int AS n FROM organisations`);
    expect(after).toBe(before);
  });

  it('a NUL in a query parameter, a list filter or a path names the parameter', async () => {
    const q = await as(admin, t.http().get('/api/users')).query({ filter: JSON.stringify({ q: 'a\u0000b' }) });
    expectRefused(q, 400);
    expect(fields(q)).toEqual(['filter']);
    const raw = await as(admin, t.http().get('/api/users?filter=%7B%22q%22%3A%22a%00%22%7D'));
    expectRefused(raw, 400);
    expect(fields(raw)).toEqual(['filter']);
    const ev = await as(admin, t.http().get('/api/login-events')).query({ filter: JSON.stringify({ q: '\u0000' }) });
    expectRefused(ev, 400);
    const path = await as(admin, t.http().get('/api/settings/auth%00x'));
    expect(path.status).toBe(400);
  });

  it.each([
    ['1e-7', 1e-7],
    ['1.5e-9', 1.5e-9],
    ['1e+21', 1e21],
    ['a third', 1 / 3],
    ['NaN as a string', 'NaN'],
  ])('money fields refuse %s with the field named', async (_label, value) => {
    const enterprise = await t.token('enterprise');
    const finance = await t.token('finance');
    const report = await as(enterprise, t.http().post('/api/certifications/1/annual-reports')).send({
      year: 2026,
      summary: '全年与温州职业技术学院合作开设订单班两个。',
      orderClasses: 1,
      internsHosted: 1,
      practicePosts: 1,
      investmentYuan: value,
    });
    expectRefused(report, 400);
    expect(fields(report)).toEqual(['investmentYuan']);
    const evidence = await as(enterprise, t.http().put('/api/certification-applications/1')).send({
      dataVersion: 1,
      evidence: [{ type: 'investment', description: '捐赠实训设备', amountYuan: value, source: 'manual' }],
    });
    expectRefused(evidence, 400);
    expect(fields(evidence)).toEqual(['evidence.0.amountYuan']);
    const pay = await as(finance, t.http().post('/api/subsidies/1/pay')).send({ voucherNo: 'LC-2025-0001', paidAt: '2025-12-01', amountYuan: value });
    expectRefused(pay, 400);
    expect(fields(pay)).toEqual(['amountYuan']);
  });

  it('yuan with up to two decimals are still accepted as money', async () => {
    const enterprise = await t.token('enterprise');
    // no certification 999999: validation passes, the lookup answers 404
    const report = await as(enterprise, t.http().post('/api/certifications/999999/annual-reports')).send({
      year: 2026,
      summary: '全年与温州职业技术学院合作开设订单班两个。',
      orderClasses: 1,
      internsHosted: 1,
      practicePosts: 1,
      investmentYuan: 120000.05,
    });
    expect(report.status).toBe(404);
  });
});

describe('409 bodies name no database constraint', () => {
  it('a duplicate unique key answers a Chinese 409 without constraint, table or column names', async () => {
    const body = { kind: 'school', name: '约束名测试学校', schoolType: 'higher' };
    expect((await as(admin, t.http().post('/api/organisations')).send(body)).status).toBe(201);
    const again = await as(admin, t.http().post('/api/organisations')).send(body);
    expectRefused(again, 409);
    expect(again.body.code).toBe('DUPLICATE');
    const text = JSON.stringify(again.body);
    for (const leak of ['organisations', 'kind_name', 'constraint', 'duplicate key', 'unique', 'violates']) expect(text.toLowerCase()).not.toContain(leak);
  });
});

describe('uploaded file names lose control and bidi characters', () => {
  it.each([
    ['U+202E (right-to-left override)', '报告\u202Efdp.exe', '报告fdp.exe'],
    ['isolates and marks', '\u2066合同\u2069\u200F\u200E\u061C.pdf', '合同.pdf'],
    ['C1 controls and zero-width characters', 'a\u0085b\u009Fc\u200Bd\uFEFF.pdf', 'abcd.pdf'],
    ['only bidi characters', '\u202E\u202D\u202A', '附件.pdf'],
  ])('%s', async (_label, given, stored) => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '文件名测试' });
    const res = await t
      .http()
      .post(`/api/cases/${ref}/attachments`)
      .set('Authorization', `Bearer ${await t.token('enterprise')}`)
      .attach('file', await tinyPdf('x'), { filename: given, contentType: 'application/pdf' });
    expect(res.status).toBe(201);
    expect(res.body.filename).toBe(stored);
    const [row] = await t.ds.query(`SELECT filename FROM attachments WHERE id = $1`, [res.body.id]);
    expect(row.filename).toBe(stored);
  });
});

describe('every refused request leaves one structured log entry with user, route and reason, and no secret', () => {
  let warn: jest.SpiedFunction<Logger['warn']>;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  const refusals = () => warn.mock.calls.map((c) => c[0] as Record<string, unknown>).filter((e) => e && typeof e === 'object' && e.event === 'request.refused');

  it('401, 403, 400 and 429 each log who, where and why', async () => {
    const password = 'Sekret-Passw0rd!';
    const teacher = await t.token('teacher');
    const badToken = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.forged-signature';

    await t.http().get('/api/me').set('Authorization', `Bearer ${badToken}`);
    await as(teacher, t.http().get('/api/settings'));
    await t.http().post('/api/auth/login').send({ username: 'admin', password, remember: true });
    await t.http().post('/api/publicity-notices/1/objections').send({ name: '张三', phone: '0577-1234567', idNumber: '330302199001011234', content: '短' });

    const entries = refusals();
    expect(entries).toHaveLength(4);
    const [unauth, forbidden, invalid, objection] = entries;
    expect(unauth).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', method: 'GET', route: '/api/me', user: null, reason: expect.stringMatching(/登录/) });
    expect(forbidden).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      method: 'GET',
      route: '/api/settings',
      user: { id: expect.any(Number), username: 'teacher' },
    });
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION', route: '/api/auth/login', fields: ['remember'] });
    expect(objection).toMatchObject({ status: 400, route: '/api/publicity-notices/:id/objections' });
    for (const e of entries) expect(e.requestId).toEqual(expect.any(String));
    const logged = JSON.stringify(warn.mock.calls);
    for (const secret of [password, badToken, 'forged-signature', teacher, '330302199001011234', '0577-1234567']) expect(logged).not.toContain(secret);
  });

  it('a rate-limited request logs its 429 too', async () => {
    const limited = await startTestApp({ RATE_LIMIT_PER_MINUTE: '20' });
    try {
      warn.mockClear();
      expect((await limited.http().post('/api/auth/login').send({ username: 'x', password: 'y' })).status).toBe(401);
      const res = await limited.http().post('/api/auth/login').send({ username: 'x', password: 'y' });
      expect(res.status).toBe(429);
      expect(res.body.message).toMatch(/秒后再试/);
      const entries = refusals();
      expect(entries.map((e) => e.status)).toEqual([401, 429]);
      expect(entries[1]).toMatchObject({ code: 'TOO_MANY_REQUESTS', route: '/api/auth/login', user: null });
    } finally {
      await limited.close();
    }
  });
});

describe('the access log: one line per request, written when the response is sent', () => {
  it('names the request id, method, URL (identity numbers masked) and status; refusals are warnings; /api/health is left out', async () => {
    const teacher = await t.token('teacher');
    const root = PinoLogger.root as unknown as { level: string; info: (...a: unknown[]) => void; warn: (...a: unknown[]) => void };
    const level = root.level;
    root.level = 'info'; // the tests' LOG_LEVEL is silent: nothing would be built
    const info = jest.spyOn(root, 'info').mockImplementation(() => {});
    const warn = jest.spyOn(root, 'warn').mockImplementation(() => {});
    const lines = () =>
      [...info.mock.calls.map((c) => ({ level: 'info', ...(c[0] as object) })), ...warn.mock.calls.map((c) => ({ level: 'warn', ...(c[0] as object) }))].filter(
        (l) => 'req' in l,
      ) as Array<{
        level: string;
        req: { id: string; method: string; url: string };
        res: { statusCode: number };
        responseTime: number;
      }>;
    try {
      const me = await as(teacher, t.http().get('/api/me'));
      await t.http().get('/api/health');
      const refused = await t.http().get(`/api/users?filter=${encodeURIComponent(JSON.stringify({ q: '330302199001011234' }))}`);
      await until(() => Promise.resolve(lines().length >= 2), 2000);
      const logged = lines();
      expect(logged).toHaveLength(2);
      const [ok, denied] = [logged.find((l) => l.level === 'info')!, logged.find((l) => l.level === 'warn')!];
      expect(ok.req).toMatchObject({ id: me.headers['x-request-id'], method: 'GET', url: '/api/me' });
      expect(ok.res.statusCode).toBe(200);
      expect(ok.responseTime).toEqual(expect.any(Number));
      expect(denied.req.id).toBe(refused.headers['x-request-id']);
      expect(denied.res.statusCode).toBe(401);
      expect(JSON.stringify(logged.map((l) => ({ ...l, res: undefined })))).not.toContain(teacher);
    } finally {
      info.mockRestore();
      warn.mockRestore();
      root.level = level;
    }
  });
});
