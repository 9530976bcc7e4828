import { demoPassword, registrationBody, startTestApp, type TestApp } from '@portal/testing';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const login = (username: string, password: string) => t.http().post('/api/auth/login').send({ username, password });

describe('login', () => {
  it('answers a bearer token that opens /api/me', async () => {
    const res = await login('admin', demoPassword());
    expect(res.status).toBe(200);
    expect(typeof res.body.token).toBe('string');
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await t.http().get('/api/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'admin', roles: ['admin'], organisation: { name: '温州市教育局', kind: 'authority' } });
    expect(me.body.passwordHash).toBeUndefined();
  });

  it('every demo account logs in', async () => {
    for (const u of ['admin', 'city', 'county', 'expert1', 'expert2', 'expert3', 'finance', 'enterprise', 'school', 'teacher']) {
      expect((await login(u, demoPassword())).status).toBe(200);
    }
  });

  const INVALID = { statusCode: 401, code: 'INVALID_CREDENTIALS', message: '用户名或密码错误（连续失败多次后须稍候再试）' };
  const answer = (res: { status: number; body: Record<string, unknown> }) => ({ status: res.status, body: { ...res.body, requestId: undefined } });

  it('refuses a wrong password and an unknown user alike, in Chinese, and audits both', async () => {
    const wrong = await login('city', 'wrong-password');
    const unknown = await login('nobody-here', 'whatever');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject(INVALID);
    }
    expect(answer(wrong)).toEqual(answer(unknown));
    const events = await t.ds.query(`SELECT username, success, reason FROM login_events WHERE username IN ('city', 'nobody-here') AND NOT success ORDER BY id`);
    expect(events).toEqual([
      { username: 'city', success: false, reason: 'bad_password' },
      { username: 'nobody-here', success: false, reason: 'unknown_user' },
    ]);
  });

  it('after 5 failures (from any address) the account is delayed, not locked: a throttled attempt answers exactly like an unknown user', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await login('expert2', `bad-${i}`).set('X-Forwarded-For', `203.0.113.${i}`);
      expect(answer(res)).toEqual(answer(await login('nobody-at-all', `bad-${i}`)));
    }
    // the first delay is a second (auth.loginDelayBaseSeconds); what follows must happen within it whatever the
    // machine's load, so the test stretches it: the rule under test is what happens during a delay, not its length
    await t.ds.query(`UPDATE users SET locked_until = now() + interval '1 hour' WHERE username = 'expert2' AND locked_until > now() - interval '1 minute'`);
    // within the delay even the right password gets the same answer as an unknown user (no oracle), and is audited
    const right = await login('expert2', demoPassword());
    expect(answer(right)).toEqual(answer(await login('nobody-at-all', demoPassword())));
    expect(JSON.stringify(right.body)).not.toMatch(/锁定|lock|until/i);
    const [last] = await t.ds.query(`SELECT success, reason FROM login_events WHERE username = 'expert2' ORDER BY id DESC LIMIT 1`);
    expect(last).toEqual({ success: false, reason: 'throttled' });
    // attempts during the delay neither count nor push it further: an attacker cannot hold the account
    const [held] = await t.ds.query(`SELECT failed_logins, locked_until FROM users WHERE username = 'expert2'`);
    expect(held.failed_logins).toBe(5);
    for (let i = 0; i < 10; i++) expect((await login('expert2', `spam-${i}`)).status).toBe(401);
    expect(await t.ds.query(`SELECT failed_logins, locked_until FROM users WHERE username = 'expert2'`)).toEqual([held]);
    // once the delay has passed, the right password works again and the counter starts afresh
    await t.ds.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE username = 'expert2'`);
    expect((await login('expert2', demoPassword())).status).toBe(200);
    const [{ failed_logins }] = await t.ds.query(`SELECT failed_logins FROM users WHERE username = 'expert2'`);
    expect(failed_logins).toBe(0);
  });

  it('each further failure after the delay doubles it, up to the cap (auth.lockMinutes)', async () => {
    const delays: number[] = [];
    for (let i = 1; i <= 16; i++) {
      await t.ds.query(`UPDATE users SET locked_until = NULL WHERE username = 'expert1'`);
      expect((await login('expert1', `bad-${i}`)).status).toBe(401);
      const [{ delay }] = await t.ds.query(`SELECT round(extract(epoch FROM locked_until - now()))::int AS delay FROM users WHERE username = 'expert1'`);
      delays.push(delay ?? 0);
    }
    expect(delays).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    await t.ds.query(`UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE username = 'expert1'`);
  });

  it('counts concurrent failures: 10 at once all count, and all answer alike', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => login('expert3', `bad-${i}`)));
    expect(new Set(results.map((r) => JSON.stringify(answer(r)))).size).toBe(1);
    expect(results[0].body).toMatchObject(INVALID);
    const [{ failed_logins, delayed }] = await t.ds.query(`SELECT failed_logins, locked_until > now() AS delayed FROM users WHERE username = 'expert3'`);
    expect(delayed).toBe(true);
    // those that arrived inside the delay were not checked and did not count
    const [{ checked }] = await t.ds.query(`SELECT count(*)::int AS checked FROM login_events WHERE username = 'expert3' AND reason = 'bad_password'`);
    expect(failed_logins).toBe(checked);
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('the threshold is a setting', async () => {
    const admin = await t.token('admin');
    const set = await t.http().put('/api/settings/auth.maxFailedLogins').set('Authorization', `Bearer ${admin}`).send({ value: 2 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: 'auth.maxFailedLogins', value: 2, default: 5 });
    await new Promise((r) => setTimeout(r, 2100)); // the settings cache lives 2 s
    expect((await login('finance', 'bad-1')).status).toBe(401);
    expect((await login('finance', demoPassword())).status).toBe(200);
    expect((await login('finance', 'bad-1')).status).toBe(401);
    expect((await login('finance', 'bad-2')).status).toBe(401);
    expect((await login('finance', demoPassword())).status).toBe(401);
    await t.http().put('/api/settings/auth.maxFailedLogins').set('Authorization', `Bearer ${admin}`).send({ value: 5 });
  });

  it('refuses requests without a token, with a bad token, and after the password changed', async () => {
    expect((await t.http().get('/api/me')).status).toBe(401);
    expect((await t.http().get('/api/me').set('Authorization', 'Bearer not.a.token')).status).toBe(401);
    const body = registrationBody();
    const reg = await t.http().post('/api/auth/register-enterprise').send(body);
    expect(reg.status).toBe(201);
    const old = reg.body.token;
    const change = await t
      .http()
      .post('/api/me/password')
      .set('Authorization', `Bearer ${old}`)
      .send({ currentPassword: body.user.password, newPassword: 'NewPass123' });
    expect(change.status).toBe(204);
    expect((await t.http().get('/api/me').set('Authorization', `Bearer ${old}`)).status).toBe(401);
    expect((await login(body.user.username, 'NewPass123')).status).toBe(200);
  });
});

describe('enterprise self-registration', () => {
  it('creates the enterprise and its first applicant, and logs them in', async () => {
    const body = registrationBody({ county: '330381' });
    const res = await t.http().post('/api/auth/register-enterprise').send(body);
    expect(res.status).toBe(201);
    const me = await t.http().get('/api/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(me.body).toMatchObject({
      roles: ['enterprise_applicant'],
      organisation: { kind: 'enterprise', countyCode: '330381', name: body.organisation.name },
    });
  });

  it('answers 409 for a credit code already registered, and writes nothing', async () => {
    const first = registrationBody();
    expect((await t.http().post('/api/auth/register-enterprise').send(first)).status).toBe(201);
    const again = registrationBody();
    again.organisation.creditCode = first.organisation.creditCode;
    const [{ n: before }] = await t.ds.query('SELECT count(*)::int AS n FROM users');
    const res = await t.http().post('/api/auth/register-enterprise').send(again);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'DUPLICATE', message: '该统一社会信用代码已注册' });
    const [{ n: after }] = await t.ds.query('SELECT count(*)::int AS n FROM users');
    expect(after).toBe(before);
  });

  it('two registrations of one code racing: one wins, the other gets the same 409', async () => {
    const a = registrationBody();
    const b = registrationBody();
    b.organisation.creditCode = a.organisation.creditCode;
    const results = await Promise.all([a, b].map((body) => t.http().post('/api/auth/register-enterprise').send(body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM organisations WHERE credit_code = $1', [a.organisation.creditCode]);
    expect(n).toBe(1);
  });

  it('names a bad credit code, county and weak password in Chinese', async () => {
    const body = registrationBody();
    body.organisation.creditCode = body.organisation.creditCode.slice(0, 17) + (body.organisation.creditCode[17] === '0' ? '1' : '0');
    body.organisation.countyCode = '110101';
    const res = await t.http().post('/api/auth/register-enterprise').send(body);
    expect(res.status).toBe(400);
    const fields = res.body.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['organisation.countyCode', 'organisation.creditCode']);
    expect(res.body.message).toContain('校验位');
    const weak = registrationBody();
    weak.user.password = 'short';
    const w = await t.http().post('/api/auth/register-enterprise').send(weak);
    expect(w.status).toBe(400);
    expect(w.body.details[0].field).toBe('password');
  });
});
