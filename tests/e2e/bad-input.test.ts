import { demoPassword, startTestApp, type TestApp } from '@portal/testing';
import type { Test } from 'supertest';

/**
 * Bad input of every kind gets a 4xx with the error body of DESIGN.md — never a 500 — and writes nothing.
 */

let t: TestApp;
let admin: string;
let school: string;
let teacherId: number;
let enterpriseOrgId: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.token('admin');
  school = await t.token('school');
  teacherId = (await t.ds.query(`SELECT id FROM users WHERE username = 'teacher'`))[0].id;
  enterpriseOrgId = (await t.ds.query(`SELECT id FROM organisations WHERE kind = 'enterprise' ORDER BY id LIMIT 1`))[0].id;
});
afterAll(() => t.close());

const as = (token: string, req: Test) => req.set('Authorization', `Bearer ${token}`);

/** Every error body: statusCode, code, a Chinese message and the request id. */
function expectErrorBody(res: { status: number; body: Record<string, unknown>; headers: Record<string, string> }, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toMatchObject({
    statusCode: status,
    code: code ?? expect.any(String),
    message: expect.stringMatching(/[\u4e00-\u9fff]/),
    requestId: expect.any(String),
  });
  expect(res.body.message).not.toMatch(/Error|Exception|at \w+ \(/);
}

const fields = (res: { body: { details?: unknown } }) => ((res.body.details ?? []) as Array<{ field: string }>).map((d) => d.field).sort();

/** What a write could have touched: row counts, latest updates, sessions. Equal before and after a refusal. */
async function snapshot() {
  const [row] = await t.ds.query(`
    SELECT (SELECT count(*)::int FROM organisations) AS organisations,
           (SELECT count(*)::int FROM users) AS users,
           (SELECT count(*)::int FROM settings) AS settings,
           (SELECT count(*)::int FROM login_events) AS login_events,
           (SELECT max(updated_at) FROM organisations) AS organisations_updated,
           (SELECT max(updated_at) FROM users) AS users_updated,
           (SELECT sum(token_version)::int FROM users) AS token_versions`);
  return row as Record<string, unknown>;
}

/** The write endpoints, each with a valid body shape for the actor used. */
const WRITES: Array<[label: string, method: 'post' | 'put', path: () => string, token: () => string | undefined]> = [
  ['POST /api/organisations', 'post', () => '/api/organisations', () => admin],
  ['PUT /api/organisations/:id', 'put', () => `/api/organisations/${enterpriseOrgId}`, () => admin],
  ['POST /api/users', 'post', () => '/api/users', () => school],
  ['PUT /api/users/:id', 'put', () => `/api/users/${teacherId}`, () => school],
  ['PUT /api/me', 'put', () => '/api/me', () => school],
  ['POST /api/me/password', 'post', () => '/api/me/password', () => school],
  ['PUT /api/settings/:key', 'put', () => '/api/settings/auth.lockMinutes', () => admin],
  ['POST /api/auth/login', 'post', () => '/api/auth/login', () => undefined],
  ['POST /api/auth/register-enterprise', 'post', () => '/api/auth/register-enterprise', () => undefined],
];

function write(method: 'post' | 'put', path: string, token: string | undefined): Test {
  const req = t.http()[method](path);
  return token ? as(token, req) : req;
}

describe('malformed bodies', () => {
  it.each(WRITES)('%s: broken JSON → 400 请求体不是有效的 JSON, nothing written', async (_label, method, path, token) => {
    const before = await snapshot();
    for (const raw of ['{"name":', '{name: "x"}', "{'a':1}", '{"a":1,}', '\u0000', '{"a":1}{"b":2}']) {
      const res = await write(method, path(), token()).set('Content-Type', 'application/json').send(raw);
      expectErrorBody(res, 400, 'BAD_REQUEST');
      expect(res.body.message).toBe('请求体不是有效的 JSON');
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each(WRITES)('%s: an empty JSON body → 400, nothing written', async (_label, method, path, token) => {
    const before = await snapshot();
    const res = await write(method, path(), token()).set('Content-Type', 'application/json').send('');
    expectErrorBody(res, 400, 'BAD_REQUEST');
    expect(res.body.message).toBe('请求体不是有效的 JSON');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['POST /api/organisations', () => '/api/organisations', () => admin, ['kind', 'name']],
    ['POST /api/users', () => '/api/users', () => school, ['displayName', 'password', 'roles', 'username']],
    ['POST /api/me/password', () => '/api/me/password', () => school, ['currentPassword', 'newPassword']],
    ['POST /api/auth/login', () => '/api/auth/login', () => undefined, ['password', 'username']],
    ['POST /api/auth/register-enterprise', () => '/api/auth/register-enterprise', () => undefined, ['organisation', 'user']],
  ] as Array<[string, () => string, () => string | undefined, string[]]>)(
    '%s with {} or null → 400 naming each required field, nothing written',
    async (_label, path, token, required) => {
      const before = await snapshot();
      for (const raw of ['{}', 'null']) {
        const res = await write('post', path(), token()).set('Content-Type', 'application/json').send(raw);
        expectErrorBody(res, 400, 'VALIDATION');
        expect(fields(res)).toEqual(required);
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  it('registration with only one of its two parts names the missing one', async () => {
    const res = await t
      .http()
      .post('/api/auth/register-enterprise')
      .send({ user: { username: 'halfway', password: 'Abc12345678', displayName: 'x' } });
    expectErrorBody(res, 400, 'VALIDATION');
    expect(fields(res)).toEqual(['organisation']);
  });

  it('prototype pollution in a JSON body is refused', async () => {
    const before = await snapshot();
    for (const raw of ['{"__proto__":{"roles":["admin"]},"displayName":"x"}', '{"constructor":{"prototype":{"isAdmin":true}}}']) {
      const res = await as(school, t.http().put('/api/me')).set('Content-Type', 'application/json').send(raw);
      expectErrorBody(res, 400);
    }
    expect(({} as Record<string, unknown>).roles).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a string', '"abc"'],
    ['a number', '42'],
    ['an array', '[{"displayName":"x"}]'],
  ])('a JSON body that is %s, not an object → 400, nothing written', async (_label, raw) => {
    const before = await snapshot();
    for (const [method, path, token] of [
      ['put', `/api/organisations/${enterpriseOrgId}`, admin],
      ['put', `/api/users/${teacherId}`, school],
      ['post', '/api/users', school],
      ['put', '/api/me', school],
    ] as const) {
      expectErrorBody(await write(method, path, token).set('Content-Type', 'application/json').send(raw), 400, 'VALIDATION');
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each(WRITES)('%s: a body larger than BODY_LIMIT_BYTES → 413, nothing written', async (_label, method, path, token) => {
    const before = await snapshot();
    const body = JSON.stringify({ displayName: 'x'.repeat(t.config.bodyLimitBytes) });
    expect(Buffer.byteLength(body)).toBeGreaterThan(t.config.bodyLimitBytes);
    const res = await write(method, path(), token()).set('Content-Type', 'application/json').send(body);
    expectErrorBody(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(res.body.message).toBe('提交的内容过大');
    expect(await snapshot()).toEqual(before);
  });

  it('a body just under the limit is read (and then judged on its fields)', async () => {
    const body = JSON.stringify({ displayName: 'x'.repeat(t.config.bodyLimitBytes - 100) });
    const res = await as(school, t.http().put('/api/me')).set('Content-Type', 'application/json').send(body);
    expectErrorBody(res, 400, 'VALIDATION');
    expect(fields(res)).toEqual(['displayName']);
  });

  it.each([
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'username=admin&password=Demo%402025'],
    ['application/xml', '<user><name>x</name></user>'],
    ['application/octet-stream', 'binary'],
  ])('Content-Type %s → 415 on every write endpoint, nothing written', async (type, payload) => {
    const before = await snapshot();
    for (const [, method, path, token] of WRITES) {
      const res = await write(method, path(), token()).set('Content-Type', type).send(payload);
      expectErrorBody(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.message).toContain('application/json');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a multipart body to a JSON endpoint is never read as fields: no 5xx, nothing written', async () => {
    // With @fastify/multipart registered for the upload routes, Fastify accepts multipart everywhere and JSON
    // endpoints see an empty body (a PUT is then a no-op 200); without it the answer is a 415.
    const before = await snapshot();
    for (const [, method, path, token] of WRITES) {
      const res = await write(method, path(), token())
        .field('kind', 'school')
        .field('name', '表单学校')
        .field('displayName', 'x')
        .field('value', '5')
        .field('address', '表单地址');
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) expectErrorBody(res, res.status);
    }
    expect(await snapshot()).toEqual(before);
    expect(await t.ds.query(`SELECT id FROM organisations WHERE name = '表单学校' OR address = '表单地址'`)).toEqual([]);
  });

  it('a form post cannot log in (no login CSRF through an HTML form)', async () => {
    const res = await t.http().post('/api/auth/login').type('form').send({ username: 'admin', password: demoPassword() });
    expectErrorBody(res, 415);
    expect(res.body.token).toBeUndefined();
  });

  it('text that is not well-formed Unicode (a lone surrogate, on which e-mail validation throws) is a 400 naming the field', async () => {
    const before = (await t.ds.query(`SELECT count(*)::int AS n FROM order_classes`))[0].n;
    for (const body of [
      '{"name":"邀请测试班","invitedCreditCode":"","invitedEmail":"\\udfff\\ud800"}',
      '{"name":"邀请测试班","invitedCreditCode":"91330302MA2C8X1Y03","invitedEmail":"hr@example.com\\ud800"}',
    ]) {
      const res = await as(school, t.http().post('/api/order-classes')).set('Content-Type', 'application/json').send(body);
      expectErrorBody(res, 400);
      expect(res.body.details).toEqual([{ field: 'invitedEmail', messages: ['包含无法识别的字符（不完整的 Unicode 编码）'] }]);
    }
    const nested = await as(admin, t.http().post('/api/auth/register-enterprise'))
      .set('Content-Type', 'application/json')
      .send('{"organisation":{"name":"\\udc00x"},"user":{}}');
    expect([nested.status, nested.body.details?.[0]?.field]).toEqual([400, 'organisation.name']);
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM order_classes`))[0].n).toBe(before);
  });

  it('application/json with a charset is JSON', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ username: 'admin', password: demoPassword() }));
    expect(res.status).toBe(200);
  });
});

type UnknownFieldCase = [
  label: string,
  method: 'post' | 'put',
  path: () => string,
  token: () => string | undefined,
  body: Record<string, unknown>,
  unknown: string[],
];

describe('unknown fields and wrong types', () => {
  it.each<UnknownFieldCase>([
    [
      'POST /api/organisations',
      'post',
      () => '/api/organisations',
      () => admin,
      { kind: 'school', name: '某学校', schoolType: 'higher', isAdmin: true },
      ['isAdmin'],
    ],
    [
      'PUT /api/organisations/:id',
      'put',
      () => `/api/organisations/${enterpriseOrgId}`,
      () => admin,
      { address: '新地址', owner: 'me', 'contact.name': 'x' },
      ['contact.name', 'owner'],
    ],
    [
      'POST /api/users',
      'post',
      () => '/api/users',
      () => school,
      { username: 'newbie', displayName: 'x', password: 'Abc12345678', roles: ['teacher'], superuser: true },
      ['superuser'],
    ],
    [
      'PUT /api/users/:id',
      'put',
      () => `/api/users/${teacherId}`,
      () => school,
      { displayName: 'x', tokenVersion: 0, failedLogins: 0 },
      ['failedLogins', 'tokenVersion'],
    ],
    ['PUT /api/me', 'put', () => '/api/me', () => school, { nickname: 'x' }, ['nickname']],
    [
      'POST /api/me/password',
      'post',
      () => '/api/me/password',
      () => school,
      { currentPassword: demoPassword(), newPassword: 'Abc12345678', confirm: 'Abc12345678' },
      ['confirm'],
    ],
    ['PUT /api/settings/:key', 'put', () => '/api/settings/auth.lockMinutes', () => admin, { value: 10, key: 'auth.maxFailedLogins' }, ['key']],
    ['POST /api/auth/login', 'post', () => '/api/auth/login', () => undefined, { username: 'admin', password: 'x', remember: true }, ['remember']],
  ])('%s: unknown fields → 400 naming each, nothing written', async (_label, method, path, token, body, unknown) => {
    const before = await snapshot();
    const res = await write(method, path(), token()).send(body);
    expectErrorBody(res, 400, 'VALIDATION');
    expect(fields(res)).toEqual(unknown);
    for (const f of unknown) expect(res.body.message).toContain(f);
    expect(res.body.details[0].messages).toEqual(['不允许的字段']);
    expect(await snapshot()).toEqual(before);
  });

  it('unknown nested fields of the registration are named with their path', async () => {
    const before = await snapshot();
    const res = await t
      .http()
      .post('/api/auth/register-enterprise')
      .send({
        organisation: { name: '某企业有限公司', creditCode: '91330302MA2C8X1Y03', countyCode: '330302', industry: 'electrical', verified: true },
        user: { username: 'someone', password: 'Abc12345678', displayName: 'x', roles: ['admin'] },
      });
    expectErrorBody(res, 400, 'VALIDATION');
    expect(fields(res)).toEqual(['organisation.verified', 'user.roles']);
    expect(await snapshot()).toEqual(before);
  });

  it('POST /api/users with every field of the wrong type names each field', async () => {
    const before = await snapshot();
    const res = await as(admin, t.http().post('/api/users')).send({
      username: 12345,
      displayName: ['x'],
      password: true,
      organisationId: '5',
      roles: 'admin',
      jurisdiction: 330302,
      email: 'not-an-email',
      phone: { n: 1 },
      active: 'yes',
    });
    expectErrorBody(res, 400, 'VALIDATION');
    expect(fields(res)).toEqual(['active', 'displayName', 'email', 'jurisdiction', 'organisationId', 'password', 'phone', 'roles', 'username']);
    expect(res.body.details.find((d: { field: string }) => d.field === 'organisationId').messages).toContain('应为整数');
    expect(res.body.details.find((d: { field: string }) => d.field === 'active').messages).toContain('应为是/否');
    expect(res.body.details.find((d: { field: string }) => d.field === 'roles').messages).toContain('应为列表');
    expect(await snapshot()).toEqual(before);
  });

  it('POST /api/organisations with wrong types and values names each field', async () => {
    const before = await snapshot();
    const res = await as(admin, t.http().post('/api/organisations')).send({
      kind: 'castle',
      name: 7,
      countyCode: 330302,
      industry: 'mining',
      schoolType: 1,
      creditCode: 'ABC',
      contactPhone: 'call me',
    });
    expectErrorBody(res, 400, 'VALIDATION');
    expect(fields(res)).toEqual(['contactPhone', 'countyCode', 'creditCode', 'industry', 'kind', 'name', 'schoolType']);
    expect(await snapshot()).toEqual(before);
  });

  it('PUT /api/users/:id with roles that are not roles, and an empty role list', async () => {
    const before = await snapshot();
    const bad = await as(admin, t.http().put(`/api/users/${teacherId}`)).send({ roles: ['teacher', 'root'] });
    expectErrorBody(bad, 400, 'VALIDATION');
    expect(fields(bad)).toEqual(['roles']);
    const empty = await as(admin, t.http().put(`/api/users/${teacherId}`)).send({ roles: [] });
    expectErrorBody(empty, 400, 'VALIDATION');
    expect(empty.body.details[0].messages[0]).toContain('至少需要 1 项');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a string', '5'],
    ['a fraction', 2.5],
    ['below the minimum', 0],
    ['above the maximum', 100000],
    ['null', null],
  ])('PUT /api/settings/:key with %s → 400 naming value, setting unchanged', async (_label, value) => {
    const before = await snapshot();
    const res = await as(admin, t.http().put('/api/settings/auth.lockMinutes')).send({ value });
    expectErrorBody(res, 400, 'VALIDATION');
    expect(fields(res)).toEqual(['value']);
    expect(await snapshot()).toEqual(before);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'auth.unknown'])(
    'PUT /api/settings/%s (not a setting) → 400, nothing stored',
    async (key) => {
      const before = await snapshot();
      const res = await as(admin, t.http().put(`/api/settings/${encodeURIComponent(key)}`)).send({ value: 5 });
      expectErrorBody(res, 400, 'VALIDATION');
      expect(fields(res)).toEqual(['key']);
      expect(await snapshot()).toEqual(before);
      expect(await t.ds.query('SELECT key FROM settings WHERE key = $1', [key])).toEqual([]);
      expectErrorBody(await as(admin, t.http().get(`/api/settings/${encodeURIComponent(key)}`)), 404, 'NOT_FOUND');
    },
  );
});

describe('SQL-like strings in list parameters: a 400 naming the parameter, or a correctly escaped search — never a 500', () => {
  const list = (resource: string, query: Record<string, string>) => as(admin, t.http().get(`/api/${resource}`)).query(query);

  afterEach(async () => {
    // the tables are all still there, with their rows
    const [row] = await t.ds.query(
      `SELECT to_regclass('public.users') IS NOT NULL AS users, to_regclass('public.organisations') IS NOT NULL AS orgs, (SELECT count(*)::int FROM users) AS n`,
    );
    expect(row).toMatchObject({ users: true, orgs: true });
    expect(row.n).toBeGreaterThanOrEqual(10);
  });

  it.each([["'; DROP TABLE users; --"], ["' OR '1'='1"], ["admin'--"], ['\\'], ["%' OR 1=1 --"], ['"; SELECT pg_sleep(10); --'], ['$1']])(
    'q = %s is searched for literally (200, no match)',
    async (q) => {
      for (const resource of ['users', 'organisations', 'login-events']) {
        const res = await list(resource, { filter: JSON.stringify({ q }) });
        expect(res.status).toBe(200);
        expect(res.body).toEqual([]);
        expect(res.headers['content-range']).toMatch(/\/0$/);
      }
    },
  );

  it('a search for a name with a quote finds exactly that record', async () => {
    const created = await as(admin, t.http().post('/api/organisations')).send({ kind: 'school', name: "O'Neil's 技工学校", schoolType: 'technician' });
    expect(created.status).toBe(201);
    const res = await list('organisations', { filter: JSON.stringify({ q: "o'neil" }) });
    expect(res.status).toBe(200);
    expect(res.body.map((o: { id: number }) => o.id)).toEqual([created.body.id]);
  });

  it.each([
    ['sort', '["id; DROP TABLE users","ASC"]'],
    ['sort', '["id","ASC; DROP TABLE users"]'],
    ['sort', '["(SELECT 1)","ASC"]'],
    ['sort', '["constructor","ASC"]'],
    ['sort', '["__proto__","DESC"]'],
    ['sort', '["passwordHash","ASC"]'],
    ['range', '[0,"4; DROP TABLE users"]'],
    ['range', '[1e21,1e21]'],
    ['range', '[0,100000]'],
    ['filter', '{"id; DROP TABLE users":1}'],
    ['filter', '{"passwordHash":"x"}'],
    ['filter', '{"__proto__":"x"}'],
    ['filter', '{"constructor":"x"}'],
    ['filter', '{"id":"1 OR 1=1"}'],
    ['filter', '{"id":99999999999}'],
    ['filter', '{"active":"maybe"}'],
    ['filter', '{"organisationId":{"$gt":0}}'],
    ['filter', '{"q":{"toString":"x"}}'],
    ['filter', '{bad json'],
  ])('%s=%s → 400 naming %s', async (param, value) => {
    const res = await list('users', { [param]: value });
    expectErrorBody(res, 400, 'VALIDATION');
    expect(fields(res)).toEqual([param]);
    expect(res.body.message).toContain(param);
  });

  it('a filter value holding SQL is bound, not spliced (200, no match)', async () => {
    for (const filter of [{ kind: "school' OR '1'='1" }, { countyCode: '330302; DROP TABLE users' }, { creditCode: ["x') OR ('1'='1"] }]) {
      const res = await list('organisations', { filter: JSON.stringify(filter) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    }
  });

  it('a parameter given twice, or an unknown parameter, is a 400', async () => {
    expectErrorBody(await as(admin, t.http().get('/api/users?sort=["id","ASC"]&sort=["id","DESC"]')), 400, 'VALIDATION');
    const unknown = await list('users', { where: '1=1' });
    expectErrorBody(unknown, 400, 'VALIDATION');
    expect(fields(unknown)).toEqual(['where']);
  });
});

describe('path ids', () => {
  const BAD = ['abc', '-1', '0', '99999999999', '2147483648', '1.5', '1e3', '0x10', '0b11', '%207', '7%20', '1%20OR%201=1', '%20'];
  it.each(BAD)('/:id = %s → 400 naming id on every endpoint, nothing written', async (id) => {
    const before = await snapshot();
    for (const [method, path] of [
      ['get', `/api/organisations/${id}`],
      ['put', `/api/organisations/${id}`],
      ['delete', `/api/organisations/${id}`],
      ['get', `/api/users/${id}`],
      ['put', `/api/users/${id}`],
    ] as const) {
      const req = as(admin, t.http()[method](path));
      const res = method === 'put' ? await req.send({ displayName: 'x', address: 'x' }) : await req;
      expectErrorBody(res, 400, 'VALIDATION');
      expect(fields(res)).toEqual(['id']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the largest valid id is merely not found', async () => {
    expectErrorBody(await as(admin, t.http().get('/api/organisations/2147483647')), 404, 'NOT_FOUND');
    expectErrorBody(await as(admin, t.http().get('/api/users/2147483647')), 404, 'NOT_FOUND');
  });
});

describe('unknown routes and the error body', () => {
  it.each([
    ['get', '/api/nothing-here'],
    ['post', '/api/nothing-here'],
    ['get', '/api/organisations/1/members'],
    ['patch', '/api/organisations/1'],
    ['delete', '/api/users/1'],
    ['get', '/nothing-here'],
  ] as const)('%s %s → 404 with the JSON error body', async (method, path) => {
    const res = await as(admin, t.http()[method](path));
    expectErrorBody(res, 404, 'NOT_FOUND');
    expect(res.body.message).toBe('请求的资源不存在');
  });

  it.each([
    ['a malformed percent-encoding', '/api/organisations/%zz', '请求地址不正确：含有无效的百分号编码'],
    ['a lone percent sign', '/api/cases/%/events', '请求地址不正确：含有无效的百分号编码'],
    ['a path parameter longer than the router takes', `/api/users/${'9'.repeat(5000)}`, '请求地址中的参数过长'],
  ])('%s (refused by the router, before any route) → 400 with the portal’s error body and headers', async (_label, path, message) => {
    const res = await as(admin, t.http().get(path));
    expectErrorBody(res, 400, 'BAD_REQUEST');
    expect(res.body.message).toBe(message);
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('an unknown route answers 404 to anonymous callers as well (not 401)', async () => {
    expectErrorBody(await t.http().get('/api/nothing-here'), 404, 'NOT_FOUND');
  });

  it('echoes a sane X-Request-Id and replaces an insane one', async () => {
    const mine = await t.http().get('/api/me').set('X-Request-Id', 'trace-abc.123');
    expectErrorBody(mine, 401, 'UNAUTHENTICATED');
    expect(mine.body.requestId).toBe('trace-abc.123');
    const insane = await t.http().get('/api/me').set('X-Request-Id', '<script>alert(1)</script>');
    expectErrorBody(insane, 401);
    expect(insane.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('401s carry WWW-Authenticate: Bearer; a malformed Authorization header is a 401, not a 500', async () => {
    for (const header of [
      'Bearer',
      'Basic YWRtaW46YWRtaW4=',
      'Bearer a.b.c',
      `Bearer ${'x'.repeat(5000)}`,
      'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOjEsInR2IjowfQ.',
    ]) {
      const res = await t.http().get('/api/me').set('Authorization', header);
      expectErrorBody(res, 401, 'UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });
});
