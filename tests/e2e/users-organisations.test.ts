import { demoPassword, makeCreditCode, startTestApp, type TestApp } from '@portal/testing';
import type { Test } from 'supertest';

/** The admin's and the organisation managers' journeys through organisations and users. */

let t: TestApp;
let admin: string;
let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;
const PASSWORD = 'Test1234abc';

const as = (token: string, req: Test) => req.set('Authorization', `Bearer ${token}`);
const login = (username: string, password: string) => t.http().post('/api/auth/login').send({ username, password });
const fields = (res: { body: { details?: unknown } }) => ((res.body.details ?? []) as Array<{ field: string }>).map((d) => d.field).sort();
const count = async (table: string, where = 'TRUE', params: unknown[] = []) =>
  (await t.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0].n as number;
const orgIdByName = async (name: string) => (await t.ds.query('SELECT id FROM organisations WHERE name = $1', [name]))[0].id as number;
const userIdByName = async (username: string) => (await t.ds.query('SELECT id FROM users WHERE username = $1', [username]))[0].id as number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.token('admin');
});
afterAll(() => t.close());

describe('organisations (admin)', () => {
  const create = (body: Record<string, unknown>) => as(admin, t.http().post('/api/organisations')).send(body);

  it.each([
    ['a school', { kind: 'school', name: `测试职业学校${unique()}`, countyCode: '330303', schoolType: 'secondary', address: '龙湾区测试路1号' }],
    ['an authority', { kind: 'authority', name: `洞头区测试局${unique()}`, countyCode: '330305', authorityType: 'education' }],
    [
      'an enterprise',
      {
        kind: 'enterprise',
        name: `平阳测试鞋业有限公司${unique()}`,
        creditCode: makeCreditCode('330326'),
        countyCode: '330326',
        industry: 'footwear',
        contactName: '陈先生',
        contactPhone: '0577-63000000',
      },
    ],
  ])('creates %s with its kind-specific fields', async (_label, body) => {
    const res = await create(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, id: expect.any(Number), createdAt: expect.any(String), updatedAt: expect.any(String) });
    const [row] = await t.ds.query('SELECT kind, name, county_code FROM organisations WHERE id = $1', [res.body.id]);
    expect(row).toEqual({ kind: body.kind, name: body.name, county_code: body.countyCode });
    const read = await as(admin, t.http().get(`/api/organisations/${res.body.id}`));
    expect(read.body).toEqual(res.body);
  });

  it.each([
    ['a school without a name', { kind: 'school', schoolType: 'higher' }, ['name']],
    ['an organisation without a kind', { name: '缺类别的单位', schoolType: 'higher' }, ['kind']],
    ['a school without schoolType', { kind: 'school', name: '缺类型的学校' }, ['schoolType']],
    ['an authority without authorityType', { kind: 'authority', name: '缺类型的部门' }, ['authorityType']],
    ['an enterprise without credit code, county and industry', { kind: 'enterprise', name: '缺信息的企业' }, ['countyCode', 'creditCode', 'industry']],
    ['an enterprise without an industry', { kind: 'enterprise', name: '缺产业的企业', creditCode: makeCreditCode(), countyCode: '330302' }, ['industry']],
    ['a school with an industry', { kind: 'school', name: '带产业的学校', schoolType: 'higher', industry: 'electrical' }, ['industry']],
    ['an authority with a school type', { kind: 'authority', name: '带办学类型的部门', authorityType: 'finance', schoolType: 'higher' }, ['schoolType']],
  ])('refuses %s: 400 naming the field, nothing written', async (_label, body, named) => {
    const before = await count('organisations');
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION');
    expect(fields(res)).toEqual(named);
    expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await count('organisations')).toBe(before);
  });

  it('refuses a credit code with a wrong check character (400 naming creditCode)', async () => {
    const code = makeCreditCode();
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const res = await create({ kind: 'enterprise', name: '校验位错误的企业', creditCode: wrong, countyCode: '330302', industry: 'electrical' });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['creditCode']);
    expect(res.body.message).toContain('校验位');
  });

  it('a duplicate credit code is a 409 naming creditCode, and writes nothing', async () => {
    const creditCode = makeCreditCode('330327');
    expect((await create({ kind: 'enterprise', name: `苍南测试企业${unique()}`, creditCode, countyCode: '330327', industry: 'apparel' })).status).toBe(201);
    const before = await count('organisations');
    const again = await create({ kind: 'enterprise', name: `另一家企业${unique()}`, creditCode, countyCode: '330327', industry: 'apparel' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'DUPLICATE', message: '该统一社会信用代码已注册', details: [{ field: 'creditCode' }] });
    expect(await count('organisations')).toBe(before);
    // the demo enterprise's code as well, and through an update
    const seeded = await create({
      kind: 'enterprise',
      name: `冒用代码的企业${unique()}`,
      creditCode: '91330302MA2C8X1Y03',
      countyCode: '330302',
      industry: 'electrical',
    });
    expect(seeded.status).toBe(409);
    const mine = await create({
      kind: 'enterprise',
      name: `改代码的企业${unique()}`,
      creditCode: makeCreditCode('330327'),
      countyCode: '330327',
      industry: 'apparel',
    });
    const change = await as(admin, t.http().put(`/api/organisations/${mine.body.id}`)).send({ creditCode });
    expect(change.status).toBe(409);
    expect((await t.ds.query('SELECT credit_code FROM organisations WHERE id = $1', [mine.body.id]))[0].credit_code).toBe(mine.body.creditCode);
  });

  it('a duplicate name within a kind is a 409, not a 500', async () => {
    const before = await count('organisations');
    const res = await create({ kind: 'school', name: '浙江工贸职业技术学院', schoolType: 'higher' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('DUPLICATE');
    expect(await count('organisations')).toBe(before);
  });

  it('deleting an organisation that still has users is a 409, and it stays', async () => {
    const id = await orgIdByName('浙江工贸职业技术学院');
    const res = await as(admin, t.http().delete(`/api/organisations/${id}`));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CONFLICT');
    expect(res.body.message).toContain('2 个用户');
    expect(await count('organisations', 'id = $1', [id])).toBe(1);
  });

  it('deleting an empty organisation answers it and removes it', async () => {
    const created = await create({ kind: 'school', name: `待删除的学校${unique()}`, schoolType: 'secondary' });
    const res = await as(admin, t.http().delete(`/api/organisations/${created.body.id}`));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, name: created.body.name });
    expect(await count('organisations', 'id = $1', [created.body.id])).toBe(0);
    expect((await as(admin, t.http().get(`/api/organisations/${created.body.id}`))).status).toBe(404);
    expect((await as(admin, t.http().delete(`/api/organisations/${created.body.id}`))).status).toBe(404);
  });

  it('the admin edits any field; a change that breaks the kind’s rules is a 400', async () => {
    const created = await create({
      kind: 'enterprise',
      name: `文成测试企业${unique()}`,
      creditCode: makeCreditCode('330328'),
      countyCode: '330328',
      industry: 'other',
    });
    const id = created.body.id;
    const renamed = await as(admin, t.http().put(`/api/organisations/${id}`)).send({
      name: '文成测试企业（更名）',
      countyCode: '330329',
      industry: 'new_materials',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: '文成测试企业（更名）', countyCode: '330329', industry: 'new_materials' });
    const broken = await as(admin, t.http().put(`/api/organisations/${id}`)).send({ creditCode: null });
    expect(broken.status).toBe(400);
    expect(fields(broken)).toEqual(['creditCode']);
    expect((await t.ds.query('SELECT credit_code FROM organisations WHERE id = $1', [id]))[0].credit_code).toBe(created.body.creditCode);
  });
});

