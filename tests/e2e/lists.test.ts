import { MAX_LIST_OFFSET } from '@portal/contracts';
import { countList, listExport, MAX_PAGE_SIZE, parseListQuery } from '@portal/core';
import { makeCreditCode, startTestApp, type TestApp } from '@portal/testing';
import { certified, cityReviewer, newApplicant, type Applicant } from '../support/certification.js';

/**
 * Lists in the ra-data-simple-rest dialect: sort, range and filter as JSON, the total in Content-Range.
 * Expected answers are computed with SQL on the same database, so they hold whatever the collation.
 */

let t: TestApp;
let admin: string;
const created: Record<string, number> = {};

const list = (resource: string, query: Record<string, unknown> = {}, token = admin) =>
  t
    .http()
    .get(`/api/${resource}`)
    .set('Authorization', `Bearer ${token}`)
    .query(Object.fromEntries(Object.entries(query).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
const idsOf = (body: Array<{ id: number }>) => body.map((r) => r.id);
const sqlIds = async (sql: string, params: unknown[] = []) => (await t.ds.query<Array<{ id: number }>>(sql, params)).map((r) => r.id);
const total = async (table: string, where = 'TRUE', params: unknown[] = []) =>
  (await t.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0].n as number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.token('admin');
  const create = async (key: string, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/organisations').set('Authorization', `Bearer ${admin}`).send(body);
    if (res.status !== 201) throw new Error(`${key}: ${res.status} ${JSON.stringify(res.body)}`);
    created[key] = res.body.id;
  };
  // names with LIKE's wildcards as literal characters, and enterprises in two counties
  await create('percent', { kind: 'school', name: '百分百%就业职业学校', countyCode: '330324', schoolType: 'secondary' });
  await create('underscore', { kind: 'school', name: 'Smart_Factory 技工学校', countyCode: '330324', schoolType: 'technician' });
  await create('backslash', { kind: 'school', name: '反斜杠\\学校', schoolType: 'secondary' });
  await create('ruian1', {
    kind: 'enterprise',
    name: '瑞安市汽摩配件有限公司',
    creditCode: makeCreditCode('330381'),
    countyCode: '330381',
    industry: 'auto_parts',
    address: '瑞安市安阳街道100%路',
  });
  await create('ruian2', {
    kind: 'enterprise',
    name: '瑞安市泵阀制造有限公司',
    creditCode: makeCreditCode('330381'),
    countyCode: '330381',
    industry: 'pumps_valves',
  });
  await create('yueqing', {
    kind: 'enterprise',
    name: '乐清市电气成套有限公司',
    creditCode: makeCreditCode('330382'),
    countyCode: '330382',
    industry: 'electrical',
  });
});
afterAll(() => t.close());

describe('sorting', () => {
  it.each([
    ['name', 'ASC', 'name ASC, id ASC'],
    ['name', 'DESC', 'name DESC, id ASC'],
    ['id', 'ASC', 'id ASC'],
    ['id', 'DESC', 'id DESC'],
    ['countyCode', 'ASC', 'county_code ASC, id ASC'],
    ['kind', 'DESC', 'kind DESC, id ASC'],
  ])('organisations by %s %s match ORDER BY %s', async (field, order, orderBy) => {
    const res = await list('organisations', { sort: [field, order], range: [0, 999] });
    expect(res.status).toBe(200);
    expect(idsOf(res.body)).toEqual(await sqlIds(`SELECT id FROM organisations ORDER BY ${orderBy}`));
  });

  it('the order is case-insensitive ("desc" works like "DESC")', async () => {
    const lower = await list('organisations', { sort: ['id', 'desc'], range: [0, 4] });
    const upper = await list('organisations', { sort: ['id', 'DESC'], range: [0, 4] });
    expect(idsOf(lower.body)).toEqual(idsOf(upper.body));
    expect(lower.body[0].id).toBeGreaterThan(lower.body[4].id);
  });

  it('users by username ASC and DESC', async () => {
    for (const order of ['ASC', 'DESC']) {
      const res = await list('users', { sort: ['username', order], range: [0, 999] });
      expect(idsOf(res.body)).toEqual(await sqlIds(`SELECT id FROM users ORDER BY username ${order}, id ASC`));
    }
  });

  it('without a sort, organisations come in id order', async () => {
    const res = await list('organisations', { range: [0, 999] });
    expect(idsOf(res.body)).toEqual(await sqlIds('SELECT id FROM organisations ORDER BY id'));
  });
});

