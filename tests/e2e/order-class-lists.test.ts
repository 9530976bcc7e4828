import { startTestApp, type TestApp } from '@portal/testing';
import { makeIdNumber } from '../support/id-numbers.js';
import { classAct, draftClass } from '../support/order-classes.js';
import { organisationOf } from '../support/people.js';

/**
 * The order-class lists speak the whole ra-data-simple-rest dialect (issue 10): getList with sort, range and
 * filters (stage, school, enterprise, major, county, industry, search), getOne, getMany (filter={"id":[…]}),
 * getManyReference (schoolId / enterpriseId), Content-Range; bad values are 400s naming the parameter.
 */

let t: TestApp;
let ids: number[];
beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  ids = [];
  for (const name of ['甲班', '乙班', '丙班']) ids.push((await draftClass(t, { name: `列表${name}` })).id);
  // one submitted, so the bureau and the city read it
  expect((await classAct(t, 'school', ids[0], { action: 'submit' })).status).toBe(200);
  const token = `Bearer ${await t.token('school')}`;
  for (const [i, name] of ['甲', '乙', '丙'].entries())
    await t
      .http()
      .post(`/api/order-classes/${ids[1]}/students`)
      .set('Authorization', token)
      .send({ name: `学生${name}`, idNumber: makeIdNumber({ seq: 30 + i }), gender: 'male' });
});
afterAll(() => t.close());

const list = async (user: string, path: string, q: Record<string, unknown> = {}) =>
  t
    .http()
    .get(path)
    .set('Authorization', `Bearer ${await t.token(user)}`)
    .query(Object.fromEntries(Object.entries(q).map(([k, v]) => [k, JSON.stringify(v)])));

it('getList: sort, range and Content-Range; filters by stage, school, enterprise, major, county and search', async () => {
  // (names compare by the database's collation: ASC is DESC reversed, and a page is a slice of the order)
  const names = async (order: 'ASC' | 'DESC', range = [0, 9]) =>
    ((await list('school', '/api/order-classes', { sort: ['name', order], range })).body as Array<{ name: string }>).map((c) => c.name);
  const asc = await names('ASC');
  expect(asc.slice().sort()).toEqual(['列表甲班', '列表乙班', '列表丙班'].sort());
  expect(await names('DESC')).toEqual(asc.slice().reverse());
  expect(await names('ASC', [0, 1])).toEqual(asc.slice(0, 2));
  let res = await list('school', '/api/order-classes', { sort: ['name', 'ASC'], range: [0, 1] });
  expect(res.headers['content-range']).toBe('order-classes 0-1/3');
  res = await list('school', '/api/order-classes', { sort: ['id', 'DESC'], range: [2, 2] });
  expect(res.body.map((c: { id: number }) => c.id)).toEqual([ids[0]]);
  const school = await organisationOf(t, 'school');
  const enterprise = await organisationOf(t, 'enterprise');
  for (const filter of [
    { state: 'enterprise_confirm' },
    { schoolId: school, state: ['enterprise_confirm'] },
    { enterpriseId: enterprise, q: '甲' },
    { majorCode: '460306', countyCode: '330302', industry: 'electrical', q: '甲班' },
  ]) {
    res = await list('school', '/api/order-classes', { filter });
    expect([filter, res.body.map((c: { id: number }) => c.id)]).toEqual([filter, [ids[0]]]);
  }
  // the county bureau and the city read only what was submitted
  for (const user of ['county', 'city']) expect((await list(user, '/api/order-classes')).body.map((c: { id: number }) => c.id)).toEqual([ids[0]]);
});

it('getOne, getMany and getManyReference; bad ids, sorts and filters are 400s', async () => {
  expect((await list('school', `/api/order-classes/${ids[2]}`)).body).toMatchObject({ id: ids[2], name: '列表丙班', enrolled: 0 });
  let res = await list('school', '/api/order-classes', { filter: { id: [ids[0], ids[2], 987654] } });
  expect(res.body.map((c: { id: number }) => c.id).sort()).toEqual([ids[0], ids[2]].sort());
  expect(res.headers['content-range']).toMatch(/\/2$/);
  res = await list('school', '/api/order-classes', { filter: { schoolId: await organisationOf(t, 'school') }, sort: ['id', 'ASC'], range: [0, 9] });
  expect(res.body.map((c: { id: number }) => c.id)).toEqual(ids);
  expect((await list('school', '/api/order-classes', { filter: { id: ['x'] } })).status).toBe(400);
  expect((await list('school', '/api/order-classes', { filter: { majorCode: '999999' } })).body.details[0].field).toBe('filter.majorCode');
  expect((await list('school', '/api/order-classes', { filter: { state: 'nope' } })).status).toBe(400);
  expect((await list('school', '/api/order-classes', { sort: ['secret', 'ASC'] })).status).toBe(400);
  expect((await list('school', '/api/order-classes/abc')).status).toBe(400);
});

it('the roster list: sort, range, getMany and a date filter; the enrolled count on the class', async () => {
  let res = await list('school', `/api/order-classes/${ids[1]}/students`, { sort: ['name', 'DESC'], range: [0, 1] });
  expect(res.headers['content-range']).toBe('students 0-1/3');
  const all = (await list('school', `/api/order-classes/${ids[1]}/students`)).body as Array<{ id: number }>;
  res = await list('school', `/api/order-classes/${ids[1]}/students`, { filter: { id: [all[0].id, all[2].id] } });
  expect(res.body.map((s: { id: number }) => s.id)).toEqual([all[0].id, all[2].id]);
  expect((await list('school', `/api/order-classes/${ids[1]}/students`, { filter: { at: '2026-02-30' } })).status).toBe(400);
  expect((await list('school', `/api/order-classes/${ids[1]}`)).body.enrolled).toBe(3);
});
