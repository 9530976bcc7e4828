import { demoPassword, registrationBody, type TestApp } from '@portal/testing';

/**
 * People the engine's e2e tests need beyond the demo accounts, created the way an admin or an
 * enterprise would (through the API), so the tests exercise the same rules as the product.
 */

export async function organisationId(t: TestApp, kind: 'enterprise' | 'school' | 'authority', name: string): Promise<number> {
  const [row] = await t.ds.query(`SELECT id FROM organisations WHERE kind = $1 AND name = $2`, [kind, name]);
  if (!row) throw new Error(`no ${kind} organisation named ${name}`);
  return row.id;
}

export async function organisationOf(t: TestApp, username: string): Promise<number> {
  const [row] = await t.ds.query(`SELECT organisation_id FROM users WHERE username = $1`, [username]);
  return row.organisation_id;
}

/** An admin creates a user (demo password); answers the new user's id. */
export async function createUser(
  t: TestApp,
  p: { username: string; roles: string[]; organisationId: number; jurisdiction?: string | null; displayName?: string },
): Promise<number> {
  const res = await t
    .http()
    .post('/api/users')
    .set('Authorization', `Bearer ${await t.token('admin')}`)
    .send({
      username: p.username,
      displayName: p.displayName ?? p.username,
      password: demoPassword(),
      organisationId: p.organisationId,
      roles: p.roles,
      ...(p.jurisdiction ? { jurisdiction: p.jurisdiction } : {}),
    });
  if (res.status !== 201 && res.status !== 200) throw new Error(`creating ${p.username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Another enterprise registers itself (in `county`); answers its applicant's login and ids. */
export async function registerEnterprise(t: TestApp, county: string): Promise<{ username: string; password: string; id: number; organisationId: number }> {
  const body = registrationBody({ county });
  const res = await t.http().post('/api/auth/register-enterprise').send(body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  const [row] = await t.ds.query(`SELECT id, organisation_id FROM users WHERE username = $1`, [body.user.username]);
  return { username: body.user.username, password: body.user.password, id: row.id, organisationId: row.organisation_id };
}

/** GET as a user (password: the demo one unless given). */
export async function getAs(t: TestApp, username: string, path: string, password?: string) {
  return t
    .http()
    .get(path)
    .set('Authorization', `Bearer ${await t.token(username, password)}`);
}

/** POST an action as a user with an explicit password (users registered with their own). */
export async function actAs(
  t: TestApp,
  user: { username: string; password?: string },
  ref: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const req = t
    .http()
    .post(`/api/cases/${ref}/actions`)
    .set('Authorization', `Bearer ${await t.token(user.username, user.password)}`);
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req.send(body);
}

export const count = async (t: TestApp, sql: string, params: unknown[] = []): Promise<number> => (await t.ds.query(sql, params))[0].n;
