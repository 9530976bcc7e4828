import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuthService } from '@portal/identity';
import { startTestApp, type TestApp } from '@portal/testing';
import type { Test } from 'supertest';

/**
 * Security drill (issue 13): every refused request — 401, 403, 404 on something not the user's, 409, 400, 429 —
 * leaves exactly one structured entry (`request.refused`) with user id, route, status and reason in the log
 * stream itself (the product's pino logger writing to LOG_FILE), and the stream holds no secret: no password,
 * token, Authorization header, identity number or phone number.
 */

let t: TestApp;
let dir: string;
let file: string;
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'refusal-log-'));
  file = path.join(dir, 'api.log');
  // 40 a minute: two login attempts per client address, enough for the rest
  t = await startTestApp({ LOG_LEVEL: 'info', LOG_FILE: file, RATE_LIMIT_PER_MINUTE: '40' }, { logs: true });
  // tokens the product issues, without spending the login limit
  for (const username of ['teacher', 'enterprise', 'admin']) {
    const [{ id, token_version }] = await t.ds.query(`SELECT id, token_version FROM users WHERE username = $1`, [username]);
    ids[username] = id;
    tokens[username] = (await t.app.get(AuthService).issueToken({ id, tokenVersion: token_version })).token;
  }
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const PASSWORD = 'Sekret-Passw0rd!';
const FORGED = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.forged-signature';
const ID_NUMBER = '330302199001011234';
const PHONE = '13857712345';

interface Refusal {
  label: string;
  user: string | null;
  status: number;
  route: string;
  send: (req: (method: 'get' | 'post' | 'put', url: string) => Test) => Test;
}

const REFUSALS: Refusal[] = [
  { label: 'a forged token', user: null, status: 401, route: '/api/me', send: (r) => r('get', '/api/me').set('Authorization', `Bearer ${FORGED}`) },
  { label: 'a teacher reads the settings', user: 'teacher', status: 403, route: '/api/settings', send: (r) => r('get', '/api/settings') },
  {
    label: 'an enterprise reads another organisation',
    user: 'enterprise',
    status: 404,
    route: '/api/organisations/:id',
    send: (r) => r('get', `/api/organisations/${ids.admin}`),
  },
  {
    label: 'a teacher acts on a case that is not theirs',
    user: 'teacher',
    status: 404,
    route: '/api/cases/:ref/actions',
    send: (r) => r('post', '/api/cases/certification:999999/actions').send({ action: 'submit' }),
  },
  {
    label: 'a duplicate organisation',
    user: 'admin',
    status: 409,
    route: '/api/organisations',
    send: (r) => r('post', '/api/organisations').send({ kind: 'school', name: '温州职业技术学院', schoolType: 'higher' }),
  },
  {
    label: 'a profile with an unknown field carrying secrets',
    user: 'teacher',
    status: 400,
    route: '/api/me',
    send: (r) => r('put', '/api/me').send({ phone: PHONE, idNumber: ID_NUMBER, password: PASSWORD }),
  },
  {
    label: 'an objection with a bad name and an identity number',
    user: null,
    status: 400,
    route: '/api/publicity-notices/:id/objections',
    send: (r) => r('post', '/api/publicity-notices/1/objections').send({ name: '张', phone: PHONE, idNumber: ID_NUMBER, content: '短' }),
  },
  {
    label: 'a wrong password',
    user: null,
    status: 401,
    route: '/api/auth/login',
    send: (r) => r('post', '/api/auth/login').send({ username: 'admin', password: PASSWORD }),
  },
  {
    label: 'again',
    user: null,
    status: 401,
    route: '/api/auth/login',
    send: (r) => r('post', '/api/auth/login').send({ username: 'admin', password: PASSWORD }),
  },
  {
    label: 'once too often',
    user: null,
    status: 429,
    route: '/api/auth/login',
    send: (r) => r('post', '/api/auth/login').send({ username: 'admin', password: PASSWORD }),
  },
];

const entries = () =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

it('each refusal leaves exactly one entry with user, route, status and reason, and the stream holds no secret', async () => {
  const sent: Array<{ r: Refusal; requestId: string }> = [];
  for (const [i, r] of REFUSALS.entries()) {
    const requestId = `drill-refusal-${i}`;
    const res = await r.send((method, url) => {
      const req = t.http()[method](url).set('X-Request-Id', requestId);
      return r.user ? req.set('Authorization', `Bearer ${tokens[r.user]}`) : req;
    });
    expect([r.label, res.status]).toEqual([r.label, r.status]);
    sent.push({ r, requestId });
  }
  // and one accepted request, which is no refusal
  expect((await t.http().get('/api/me').set('Authorization', `Bearer ${tokens.teacher}`).set('X-Request-Id', 'drill-accepted')).status).toBe(200);

  const log = entries();
  const refused = log.filter((e) => e.event === 'request.refused');
  for (const { r, requestId } of sent) {
    const mine = refused.filter((e) => e.requestId === requestId);
    expect([r.label, mine.length]).toEqual([r.label, 1]);
    expect(mine[0]).toMatchObject({
      status: r.status,
      route: r.route,
      reason: expect.stringMatching(/[\u4e00-\u9fff]/),
      code: expect.any(String),
      user: r.user ? { id: ids[r.user], username: r.user } : null,
      level: 40,
    });
  }
  expect(refused.filter((e) => e.requestId === 'drill-accepted')).toEqual([]);
  expect(refused).toHaveLength(sent.length);

  const text = readFileSync(file, 'utf8');
  for (const secret of [PASSWORD, FORGED, 'forged-signature', ...Object.values(tokens), ID_NUMBER, PHONE]) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/"authorization":"Bearer/i);
});
