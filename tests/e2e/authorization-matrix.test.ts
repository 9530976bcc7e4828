import { registrationBody, startTestApp, type TestApp } from '@portal/testing';
import type { Test } from 'supertest';

/**
 * Who may call what: every identity endpoint × every persona (the ten demo accounts, anonymous, a second
 * enterprise in 瑞安市 330381 and a teacher of another school), on their own and on other organisations.
 * The tables below ARE the policy: one column per persona, one line per endpoint and target.
 */

let t: TestApp;

const PERSONAS = [
  'anonymous',
  'admin',
  'city',
  'county',
  'expert1',
  'expert2',
  'expert3',
  'finance',
  'enterprise',
  'school',
  'teacher',
  'ent2',
  'teacher2',
] as const;
type Persona = (typeof PERSONAS)[number];
type Method = 'get' | 'post' | 'put' | 'delete';

const PASSWORD = 'Test1234abc';
const tokens = new Map<Persona, string>();
const ids = {
  org: {} as Record<'cityBureau' | 'luchengBureau' | 'enterprise' | 'ent2' | 'gongmao' | 'wzvtc' | 'jishi', number>,
  user: {} as Record<Persona, number>,
  ownOrg: {} as Record<Persona, number>,
};
let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

function call(persona: Persona, method: Method, path: string): Test {
  const req = t.http()[method](path);
  const token = tokens.get(persona);
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
}

async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const rows = await t.ds.query<T[]>(sql, params);
  return rows[0];
}
const count = async (table: string) => (await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).n;

/** The body of every refusal: status, code, a Chinese message and the request id. */
function expectErrorBody(res: { status: number; body: Record<string, unknown> }, status: number) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({
    statusCode: status,
    code: expect.any(String),
    message: expect.stringMatching(/[\u4e00-\u9fff]/),
    requestId: expect.any(String),
  });
}

beforeAll(async () => {
  t = await startTestApp();
  for (const p of PERSONAS) if (!['anonymous', 'ent2', 'teacher2'].includes(p)) tokens.set(p, await t.token(p));

  const orgId = async (kind: string, name: string) =>
    (await one<{ id: number }>('SELECT id FROM organisations WHERE kind = $1 AND name = $2', [kind, name])).id;
  ids.org.cityBureau = await orgId('authority', '温州市教育局');
  ids.org.luchengBureau = await orgId('authority', '鹿城区教育局');
  ids.org.enterprise = await orgId('enterprise', '温州瓯江电气科技有限公司');
  ids.org.gongmao = await orgId('school', '浙江工贸职业技术学院');
  ids.org.wzvtc = await orgId('school', '温州职业技术学院');
  ids.org.jishi = await orgId('school', '温州技师学院');

  // a second enterprise, registered in 瑞安市
  const reg = registrationBody({ county: '330381' });
  const res = await t.http().post('/api/auth/register-enterprise').send(reg);
  expect(res.status).toBe(201);
  tokens.set('ent2', res.body.token);
  ids.org.ent2 = (await one<{ id: number }>('SELECT id FROM organisations WHERE credit_code = $1', [reg.organisation.creditCode])).id;

  // a teacher of another school (温州职业技术学院, 瓯海区), created by the admin
  const created = await call('admin', 'post', '/api/users').send({
    username: 'teacher2',
    displayName: '李老师',
    password: PASSWORD,
    organisationId: ids.org.wzvtc,
    roles: ['teacher'],
  });
  expect(created.status).toBe(201);
  tokens.set('teacher2', await t.token('teacher2', PASSWORD));

  const users: Array<{ username: string; id: number; organisation_id: number }> = await t.ds.query('SELECT username, id, organisation_id FROM users');
  for (const p of PERSONAS) {
    if (p === 'anonymous') continue;
    const u = p === 'ent2' ? users.find((x) => x.username === reg.user.username)! : users.find((x) => x.username === p)!;
    ids.user[p] = u.id;
    ids.ownOrg[p] = u.organisation_id;
  }
  ids.user.anonymous = ids.user.admin;
  ids.ownOrg.anonymous = ids.org.cityBureau;
});
afterAll(() => t.close());