describe('users (admin)', () => {
  const create = (body: Record<string, unknown>) => as(admin, t.http().post('/api/users')).send({ displayName: '新用户', password: PASSWORD, ...body });

  it.each([
    ['a teacher in a school', '温州技师学院', { roles: ['teacher'] }],
    ['a school admin who is also an expert', '温州科技职业学院', { roles: ['school_admin', 'expert'] }],
    ['an applicant in an enterprise', '温州瓯江电气科技有限公司', { roles: ['enterprise_applicant'] }],
    ['a county reviewer with a jurisdiction', '瑞安市教育局', { roles: ['county_reviewer'], jurisdiction: '330381' }],
    ['a city-level finance officer', '温州市财政局', { roles: ['finance'] }],
    ['a county finance officer', '乐清市财政局', { roles: ['finance'], jurisdiction: '330382' }],
  ])('creates %s', async (_label, orgName, extra) => {
    const username = `user_${unique()}`;
    const organisationId = await orgIdByName(orgName);
    const res = await create({ username, organisationId, email: `${username}@example.cn`, ...extra });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      username,
      organisationId,
      roles: extra.roles,
      jurisdiction: (extra as { jurisdiction?: string }).jurisdiction ?? null,
      active: true,
      lockedUntil: null,
    });
    expect(res.body.password).toBeUndefined();
    expect(res.body.passwordHash).toBeUndefined();
    expect((await login(username, PASSWORD)).status).toBe(200);
  });

  it.each([
    ['a teacher in an authority', '温州市教育局', { roles: ['teacher'] }, ['roles']],
    ['an admin in an enterprise', '温州瓯江电气科技有限公司', { roles: ['admin'] }, ['roles']],
    ['an applicant in a school', '温州技师学院', { roles: ['enterprise_applicant'] }, ['roles']],
    ['a county reviewer without a jurisdiction', '鹿城区教育局', { roles: ['county_reviewer'] }, ['jurisdiction']],
    ['a teacher with a jurisdiction', '温州技师学院', { roles: ['teacher'], jurisdiction: '330304' }, ['jurisdiction']],
    ['a county reviewer of a county outside Wenzhou', '鹿城区教育局', { roles: ['county_reviewer'], jurisdiction: '110101' }, ['jurisdiction']],
    ['a user with a weak password', '温州技师学院', { roles: ['teacher'], password: 'password' }, ['password']],
    ['a user of an organisation that does not exist', null, { roles: ['teacher'], organisationId: 999999 }, ['organisationId']],
    ['a user without a password', '温州技师学院', { roles: ['teacher'], password: undefined }, ['password']],
    ['a user without roles', '温州技师学院', {}, ['roles']],
    ['a user without a display name', '温州技师学院', { roles: ['teacher'], displayName: undefined }, ['displayName']],
    ['a user with an empty role list', '温州技师学院', { roles: [] }, ['roles']],
  ])('refuses %s: 400 naming the field, nothing written', async (_label, orgName, extra, named) => {
    const before = await count('users');
    const organisationId = orgName ? await orgIdByName(orgName) : undefined;
    const res = await create({ username: `bad_${unique()}`, organisationId, ...extra });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION');
    expect(fields(res)).toEqual(named);
    expect(await count('users')).toBe(before);
  });

  it.each(['ADMIN', 'Teacher', 'eNtErPrIsE'])('username %s is taken (case-insensitively): 409 naming username', async (username) => {
    const before = await count('users');
    const res = await create({ username, organisationId: await orgIdByName('温州技师学院'), roles: ['teacher'] });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'DUPLICATE', message: '用户名已被使用', details: [{ field: 'username' }] });
    expect(await count('users')).toBe(before);
  });

  it('a new password (set by the admin) ends the user’s sessions; the new one works, the old does not', async () => {
    const username = `pw_${unique()}`;
    const made = await create({ username, organisationId: await orgIdByName('温州技师学院'), roles: ['teacher'] });
    const oldToken = (await login(username, PASSWORD)).body.token;
    expect((await as(oldToken, t.http().get('/api/me'))).status).toBe(200);
    const res = await as(admin, t.http().put(`/api/users/${made.body.id}`)).send({ password: 'Changed9876' });
    expect(res.status).toBe(200);
    const refused = await as(oldToken, t.http().get('/api/me'));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    expect((await login(username, PASSWORD)).status).toBe(401);
    const fresh = await login(username, 'Changed9876');
    expect(fresh.status).toBe(200);
    expect((await as(fresh.body.token, t.http().get('/api/me'))).status).toBe(200);
  });

  it('a weak new password is refused and the old one still works', async () => {
    const username = `pw_${unique()}`;
    const made = await create({ username, organisationId: await orgIdByName('温州技师学院'), roles: ['teacher'] });
    const res = await as(admin, t.http().put(`/api/users/${made.body.id}`)).send({ password: 'short1' });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['password']);
    expect((await login(username, PASSWORD)).status).toBe(200);
  });

  it('deactivating a user ends its sessions and refuses its login; reactivating lets it in again', async () => {
    const username = `off_${unique()}`;
    const made = await create({ username, organisationId: await orgIdByName('温州技师学院'), roles: ['teacher'] });
    const token = (await login(username, PASSWORD)).body.token;
    const off = await as(admin, t.http().put(`/api/users/${made.body.id}`)).send({ active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await as(token, t.http().get('/api/me'))).status).toBe(401);
    const refused = await login(username, PASSWORD);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('账号已停用，请联系管理员');
    const [event] = await t.ds.query(`SELECT success, reason FROM login_events WHERE username = $1 ORDER BY id DESC LIMIT 1`, [username]);
    expect(event).toEqual({ success: false, reason: 'inactive' });
    expect((await as(admin, t.http().put(`/api/users/${made.body.id}`)).send({ active: true })).status).toBe(200);
    expect((await login(username, PASSWORD)).status).toBe(200);
  });

  it('a change of roles ends the user’s sessions (its token carried the old roles)', async () => {
    const username = `role_${unique()}`;
    const made = await create({ username, organisationId: await orgIdByName('温州技师学院'), roles: ['teacher'] });
    const token = (await login(username, PASSWORD)).body.token;
    expect((await as(admin, t.http().put(`/api/users/${made.body.id}`)).send({ roles: ['teacher', 'expert'] })).status).toBe(200);
    expect((await as(token, t.http().get('/api/me'))).status).toBe(401);
  });

  it('the admin cannot deactivate itself nor drop its own admin role (409), and stays an admin', async () => {
    const id = await userIdByName('admin');
    const off = await as(admin, t.http().put(`/api/users/${id}`)).send({ active: false });
    expect(off.status).toBe(409);
    expect(off.body).toMatchObject({ code: 'CONFLICT', message: '不能停用自己的账号' });
    const demote = await as(admin, t.http().put(`/api/users/${id}`)).send({ roles: ['city_reviewer'] });
    expect(demote.status).toBe(409);
    const [row] = await t.ds.query('SELECT active, roles, token_version FROM users WHERE id = $1', [id]);
    expect(row).toEqual({ active: true, roles: ['admin'], token_version: 0 });
    expect((await as(admin, t.http().get('/api/me'))).status).toBe(200);
  });

  it('the admin may deactivate another admin', async () => {
    const username = `admin_${unique()}`;
    const made = await create({ username, organisationId: await orgIdByName('温州市教育局'), roles: ['admin'] });
    const res = await as(admin, t.http().put(`/api/users/${made.body.id}`)).send({ active: false });
    expect(res.status).toBe(200);
    expect((await login(username, PASSWORD)).status).toBe(401);
  });
});

