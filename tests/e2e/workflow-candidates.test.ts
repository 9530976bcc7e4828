import { act, demoPassword, openTestCase, startTestApp, userId, type TestApp } from '@portal/testing';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
  const admin = `Bearer ${await t.token('admin')}`;
  const [{ id: lucheng }] = await t.ds.query(`SELECT id FROM organisations WHERE name = '鹿城区教育局'`);
  const [{ id: ruian }] = await t.ds.query(`SELECT id FROM organisations WHERE name = '瑞安市教育局'`);
  const [{ organisation_id: cityOrg }] = await t.ds.query(`SELECT organisation_id FROM users WHERE username = 'city'`);
  for (const u of [
    { username: 'county_b', displayName: '鹿城区审核二', organisationId: lucheng, roles: ['county_reviewer'], jurisdiction: '330302' },
    { username: 'county_ra', displayName: '瑞安市审核', organisationId: ruian, roles: ['county_reviewer'], jurisdiction: '330381' },
    { username: 'city_b', displayName: '市级审核二', organisationId: cityOrg, roles: ['city_reviewer'] },
  ]) {
    expect(
      (
        await t
          .http()
          .post('/api/users')
          .set('Authorization', admin)
          .send({ ...u, password: demoPassword() })
      ).status,
    ).toBe(201);
  }
});
afterAll(() => t.close());

const get = async (u: string, path: string) =>
  t
    .http()
    .get(path)
    .set('Authorization', `Bearer ${await t.token(u)}`);

describe('who a task may be handed to, and who may stand in for whom', () => {
  it('lists for a supervisor exactly the reviewers of the stage’s role and county who may take the task', async () => {
    const { ref, id } = await openTestCase(t, 'enterprise');
    await act(t, 'enterprise', ref, { action: 'submit' });
    const [{ id: taskId }] = await t.ds.query(`SELECT id FROM tasks WHERE case_id = $1 AND status = 'open'`, [id]);
    const res = await get('city', `/api/tasks/${taskId}/assignees`);
    expect(res.status).toBe(200);
    expect(res.body.map((u: { displayName: string }) => u.displayName).sort()).toEqual(['鹿城区审核二', '鹿城区教育局审核员'].sort());
    // every candidate is accepted by the reassignment itself; someone of another county is refused
    const countyB = await userId(t, 'county_b');
    expect(
      (
        await t
          .http()
          .post(`/api/tasks/${taskId}/reassign`)
          .set('Authorization', `Bearer ${await t.token('city')}`)
          .send({ userId: countyB })
      ).status,
    ).toBe(200);
    const other = await userId(t, 'county_ra');
    const refused = await t
      .http()
      .post(`/api/tasks/${taskId}/reassign`)
      .set('Authorization', `Bearer ${await t.token('city')}`)
      .send({ userId: other });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('不管辖');
    // not a supervisor: refused
    expect((await get('county', `/api/tasks/${taskId}/assignees`)).status).toBe(403);
  });

  it('lists as proxies only colleagues with the same reviewer roles and jurisdiction', async () => {
    expect((await get('county', '/api/delegations/candidates')).body.map((u: { displayName: string }) => u.displayName)).toEqual(['鹿城区审核二']);
    expect((await get('city', '/api/delegations/candidates')).body.map((u: { displayName: string }) => u.displayName).sort()).toEqual(
      ['市教育局审核员二', '市级审核二'].sort(),
    );
    expect((await get('enterprise', '/api/delegations/candidates')).body).toEqual([]);
    const cityB = await userId(t, 'city_b');
    const now = Date.now();
    const res = await t
      .http()
      .post('/api/delegations')
      .set('Authorization', `Bearer ${await t.token('city')}`)
      .send({ delegateId: cityB, startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString(), reason: '出差' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ delegateId: cityB, delegateName: '市级审核二', principalName: '市教育局审核员', reason: '出差' });
  });
});