/** One line of a policy table: what each persona gets, in the order of PERSONAS. */
type Row = [label: string, method: Method, path: (p: Persona) => string, body: ((p: Persona) => object) | undefined, statuses: number[]];

function cases(rows: Row[]): Array<[string, Persona, number, Row]> {
  return rows.flatMap((row) => {
    if (row[4].length !== PERSONAS.length) throw new Error(`${row[0]}: ${row[4].length} statuses for ${PERSONAS.length} personas`);
    return PERSONAS.map((p, i) => [row[0], p, row[4][i], row] as [string, Persona, number, Row]);
  });
}

async function check(persona: Persona, expected: number, [, method, path, body]: Row) {
  const req = call(persona, method, path(persona));
  const res = body ? await req.send(body(persona)) : await req;
  if (res.status !== expected)
    throw new Error(`${persona} ${method.toUpperCase()} ${path(persona)}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
  if (expected >= 400) expectErrorBody(res, expected);
}

const org = (key: keyof typeof ids.org) => () => `/api/organisations/${ids.org[key]}`;
const user = (p: Persona) => () => `/api/users/${ids.user[p]}`;
const own = (p: Persona) => `/api/organisations/${ids.ownOrg[p]}`;
const self = (p: Persona) => `/api/users/${ids.user[p]}`;
const newAddress = () => ({ address: `温州市测试路${unique()}号` });
const newName = () => ({ displayName: `改名${unique()}` });

describe('endpoints any signed-in user may call (and anonymous may not, except the public ones)', () => {
  // prettier-ignore
  const rows: Row[] = [
    //                                                                             anon admin city county exp1 exp2 exp3  fin  ent  sch  tea ent2 tea2
    ['GET /api/organisations',          'get',  () => '/api/organisations', undefined, [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]],
    ['GET /api/users',                  'get',  () => '/api/users', undefined,         [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]],
    ['GET /api/me',                     'get',  () => '/api/me', undefined,            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]],
    ['PUT /api/me (own phone)',         'put',  () => '/api/me', () => ({ phone: '0577-86660000' }),
                                                                                       [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]],
    ['POST /api/me/password (wrong current password)', 'post', () => '/api/me/password', () => ({ currentPassword: 'not-it-1', newPassword: 'Another123' }),
                                                                                       [401, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400]],
    ['GET /api/organisations/:own',     'get',  own, undefined,                        [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]],
    ['GET /api/users/:self',            'get',  self, undefined,                       [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]],
    ['PUT /api/users/:self (displayName)', 'put', self, newName,                       [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]],
    ['GET /api/reference (public)',     'get',  () => '/api/reference', undefined,     [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]],
    ['GET /api/health (public)',        'get',  () => '/api/health', undefined,        [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]],
  ];
  it.each(cases(rows))('%s as %s → %i', async (_label, persona, expected, row) => check(persona, expected, row));
});

describe('admin-only endpoints', () => {
  // prettier-ignore
  const rows: Row[] = [
    //                                                                             anon admin city county exp1 exp2 exp3  fin  ent  sch  tea ent2 tea2
    ['GET /api/settings',               'get',  () => '/api/settings', undefined,      [401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]],
    ['GET /api/settings/:key',          'get',  () => '/api/settings/auth.lockMinutes', undefined,
                                                                                       [401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]],
    ['PUT /api/settings/:key',          'put',  () => '/api/settings/auth.lockMinutes', () => ({ value: 15 }),
                                                                                       [401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]],
    ['GET /api/login-events',           'get',  () => '/api/login-events', undefined,  [401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]],
    ['POST /api/organisations',         'post', () => '/api/organisations', () => ({ kind: 'school', name: `测试学校${unique()}`, countyCode: '330302', schoolType: 'secondary' }),
                                                                                       [401, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]],
    // the demo enterprise still has its user: even the admin gets a 409, so nothing is deleted here
    ['DELETE /api/organisations/:enterprise', 'delete', org('enterprise'), undefined, [401, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]],
    ['DELETE /api/organisations/:own',  'delete', own, undefined,                      [401, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]],
  ];
  it.each(cases(rows))('%s as %s → %i', async (_label, persona, expected, row) => check(persona, expected, row));

  it('no organisation was deleted and no setting changed its value', async () => {
    expect(await one('SELECT count(*)::int AS n FROM organisations WHERE id = ANY($1)', [Object.values(ids.org)])).toEqual({ n: Object.keys(ids.org).length });
    expect(await t.ds.query(`SELECT key, value FROM settings WHERE key = 'auth.lockMinutes'`)).toEqual([{ key: 'auth.lockMinutes', value: 15 }]);
  });
});

describe('reading an organisation by id: admin and city all, county and finance their county, everyone else their own', () => {
  // prettier-ignore
  const rows: Row[] = [
    //                                                                       anon admin city county exp1 exp2 exp3  fin  ent  sch  tea ent2 tea2
    ['GET 温州瓯江电气 (enterprise, 330302)', 'get', org('enterprise'), undefined, [401, 200, 200, 200, 404, 404, 404, 200, 200, 404, 404, 404, 404]],
    ['GET the second enterprise (330381)',  'get', org('ent2'), undefined,       [401, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404]],
    ['GET 浙江工贸 (school, 330302)',        'get', org('gongmao'), undefined,    [401, 200, 200, 200, 404, 404, 404, 200, 404, 200, 200, 404, 404]],
    ['GET 温州职业技术学院 (school, 330304)', 'get', org('wzvtc'), undefined,      [401, 200, 200, 404, 200, 404, 404, 404, 404, 404, 404, 404, 200]],
    ['GET 鹿城区教育局 (authority, 330302)',  'get', org('luchengBureau'), undefined, [401, 200, 200, 200, 404, 404, 404, 200, 404, 404, 404, 404, 404]],
    ['GET 温州市教育局 (authority, city)',    'get', org('cityBureau'), undefined,  [401, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]],
    ['GET an id that does not exist',       'get', () => '/api/organisations/999999', undefined,
                                                                                 [401, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]],
  ];
  it.each(cases(rows))('%s as %s → %i', async (_label, persona, expected, row) => check(persona, expected, row));
});

describe('writing an organisation: admin anything; its manager the contact fields; others 403 when they can see it, 404 when not', () => {
  // prettier-ignore
  const rows: Row[] = [
    //                                                                        anon admin city county exp1 exp2 exp3  fin  ent  sch  tea ent2 tea2
    ['PUT own organisation (address)',       'put', own, newAddress,          [401, 200, 403, 403, 403, 403, 403, 403, 200, 200, 403, 200, 403]],
    ['PUT 温州瓯江电气 (address)',             'put', org('enterprise'), newAddress, [401, 200, 403, 403, 404, 404, 404, 403, 200, 404, 404, 404, 404]],
    ['PUT the second enterprise (address)',  'put', org('ent2'), newAddress,  [401, 200, 403, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404]],
    ['PUT 浙江工贸 (address)',                'put', org('gongmao'), newAddress, [401, 200, 403, 403, 404, 404, 404, 403, 404, 200, 403, 404, 404]],
    ['PUT own organisation (name)',          'put', own, () => ({ name: `新名称${unique()}` }),
                                                                              [401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403]],
  ];
  it.each(cases(rows))('%s as %s → %i', async (_label, persona, expected, row) => check(persona, expected, row));
});

describe('users by id: admin all, a manager its organisation, everyone else itself', () => {
  // prettier-ignore
  const rows: Row[] = [
    //                                                               anon admin city county exp1 exp2 exp3  fin  ent  sch  tea ent2 tea2
    ['GET the teacher',           'get', user('teacher'), undefined,    [401, 200, 404, 404, 404, 404, 404, 404, 404, 200, 200, 404, 404]],
    ['GET the enterprise user',   'get', user('enterprise'), undefined, [401, 200, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404]],
    ['GET the admin',             'get', user('admin'), undefined,      [401, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]],
    ['GET the second enterprise’s user', 'get', user('ent2'), undefined, [401, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404]],
    ['PUT the teacher (displayName)', 'put', user('teacher'), newName,  [401, 200, 404, 404, 404, 404, 404, 404, 404, 200, 200, 404, 404]],
    ['PUT the enterprise user (displayName)', 'put', user('enterprise'), newName,
                                                                        [401, 200, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404]],
    ['PUT the city reviewer (displayName)', 'put', user('city'), newName, [401, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]],
  ];
  it.each(cases(rows))('%s as %s → %i', async (_label, persona, expected, row) => check(persona, expected, row));
});

describe('creating users: admin anywhere, a manager in its own organisation, nobody else', () => {
  const body = (p: Persona) => {
    const base = { username: `u_${unique()}`, displayName: '新用户', password: PASSWORD };
    if (p === 'admin') return { ...base, organisationId: ids.org.jishi, roles: ['teacher'] };
    if (p === 'enterprise' || p === 'ent2') return { ...base, roles: ['enterprise_applicant'] };
    return { ...base, roles: ['teacher'] };
  };
  // prettier-ignore
  const rows: Row[] = [
    //                                                             anon admin city county exp1 exp2 exp3  fin  ent  sch  tea ent2 tea2
    ['POST /api/users', 'post', () => '/api/users', body,            [401, 201, 403, 403, 403, 403, 403, 403, 201, 201, 403, 201, 403]],
  ];
  it.each(cases(rows))('%s as %s → %i', async (_label, persona, expected, row) => check(persona, expected, row));

  it('each manager’s new user landed in the manager’s own organisation', async () => {
    const rows: Array<{ organisation_id: number; roles: string[] }> = await t.ds.query(
      `SELECT organisation_id, roles FROM users WHERE username LIKE 'u\\_%' ORDER BY id`,
    );
    expect(rows).toEqual([
      { organisation_id: ids.org.jishi, roles: ['teacher'] },
      { organisation_id: ids.org.enterprise, roles: ['enterprise_applicant'] },
      { organisation_id: ids.org.gongmao, roles: ['teacher'] },
      { organisation_id: ids.org.ent2, roles: ['enterprise_applicant'] },
    ]);
  });
});

describe('lists are scoped to what the persona may read', () => {
  const listIds = async (persona: Persona, resource: string) => {
    const res = await call(persona, 'get', `/api/${resource}`).query({ range: '[0,999]', sort: '["id","ASC"]' });
    expect(res.status).toBe(200);
    const got = (res.body as Array<{ id: number }>).map((r) => r.id);
    expect(res.headers['content-range']).toMatch(new RegExp(`/${got.length}$`));
    return got;
  };
  const sqlIds = async (sql: string, params: unknown[] = []) => (await t.ds.query<Array<{ id: number }>>(sql, params)).map((r) => r.id);

  it('admin and city reviewer see every organisation', async () => {
    const all = await sqlIds('SELECT id FROM organisations ORDER BY id');
    expect(await listIds('admin', 'organisations')).toEqual(all);
    expect(await listIds('city', 'organisations')).toEqual(all);
  });

  it('the enterprise sees exactly its own organisation', async () => {
    expect(await listIds('enterprise', 'organisations')).toEqual([ids.org.enterprise]);
    expect(await listIds('ent2', 'organisations')).toEqual([ids.org.ent2]);
  });

  it('the county reviewer and county finance see only 鹿城区 (330302) organisations and their own', async () => {
    const expected = await sqlIds(`SELECT id FROM organisations WHERE county_code = '330302' OR id = $1 ORDER BY id`, [ids.org.luchengBureau]);
    const got = await listIds('county', 'organisations');
    expect(got).toEqual(expected);
    expect(got).toEqual(expect.arrayContaining([ids.org.enterprise, ids.org.gongmao, ids.org.luchengBureau]));
    expect(got).not.toContain(ids.org.ent2);
    expect(got).not.toContain(ids.org.cityBureau);
    const counties: Array<{ county_code: string }> = await t.ds.query('SELECT DISTINCT county_code FROM organisations WHERE id = ANY($1)', [got]);
    expect(counties).toEqual([{ county_code: '330302' }]);
    const financeOrg = (await one<{ id: number }>(`SELECT id FROM organisations WHERE name = '鹿城区财政局'`)).id;
    expect(await listIds('finance', 'organisations')).toEqual(
      await sqlIds(`SELECT id FROM organisations WHERE county_code = '330302' OR id = $1 ORDER BY id`, [financeOrg]),
    );
  });

  it('experts, teachers and the school admin see their own organisation only', async () => {
    expect(await listIds('expert1', 'organisations')).toEqual([ids.org.wzvtc]);
    expect(await listIds('expert3', 'organisations')).toEqual([ids.ownOrg.expert3]);
    expect(await listIds('teacher', 'organisations')).toEqual([ids.org.gongmao]);
    expect(await listIds('school', 'organisations')).toEqual([ids.org.gongmao]);
  });

  it('react-admin getMany (filter id list) is scoped too', async () => {
    const res = await call('enterprise', 'get', '/api/organisations').query({
      filter: JSON.stringify({ id: [ids.org.ent2, ids.org.enterprise, ids.org.cityBureau] }),
    });
    expect(res.status).toBe(200);
    expect(res.body.map((o: { id: number }) => o.id)).toEqual([ids.org.enterprise]);
    const users = await call('teacher', 'get', '/api/users').query({ filter: JSON.stringify({ id: [ids.user.admin, ids.user.school, ids.user.teacher] }) });
    expect(users.body.map((u: { id: number }) => u.id)).toEqual([ids.user.teacher]);
  });

  it('users: a teacher, a reviewer and an expert see only themselves; a manager its organisation; the admin everyone', async () => {
    for (const p of ['teacher', 'teacher2', 'city', 'county', 'expert1', 'finance'] as Persona[]) expect(await listIds(p, 'users')).toEqual([ids.user[p]]);
    expect(await listIds('school', 'users')).toEqual(await sqlIds('SELECT id FROM users WHERE organisation_id = $1 ORDER BY id', [ids.org.gongmao]));
    expect(await listIds('school', 'users')).toEqual(expect.arrayContaining([ids.user.school, ids.user.teacher]));
    expect(await listIds('enterprise', 'users')).toEqual(await sqlIds('SELECT id FROM users WHERE organisation_id = $1 ORDER BY id', [ids.org.enterprise]));
    expect(await listIds('admin', 'users')).toEqual(await sqlIds('SELECT id FROM users ORDER BY id'));
  });
});

describe('IDOR attempts are refused and change nothing', () => {
  const orgRow = (id: number) => one('SELECT * FROM organisations WHERE id = $1', [id]);
  const userRow = (id: number) => one('SELECT * FROM users WHERE id = $1', [id]);

  it('the enterprise reads or writes another enterprise’s organisation: 404, row unchanged', async () => {
    const before = await orgRow(ids.org.ent2);
    const get = await call('enterprise', 'get', `/api/organisations/${ids.org.ent2}`);
    expectErrorBody(get, 404);
    expect(JSON.stringify(get.body)).not.toContain(String(before.name));
    for (const body of [{ address: '黑客路1号' }, { contactPhone: '0577-00000000' }, { name: '被改名的企业' }, { industry: 'footwear' }]) {
      expectErrorBody(await call('enterprise', 'put', `/api/organisations/${ids.org.ent2}`).send(body), 404);
    }
    expectErrorBody(await call('enterprise', 'delete', `/api/organisations/${ids.org.ent2}`), 403);
    expect(await orgRow(ids.org.ent2)).toEqual(before);
  });

  it('the enterprise reads or writes another enterprise’s user: 404, row unchanged', async () => {
    const before = await userRow(ids.user.ent2);
    expectErrorBody(await call('enterprise', 'get', `/api/users/${ids.user.ent2}`), 404);
    for (const body of [{ displayName: '被改名' }, { password: 'Hijack12345' }, { active: false }, { roles: ['enterprise_applicant'] }]) {
      expectErrorBody(await call('enterprise', 'put', `/api/users/${ids.user.ent2}`).send(body), 404);
    }
    expect(await userRow(ids.user.ent2)).toEqual(before);
    // and the other enterprise still works with its token
    expect((await call('ent2', 'get', '/api/me')).status).toBe(200);
  });

  it('the enterprise cannot create a user in another enterprise: 403, nothing written', async () => {
    const before = await count('users');
    const res = await call('enterprise', 'post', '/api/users').send({
      username: 'planted_user',
      displayName: 'x',
      password: PASSWORD,
      organisationId: ids.org.ent2,
      roles: ['enterprise_applicant'],
    });
    expectErrorBody(res, 403);
    expect(await count('users')).toBe(before);
  });

  it('the county reviewer reads its own county’s organisations (200) but not another county’s (404)', async () => {
    const lucheng = await call('county', 'get', `/api/organisations/${ids.org.enterprise}`);
    expect(lucheng.status).toBe(200);
    expect(lucheng.body).toMatchObject({ id: ids.org.enterprise, countyCode: '330302' });
    expectErrorBody(await call('county', 'get', `/api/organisations/${ids.org.ent2}`), 404);
    expectErrorBody(await call('county', 'get', `/api/organisations/${ids.org.wzvtc}`), 404);
  });

  describe('the school admin', () => {
    const attempt = (over: Record<string, unknown>) =>
      call('school', 'post', '/api/users').send({ username: `idor_${unique()}`, displayName: '越权', password: PASSWORD, roles: ['teacher'], ...over });

    it.each([
      ['in another school', { organisationId: 0 /* set below */ }],
      ['in an enterprise', { organisationId: -1 /* set below */, roles: ['enterprise_applicant'] }],
      ['granting expert', { roles: ['teacher', 'expert'] }],
      ['granting admin', { roles: ['admin'] }],
      ['granting county_reviewer (with a jurisdiction)', { roles: ['county_reviewer'], jurisdiction: '330302' }],
      ['granting city_reviewer', { roles: ['city_reviewer'] }],
      ['setting a jurisdiction on a teacher', { jurisdiction: '330302' }],
    ] as Array<[string, Record<string, unknown>]>)('cannot create a user %s: 403, nothing written', async (_label, over) => {
      const body = { ...over };
      if (body.organisationId === 0) body.organisationId = ids.org.wzvtc;
      if (body.organisationId === -1) body.organisationId = ids.org.enterprise;
      const before = await count('users');
      const res = await attempt(body);
      expectErrorBody(res, 403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect(await count('users')).toBe(before);
      expect(await one(`SELECT count(*)::int AS n FROM users WHERE username LIKE 'idor\\_%'`)).toEqual({ n: 0 });
    });

    it.each([
      ['grant expert to the teacher', { roles: ['teacher', 'expert'] }],
      ['make the teacher an admin', { roles: ['admin'] }],
      ['give the teacher a jurisdiction', { jurisdiction: '330302' }],
      ['move the teacher to another school', { organisationId: -1 }],
    ] as Array<[string, Record<string, unknown>]>)('cannot %s: 403, the teacher unchanged', async (_label, over) => {
      const body: Record<string, unknown> = { ...over };
      if (body.organisationId === -1) body.organisationId = ids.org.wzvtc;
      const before = await userRow(ids.user.teacher);
      expectErrorBody(await call('school', 'put', `/api/users/${ids.user.teacher}`).send(body), 403);
      expect(await userRow(ids.user.teacher)).toEqual(before);
    });

    it('cannot write the teacher of another school: 404', async () => {
      const before = await userRow(ids.user.teacher2);
      expectErrorBody(await call('school', 'put', `/api/users/${ids.user.teacher2}`).send({ displayName: '越权' }), 404);
      expect(await userRow(ids.user.teacher2)).toEqual(before);
    });
  });

  it.each(['teacher', 'enterprise', 'school', 'county', 'city', 'expert1', 'finance', 'ent2'] as Persona[])(
    '%s cannot make itself an admin through PUT /api/users/:self (403, roles unchanged)',
    async (persona) => {
      const before = await userRow(ids.user[persona]);
      const res = await call(persona, 'put', `/api/users/${ids.user[persona]}`).send({ roles: ['admin'] });
      expectErrorBody(res, 403);
      expect(res.body.message).toContain('roles');
      expect(await userRow(ids.user[persona])).toEqual(before);
    },
  );

  it.each([
    ['teacher', 'active', false],
    ['teacher', 'jurisdiction', '330302'],
    ['teacher', 'organisationId', -1],
    ['county', 'jurisdiction', '330381'],
    ['enterprise', 'roles', ['enterprise_applicant', 'expert']],
  ] as Array<[Persona, string, unknown]>)('%s cannot set its own %s (403, unchanged)', async (persona, field, value) => {
    const before = await userRow(ids.user[persona]);
    const res = await call(persona, 'put', `/api/users/${ids.user[persona]}`).send({ [field]: value === -1 ? ids.org.wzvtc : value });
    expectErrorBody(res, 403);
    expect(await userRow(ids.user[persona])).toEqual(before);
  });

  describe('read-only fields are unknown fields for everyone (400 naming them, nothing written)', () => {
    // [label, persona, method, path, body, the fields the 400 names as unknown]
    const targets: Array<[string, Persona, Method, (p: Persona) => string, Record<string, unknown>, string[]]> = [
      ['PUT own organisation with id', 'enterprise', 'put', own, { id: 1, address: '新地址' }, ['id']],
      ['PUT own organisation with createdAt', 'school', 'put', own, { createdAt: '2020-01-01T00:00:00Z', address: '新地址' }, ['createdAt']],
      ['PUT an organisation with id', 'admin', 'put', () => `/api/organisations/${ids.org.enterprise}`, { id: 999, name: '改名' }, ['id']],
      ['PUT own organisation with updatedAt and kind', 'admin', 'put', own, { updatedAt: '2020-01-01T00:00:00Z', kind: 'enterprise' }, ['kind', 'updatedAt']],
      [
        'POST an organisation with id',
        'admin',
        'post',
        () => '/api/organisations',
        { id: 4242, kind: 'school', name: '带编号的学校', schoolType: 'higher' },
        ['id'],
      ],
      ['PUT self with id', 'teacher', 'put', self, { id: 1, displayName: '新名' }, ['id']],
      ['PUT self with createdAt', 'county', 'put', self, { createdAt: '2020-01-01T00:00:00Z' }, ['createdAt']],
      ['PUT self with username and passwordHash', 'enterprise', 'put', self, { username: 'admin2', passwordHash: 'x' }, ['passwordHash', 'username']],
      ['PUT /api/me with id', 'expert1', 'put', () => '/api/me', { id: 1, displayName: '新名' }, ['id']],
      ['PUT /api/me with roles', 'teacher', 'put', () => '/api/me', { roles: ['admin'] }, ['roles']],
      [
        'POST a user with id and createdAt',
        'school',
        'post',
        () => '/api/users',
        { id: 7, createdAt: '2020-01-01T00:00:00Z', username: 'withid', displayName: 'x', password: PASSWORD, roles: ['teacher'] },
        ['createdAt', 'id'],
      ],
    ];
    it.each(targets)('%s (as %s) → 400', async (_label, persona, method, path, body, unknown) => {
      const [orgs, users, orgsUpdated, usersUpdated] = await Promise.all([
        count('organisations'),
        count('users'),
        one('SELECT max(updated_at) AS at FROM organisations'),
        one('SELECT max(updated_at) AS at FROM users'),
      ]);
      const res = await call(persona, method, path(persona)).send(body);
      expectErrorBody(res, 400);
      expect(res.body.code).toBe('VALIDATION');
      const named = (res.body.details as Array<{ field: string; messages: string[] }>).filter((d) => d.messages.includes('不允许的字段')).map((d) => d.field);
      expect(named.sort()).toEqual(unknown);
      expect(res.body.message).toContain(named[0]);
      expect(await count('organisations')).toBe(orgs);
      expect(await count('users')).toBe(users);
      expect(await one('SELECT max(updated_at) AS at FROM organisations')).toEqual(orgsUpdated);
      expect(await one('SELECT max(updated_at) AS at FROM users')).toEqual(usersUpdated);
    });
  });
});