describe('paging and Content-Range', () => {
  it('[0,4] and [5,9] answer consecutive pages with the true total', async () => {
    const n = await total('organisations');
    expect(n).toBeGreaterThan(10);
    const first = await list('organisations', { sort: ['id', 'ASC'], range: [0, 4] });
    const second = await list('organisations', { sort: ['id', 'ASC'], range: [5, 9] });
    expect(first.headers['content-range']).toBe(`organisations 0-4/${n}`);
    expect(second.headers['content-range']).toBe(`organisations 5-9/${n}`);
    expect(first.body).toHaveLength(5);
    expect(second.body).toHaveLength(5);
    expect([...idsOf(first.body), ...idsOf(second.body)]).toEqual(await sqlIds('SELECT id FROM organisations ORDER BY id LIMIT 10'));
  });

  it('pages sorted by name neither overlap nor skip (ties broken by id)', async () => {
    const n = await total('organisations');
    const seen: number[] = [];
    for (let start = 0; start < n; start += 7) {
      const res = await list('organisations', { sort: ['name', 'DESC'], range: [start, start + 6] });
      expect(res.headers['content-range']).toBe(`organisations ${start}-${start + res.body.length - 1}/${n}`);
      seen.push(...idsOf(res.body));
    }
    expect(seen).toEqual(await sqlIds('SELECT id FROM organisations ORDER BY name DESC, id ASC'));
  });

  it('the last, partial page says which rows it holds', async () => {
    const n = await total('organisations');
    const res = await list('organisations', { sort: ['id', 'ASC'], range: [n - 2, n + 7] });
    expect(res.body).toHaveLength(2);
    expect(res.headers['content-range']).toBe(`organisations ${n - 2}-${n - 1}/${n}`);
  });

  it('a page beyond the end is empty and still tells the total', async () => {
    const n = await total('organisations');
    const res = await list('organisations', { range: [n + 100, n + 104] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    expect(res.headers['content-range']).toMatch(new RegExp(`^organisations \\S+/${n}$`));
  });

  it(`a page starting past row ${MAX_LIST_OFFSET.toLocaleString('en')} is a 400 asking for a narrower filter; the export still reads every page`, async () => {
    const deep = await list('organisations', { range: [MAX_LIST_OFFSET + 1, MAX_LIST_OFFSET + 25] });
    expect(deep.status).toBe(400);
    expect(deep.body.message).toContain('缩小范围');
    expect((await list('organisations', { range: [MAX_LIST_OFFSET, MAX_LIST_OFFSET + 24] })).status).toBe(200);
    // listExport marks its own page reads (DEEP_PAGES, a symbol no HTTP request can carry)
    const read: Array<[number, number]> = [];
    const file = await listExport(
      { sort: '["id","ASC"]' },
      (q) => {
        const range = parseListQuery(q, { sortable: { id: 'id' }, filters: {}, defaultSort: { field: 'id', order: 'ASC' } }).range;
        read.push([range.start, range.end]);
        const rows =
          range.start < MAX_LIST_OFFSET + 2 * MAX_PAGE_SIZE ? Array.from({ length: range.end - range.start + 1 }, (_, i) => ({ id: range.start + i })) : [];
        return Promise.resolve(rows);
      },
      { title: '深翻页', fields: [{ header: '编号', cell: (r: { id: number }) => r.id }] },
      MAX_PAGE_SIZE,
    );
    for await (const chunk of file.getStream()) expect(chunk).toBeDefined();
    const pages = (MAX_LIST_OFFSET + 2 * MAX_PAGE_SIZE) / MAX_PAGE_SIZE + 1;
    expect(read.map(([start]) => start)).toEqual(Array.from({ length: pages }, (_, i) => i * MAX_PAGE_SIZE));
  });

  it('past EXACT_COUNT_LIMIT rows the total is the planner’s estimate, never below what was counted, and says so', async () => {
    const rows = await total('organisations');
    expect(await countList(t.ds, 'FROM organisations', [], rows)).toEqual({ total: rows, estimated: false });
    const estimate = await countList(t.ds, 'FROM organisations', [], 3);
    expect(estimate.estimated).toBe(true);
    expect(estimate.total).toBeGreaterThanOrEqual(4);
    // a list under the limit answers an exact total and no X-Total-Estimated header
    const res = await list('organisations', { range: [0, 0] });
    expect(res.headers['content-range']).toBe(`organisations 0-0/${rows}`);
    expect(res.headers['x-total-estimated']).toBeUndefined();
  });

  it('the default page is the first 25 rows', async () => {
    const n = await total('organisations');
    const res = await list('organisations');
    expect(res.body).toHaveLength(25);
    expect(res.headers['content-range']).toBe(`organisations 0-24/${n}`);
  });

  it('the total counts the filtered rows, not the page', async () => {
    const n = await total('organisations', `kind = 'school'`);
    const res = await list('organisations', { filter: { kind: 'school' }, range: [0, 1] });
    expect(res.body).toHaveLength(2);
    expect(res.headers['content-range']).toBe(`organisations 0-1/${n}`);
  });

  it('users and login events carry their own resource name', async () => {
    const users = await list('users', { range: [0, 2] });
    expect(users.headers['content-range']).toBe(`users 0-2/${await total('users')}`);
    const events = await list('login-events', { range: [0, 0] });
    expect(events.headers['content-range']).toBe(`login-events 0-0/${await total('login_events')}`);
    // the default order of login events is newest first
    const all = await list('login-events', { range: [0, 999] });
    const times = all.body.map((e: { at: string }) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('Content-Range is readable by the web app; cross-origin callers get no CORS grant', async () => {
    // The web app is served from the API's own origin (and Vite proxies /api in development), so it reads
    // Content-Range without CORS. create-app.ts registers no CORS handling at all (it used to register
    // @fastify/cors with `origin: false`, which sent nothing either): no Access-Control-* header is ever sent.
    const res = await list('organisations', { range: [0, 4] }).set('Origin', 'http://localhost:5173');
    expect(res.status).toBe(200);
    expect(res.headers['content-range']).toMatch(/^organisations 0-4\/\d+$/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-expose-headers']).toBeUndefined();
    const preflight = await t.http().options('/api/organisations').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('filtering', () => {
  it.each(['school', 'enterprise', 'authority'])('kind = %s', async (kind) => {
    const res = await list('organisations', { filter: { kind }, range: [0, 999] });
    expect(idsOf(res.body)).toEqual(await sqlIds('SELECT id FROM organisations WHERE kind = $1 ORDER BY id', [kind]));
    expect(res.body.every((o: { kind: string }) => o.kind === kind)).toBe(true);
  });

  it('countyCode, alone and with kind', async () => {
    const ruian = await list('organisations', { filter: { countyCode: '330381' }, range: [0, 999] });
    expect(idsOf(ruian.body)).toEqual(await sqlIds(`SELECT id FROM organisations WHERE county_code = '330381' ORDER BY id`));
    expect(idsOf(ruian.body)).toEqual(expect.arrayContaining([created.ruian1, created.ruian2]));
    const both = await list('organisations', { filter: { countyCode: '330381', kind: 'enterprise' }, range: [0, 999] });
    expect(idsOf(both.body)).toEqual([created.ruian1, created.ruian2]);
    const several = await list('organisations', { filter: { countyCode: ['330381', '330382'], kind: 'enterprise' }, range: [0, 999] });
    expect(idsOf(several.body)).toEqual([created.ruian1, created.ruian2, created.yueqing]);
  });

  it('q is a case-insensitive substring of name, credit code or address', async () => {
    const res = await list('organisations', { filter: { q: '职业技术学院' }, range: [0, 999] });
    expect(idsOf(res.body)).toEqual(await sqlIds(`SELECT id FROM organisations WHERE name LIKE '%职业技术学院%' ORDER BY id`));
    expect(res.body.length).toBeGreaterThanOrEqual(4);
    expect(idsOf((await list('organisations', { filter: { q: 'smart_factory' } })).body)).toEqual([created.underscore]);
    const code = (await t.ds.query('SELECT credit_code FROM organisations WHERE id = $1', [created.yueqing]))[0].credit_code as string;
    expect(idsOf((await list('organisations', { filter: { q: code.slice(2, 12) } })).body)).toEqual([created.yueqing]);
    expect(idsOf((await list('organisations', { filter: { q: '安阳街道' } })).body)).toEqual([created.ruian1]);
  });

  it('% in q is a literal percent sign, not a wildcard', async () => {
    const res = await list('organisations', { filter: { q: '%' }, range: [0, 999] });
    expect(idsOf(res.body)).toEqual([created.percent, created.ruian1]); // the name and the address holding a '%'
    // unescaped, "百%业" would match 百分百%就业…; escaped it is not a substring of anything
    expect(idsOf((await list('organisations', { filter: { q: '百%业' } })).body)).toEqual([]);
    expect(idsOf((await list('organisations', { filter: { q: '百分百%' } })).body)).toEqual([created.percent]);
  });

  it('_ in q is a literal underscore, not "any character"', async () => {
    expect(idsOf((await list('organisations', { filter: { q: '_' }, range: [0, 999] })).body)).toEqual([created.underscore]);
    expect(idsOf((await list('organisations', { filter: { q: 'Smart_' } })).body)).toEqual([created.underscore]);
    // unescaped, "温州_业" would match 温州职业…; escaped it matches nothing
    expect(idsOf((await list('organisations', { filter: { q: '温州_业' } })).body)).toEqual([]);
  });

  it('a backslash in q is literal too', async () => {
    expect(idsOf((await list('organisations', { filter: { q: '\\' } })).body)).toEqual([created.backslash]);
    expect(idsOf((await list('organisations', { filter: { q: '斜杠\\学' } })).body)).toEqual([created.backslash]);
  });

  it('a blank q filters nothing', async () => {
    const res = await list('organisations', { filter: { q: '   ' }, range: [0, 0] });
    expect(res.headers['content-range']).toBe(`organisations 0-0/${await total('organisations')}`);
  });

  it('react-admin getMany: filter={"id":[…]} answers exactly those records', async () => {
    const res = await list('organisations', { filter: { id: [1, 2] } });
    expect(idsOf(res.body)).toEqual([1, 2]);
    expect(res.headers['content-range']).toBe('organisations 0-1/2');
    const mixed = await list('organisations', { filter: { id: [created.yueqing, 3, 999999] }, sort: ['id', 'DESC'] });
    expect(idsOf(mixed.body)).toEqual([created.yueqing, 3]);
    const none = await list('organisations', { filter: { id: [] } });
    expect(none.body).toEqual([]);
    expect(none.headers['content-range']).toMatch(/\/0$/);
    const users = await list('users', { filter: { id: [1, 2] } });
    expect(idsOf(users.body)).toEqual([1, 2]);
  });

  it('users: by role, by organisation and active', async () => {
    const experts = await list('users', { filter: { role: 'expert' }, range: [0, 999] });
    expect(experts.body.map((u: { username: string }) => u.username).sort()).toEqual(['expert1', 'expert2', 'expert3']);
    const org = (await t.ds.query(`SELECT id FROM organisations WHERE name = '浙江工贸职业技术学院'`))[0].id;
    const staff = await list('users', { filter: { organisationId: org, active: true }, sort: ['username', 'ASC'] });
    expect(staff.body.map((u: { username: string }) => u.username)).toEqual(['school', 'teacher']);
    const reviewers = await list('users', { filter: { role: ['county_reviewer', 'city_reviewer'] }, sort: ['username', 'ASC'] });
    expect(reviewers.body.map((u: { username: string }) => u.username)).toEqual(['city', 'city2', 'county']);
  });

  it('login events: by success and user', async () => {
    const res = await list('login-events', { filter: { success: true, username: 'admin' } });
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThanOrEqual(1);
    expect(res.body.every((e: { success: boolean; username: string }) => e.success && e.username === 'admin')).toBe(true);
  });
});

describe('getMany on the certification lists, tasks, notifications and documents', () => {
  let applicant: Applicant;
  beforeAll(async () => {
    // two enterprises certified: applications, certifications, subsidies, certificates, tasks and notifications
    const decider = await cityReviewer(t, 'lists-decider');
    applicant = await newApplicant(t);
    await certified(t, applicant, decider);
    await certified(t, await newApplicant(t), decider);
  });

  it.each(['certification-applications', 'certifications', 'subsidies', 'documents', 'tasks', 'notifications'])(
    '%s: filter={"id":[…]} answers exactly those records; a bad id is a 400',
    async (resource) => {
      const token = resource === 'notifications' ? await t.token('county') : admin;
      const page = await list(resource, { range: [0, 2], ...(resource === 'tasks' ? { filter: { status: 'done' } } : {}) }, token);
      expect(page.status).toBe(200);
      const ids = idsOf(page.body);
      expect(ids.length).toBeGreaterThanOrEqual(2);
      const some = await list(resource, { filter: { id: [ids[0], ids[ids.length - 1], 987654321] } }, token);
      expect(some.status).toBe(200);
      expect(idsOf(some.body).sort((a, b) => a - b)).toEqual([ids[0], ids[ids.length - 1]].sort((a, b) => a - b));
      expect(some.headers['content-range']).toMatch(/\/2$/);
      const bad = await list(resource, { filter: { id: ['x'] } }, token);
      expect(bad.status).toBe(400);
    },
  );
});