describe('a school admin manages its teachers', () => {
  let school: string;
  let teacherId: number;
  const username = `wang_${Date.now().toString(36)}`;

  beforeAll(async () => {
    school = await t.token('school');
  });

  it('creates a teacher in its own school (organisation implied)', async () => {
    const res = await as(school, t.http().post('/api/users')).send({
      username,
      displayName: '王小明',
      password: PASSWORD,
      roles: ['teacher'],
      phone: '13800000000',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username, organisationId: await orgIdByName('浙江工贸职业技术学院'), roles: ['teacher'], jurisdiction: null });
    teacherId = res.body.id;
    expect((await login(username, PASSWORD)).status).toBe(200);
  });

  it('lists it, finds it by search and reads it', async () => {
    const list = await as(school, t.http().get('/api/users')).query({ sort: '["id","ASC"]', range: '[0,99]' });
    expect(list.status).toBe(200);
    expect(list.body.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['school', 'teacher', username]));
    expect(list.body.every((u: { organisationId: number }) => u.organisationId === list.body[0].organisationId)).toBe(true);
    const found = await as(school, t.http().get('/api/users')).query({ filter: JSON.stringify({ q: '王小明' }) });
    expect(found.body.map((u: { id: number }) => u.id)).toEqual([teacherId]);
    const one = await as(school, t.http().get(`/api/users/${teacherId}`));
    expect(one.status).toBe(200);
    expect(one.body.displayName).toBe('王小明');
  });

  it('saves the whole record as the edit form sends it when only an allowed field changed', async () => {
    const { body: record } = await as(school, t.http().get(`/api/users/${teacherId}`));
    // the web app's data provider sends the writable fields (id, username, timestamps are never sent)
    const { id: _id, username: _u, lockedUntil: _l, createdAt: _c, phoneMasked: _p, ...writable } = record;
    const res = await as(school, t.http().put(`/api/users/${teacherId}`)).send({ ...writable, phone: '13900000000' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...record, phoneMasked: '139****0000' });
    const [row] = await t.ds.query('SELECT phone, roles, token_version FROM users WHERE id = $1', [teacherId]);
    expect(row).toEqual({ phone: '13900000000', roles: ['teacher'], token_version: 0 });
  });

  it('the same record with a role it may not grant is a 403, and nothing changes', async () => {
    const { body: record } = await as(school, t.http().get(`/api/users/${teacherId}`));
    const { id: _id, username: _u, lockedUntil: _l, createdAt: _c, phoneMasked: _p, ...writable } = record;
    const res = await as(school, t.http().put(`/api/users/${teacherId}`)).send({ ...writable, displayName: '王大明', roles: ['teacher', 'expert'] });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('roles');
    const [row] = await t.ds.query('SELECT display_name, roles FROM users WHERE id = $1', [teacherId]);
    expect(row).toEqual({ display_name: '王小明', roles: ['teacher'] });
  });

  it('resets the teacher’s password and deactivates it', async () => {
    expect((await as(school, t.http().put(`/api/users/${teacherId}`)).send({ password: 'Reset4567xyz' })).status).toBe(200);
    expect((await login(username, 'Reset4567xyz')).status).toBe(200);
    expect((await as(school, t.http().put(`/api/users/${teacherId}`)).send({ active: false })).status).toBe(200);
    expect((await login(username, 'Reset4567xyz')).status).toBe(401);
  });

  it('a teacher saves its own whole record when only displayName changed', async () => {
    const token = await t.token('teacher');
    const me = await as(token, t.http().get('/api/me'));
    const { id, username: _u, lockedUntil: _l, createdAt: _c, organisation: _o, phoneMasked: _p, ...writable } = me.body;
    const res = await as(token, t.http().put(`/api/users/${id}`)).send({ ...writable, displayName: '王老师（更新）' });
    expect(res.status).toBe(200);
    expect(res.body.displayName).toBe('王老师（更新）');
    // with one forbidden change among the unchanged fields, the whole write is refused
    const refused = await as(token, t.http().put(`/api/users/${id}`)).send({ ...writable, displayName: '王老师', active: false });
    expect(refused.status).toBe(403);
    expect((await t.ds.query('SELECT display_name, active FROM users WHERE id = $1', [id]))[0]).toEqual({ display_name: '王老师（更新）', active: true });
  });
});

describe('phones in the users answers', () => {
  const PHONE = '13812345678';
  const MASKED = '138****5678';
  const bare = (body: unknown) => JSON.stringify(body).replace(/\D/g, '');

  it('no users answer carries a whole phone (list, getOne, getMany, create, update); the user’s own /api/me does', async () => {
    const school = await t.token('school');
    const username = `phone_${unique()}`;
    const created = await as(school, t.http().post('/api/users')).send({
      username,
      displayName: '赵老师',
      password: PASSWORD,
      roles: ['teacher'],
      phone: PHONE,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect((await t.ds.query('SELECT phone FROM users WHERE id = $1', [id]))[0].phone).toBe(PHONE);
    const answers = [
      created,
      await as(school, t.http().get('/api/users')).query({ range: '[0,999]' }),
      await as(admin, t.http().get('/api/users')).query({ filter: JSON.stringify({ q: username }) }),
      await as(school, t.http().get(`/api/users/${id}`)),
      await as(admin, t.http().get(`/api/users/${id}`)),
      await as(school, t.http().get('/api/users')).query({ filter: JSON.stringify({ id: [id] }) }),
      await as(school, t.http().put(`/api/users/${id}`)).send({ displayName: '赵老师（更新）' }),
    ];
    for (const res of answers) {
      expect(res.status).toBeLessThan(300);
      expect(bare(res.body)).not.toContain(PHONE);
      const mine = ([] as Array<{ id: number; phoneMasked?: string; phone?: string }>).concat(res.body).find((u) => u.id === id);
      expect(mine).toMatchObject({ phoneMasked: MASKED });
      expect(mine).not.toHaveProperty('phone');
    }
    // an update without a phone left it as it was
    expect((await t.ds.query('SELECT phone, display_name FROM users WHERE id = $1', [id]))[0]).toEqual({ phone: PHONE, display_name: '赵老师（更新）' });
    // a new number is written whole and answered masked
    const changed = await as(school, t.http().put(`/api/users/${id}`)).send({ phone: '13900001234' });
    expect([changed.status, changed.body.phoneMasked, bare(changed.body).includes('13900001234')]).toEqual([200, '139****1234', false]);
    expect((await t.ds.query('SELECT phone FROM users WHERE id = $1', [id]))[0].phone).toBe('13900001234');
    // the user's own record is theirs whole
    const me = await as(await t.token(username, PASSWORD), t.http().get('/api/me'));
    expect(me.body).toMatchObject({ id, phone: '13900001234', phoneMasked: '139****1234' });
  });
});

describe('an organisation manager edits its own organisation', () => {
  const writable = (o: Record<string, unknown>) => {
    // the web app never sends id, kind or the timestamps on an update
    const { id: _id, kind: _k, createdAt: _c, updatedAt: _u, ...rest } = o;
    return rest;
  };

  it('the enterprise saves its whole record with only the contact phone changed', async () => {
    const token = await t.token('enterprise');
    const id = await orgIdByName('温州瓯江电气科技有限公司');
    const { body: record } = await as(token, t.http().get(`/api/organisations/${id}`));
    const res = await as(token, t.http().put(`/api/organisations/${id}`)).send({ ...writable(record), contactPhone: '0577-88880002' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...record, contactPhone: '0577-88880002', updatedAt: expect.any(String) });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(record.updatedAt));
  });

  it('the enterprise changes its industry and address, but not its name, credit code or county', async () => {
    const token = await t.token('enterprise');
    const id = await orgIdByName('温州瓯江电气科技有限公司');
    const { body: record } = await as(token, t.http().get(`/api/organisations/${id}`));
    const ok = await as(token, t.http().put(`/api/organisations/${id}`)).send({
      ...writable(record),
      industry: 'smart_equipment',
      address: '温州市鹿城区新地址1号',
    });
    expect(ok.status).toBe(200);
    for (const change of [{ name: '改名电气有限公司' }, { creditCode: makeCreditCode() }, { countyCode: '330381' }]) {
      const res = await as(token, t.http().put(`/api/organisations/${id}`)).send({ ...writable(ok.body), ...change });
      expect(res.status).toBe(403);
      expect(res.body.message).toContain(Object.keys(change)[0]);
    }
    const [row] = await t.ds.query('SELECT name, county_code, industry FROM organisations WHERE id = $1', [id]);
    expect(row).toEqual({ name: '温州瓯江电气科技有限公司', county_code: '330302', industry: 'smart_equipment' });
  });

  it('the school admin saves its school’s address; the teacher may not', async () => {
    const id = await orgIdByName('浙江工贸职业技术学院');
    const school = await t.token('school');
    const { body: record } = await as(school, t.http().get(`/api/organisations/${id}`));
    const res = await as(school, t.http().put(`/api/organisations/${id}`)).send({
      ...writable(record),
      address: '温州市鹿城区学院路1号',
      contactName: '教务处',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ address: '温州市鹿城区学院路1号', contactName: '教务处', schoolType: record.schoolType });
    const teacher = await t.token('teacher', demoPassword());
    const refused = await as(teacher, t.http().put(`/api/organisations/${id}`)).send({ ...writable(res.body), address: '别处' });
    expect(refused.status).toBe(403);
    // not even an unchanged record: a teacher does not write its school
    const same = await as(teacher, t.http().put(`/api/organisations/${id}`)).send({ ...writable(res.body) });
    expect(same.status).toBe(403);
    expect((await t.ds.query('SELECT address FROM organisations WHERE id = $1', [id]))[0].address).toBe('温州市鹿城区学院路1号');
  });
});
