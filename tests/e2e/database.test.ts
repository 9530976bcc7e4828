import { randomBytes } from 'node:crypto';
import { COUNTIES, INDUSTRIES } from '@portal/contracts';
import { dataSourceOptions, ensureDatabaseExists, OUTBOX_RETENTION_DAYS, purgeProcessedOutbox, withDatabase } from '@portal/core';
import { OrganisationEntity, UserEntity } from '@portal/identity';
import { allMigrations, runMigrations } from '@portal/migrations';
import { DEMO_ACCOUNTS, runSeeds, SEED_SCHOOLS, seedAuthorities } from '@portal/seeds';
import { demoPassword, testConfig } from '@portal/testing';
import pg from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';

/**
 * Migrations, seeds and the schema's own guarantees, on real PostgreSQL: a fresh empty database of our own
 * (not the seeded template), dropped at the end.
 */

const cluster = () => testConfig.pgClusterUrl();
const created: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `portal_dbtest_${process.pid}_${randomBytes(4).toString('hex')}`;
  await ensureDatabaseExists(cluster(), name);
  created.push(name);
  return withDatabase(cluster(), name);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The PostgreSQL error of a statement that must fail, or a test failure when it succeeds. */
async function refusal(fn: () => Promise<unknown>): Promise<{ code: string; constraint?: string }> {
  try {
    await fn();
  } catch (e) {
    const err = (e instanceof QueryFailedError ? (e as QueryFailedError & { driverError: unknown }).driverError : e) as { code: string; constraint?: string };
    return { code: err.code, constraint: err.constraint };
  }
  throw new Error('the database accepted a row it should refuse');
}

let url: string;

beforeAll(async () => {
  url = await freshDatabase();
});

afterAll(async () => {
  await withClient(cluster(), async (c) => {
    for (const name of created) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const { rows } = await c.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [created]);
    expect(rows).toEqual([]);
  });
});

describe('migrations', () => {
  it('run up from an empty database, creating every table', async () => {
    const before = await withClient(url, (c) => c.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`));
    expect(before.rows[0].n).toBe(0);

    const applied = await runMigrations(url);
    expect(applied).toEqual(allMigrations.map((m) => new m().name));
    expect(applied[0]).toBe('InitialSchema1795300000000');

    const tables = await withClient(url, async (c) =>
      (await c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).rows.map((r) => r.table_name),
    );
    expect(tables).toEqual(
      expect.arrayContaining(['counties', 'industries', 'organisations', 'users', 'login_events', 'settings', 'system_secrets', 'migrations']),
    );
    const recorded = await withClient(url, async (c) => (await c.query('SELECT name FROM migrations ORDER BY id')).rows.map((r) => r.name));
    expect(recorded).toEqual(applied);
  });

  it('run again: nothing pending, nothing changed', async () => {
    expect(await runMigrations(url)).toEqual([]);
    const n = await withClient(url, async (c) => (await c.query('SELECT count(*)::int AS n FROM migrations')).rows[0].n);
    expect(n).toBe(allMigrations.length);
  });

  it('two instances migrating one database at once take turns (the advisory lock): each migration applied once', async () => {
    const other = await freshDatabase();
    const results = await Promise.all([runMigrations(other), runMigrations(other), runMigrations(other)]);
    expect(results.flat().sort()).toEqual(allMigrations.map((m) => new m().name).sort());
    const n = await withClient(other, async (c) => (await c.query('SELECT count(*)::int AS n FROM migrations')).rows[0].n);
    expect(n).toBe(allMigrations.length);
  });

  it('the key columns have the types the design asks for (timestamptz, identity ids, text[] roles)', async () => {
    const cols = await withClient(
      url,
      async (c) =>
        (
          await c.query(`SELECT table_name, column_name, data_type, udt_name, is_identity FROM information_schema.columns
                       WHERE table_schema = 'public' AND table_name IN ('organisations', 'users') AND column_name IN ('id', 'created_at', 'updated_at', 'roles', 'locked_until')`)
        ).rows,
    );
    const col = (t: string, c: string) => cols.find((r) => r.table_name === t && r.column_name === c);
    expect(col('users', 'id')).toMatchObject({ data_type: 'integer', is_identity: 'YES' });
    expect(col('organisations', 'id')).toMatchObject({ data_type: 'integer', is_identity: 'YES' });
    expect(col('users', 'roles')).toMatchObject({ data_type: 'ARRAY', udt_name: '_text' });
    for (const c of ['created_at', 'updated_at', 'locked_until']) expect(col('users', c)?.data_type).toBe('timestamp with time zone');
  });
});

describe('seeds', () => {
  const counts = () =>
    withClient(url, async (c) => {
      const { rows } = await c.query(`
        SELECT (SELECT count(*)::int FROM counties) AS counties,
               (SELECT count(*)::int FROM industries) AS industries,
               (SELECT count(*)::int FROM organisations) AS organisations,
               (SELECT count(*)::int FROM users) AS users`);
      return rows[0] as { counties: number; industries: number; organisations: number; users: number };
    });

  it('load reference and demo data: 12 counties, 11 industries, the seed schools and bureaus, the demo accounts', async () => {
    await runSeeds(url, { demoPassword: demoPassword() });
    expect(await counts()).toEqual({
      counties: 12,
      industries: 11,
      organisations: SEED_SCHOOLS.length + seedAuthorities().length + 1, // + the demo enterprise
      users: DEMO_ACCOUNTS.length,
    });
  });

  it('the counties are Wenzhou’s, with their GB/T 2260 codes', async () => {
    const rows = await withClient(url, async (c) => (await c.query('SELECT code, name FROM counties ORDER BY code')).rows);
    expect(rows).toEqual([
      { code: '330302', name: '鹿城区' },
      { code: '330303', name: '龙湾区' },
      { code: '330304', name: '瓯海区' },
      { code: '330305', name: '洞头区' },
      { code: '330324', name: '永嘉县' },
      { code: '330326', name: '平阳县' },
      { code: '330327', name: '苍南县' },
      { code: '330328', name: '文成县' },
      { code: '330329', name: '泰顺县' },
      { code: '330381', name: '瑞安市' },
      { code: '330382', name: '乐清市' },
      { code: '330383', name: '龙港市' },
    ]);
    expect(rows).toEqual([...COUNTIES].map((c) => ({ ...c })));
    const industries = await withClient(url, async (c) => (await c.query('SELECT code, name, "group" FROM industries')).rows);
    expect(industries.sort((a, b) => a.code.localeCompare(b.code))).toEqual(
      [...INDUSTRIES].map((i) => ({ ...i })).sort((a, b) => a.code.localeCompare(b.code)),
    );
  });

  it('run twice (and concurrently): the same rows, demo passwords not reset', async () => {
    const first = await counts();
    const before = await withClient(
      url,
      async (c) => (await c.query('SELECT id, username, password_hash, organisation_id, roles, jurisdiction FROM users ORDER BY id')).rows,
    );
    const orgsBefore = await withClient(url, async (c) => (await c.query('SELECT id, kind, name, county_code FROM organisations ORDER BY id')).rows);
    await runSeeds(url, { demoPassword: demoPassword() });
    await Promise.all([runSeeds(url, { demoPassword: 'Other@2025x' }), runSeeds(url, { demoPassword: demoPassword() })]);
    expect(await counts()).toEqual(first);
    expect(
      await withClient(
        url,
        async (c) => (await c.query('SELECT id, username, password_hash, organisation_id, roles, jurisdiction FROM users ORDER BY id')).rows,
      ),
    ).toEqual(before);
    expect(await withClient(url, async (c) => (await c.query('SELECT id, kind, name, county_code FROM organisations ORDER BY id')).rows)).toEqual(orgsBefore);
  });

  it('reference data alone (no demo password) adds no accounts', async () => {
    const other = await freshDatabase();
    await runMigrations(other);
    await runSeeds(other, {});
    await runSeeds(other, {});
    const row = await withClient(
      other,
      async (c) => (await c.query('SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM counties) AS counties')).rows[0],
    );
    expect(row).toEqual({ users: 0, counties: 12 });
  });
});

describe('repositories through TypeORM', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions({ url, entities: [OrganisationEntity, UserEntity], poolSize: 2 }));
    await ds.initialize();
  });
  afterAll(() => ds.destroy());

  const org = (over: Partial<OrganisationEntity> & { kind: OrganisationEntity['kind'] }) =>
    ds.getRepository(OrganisationEntity).insert({ name: `测试单位${randomBytes(3).toString('hex')}`, ...over });

  it('loads a user with its organisation (snake_case columns ↔ camelCase properties)', async () => {
    const user = await ds.getRepository(UserEntity).findOneOrFail({ where: { username: 'county' }, relations: { organisation: true } });
    expect(user).toMatchObject({ username: 'county', roles: ['county_reviewer'], jurisdiction: '330302', active: true, tokenVersion: 0 });
    expect(user.organisation).toMatchObject({ kind: 'authority', name: '鹿城区教育局', countyCode: '330302', authorityType: 'education' });
    expect(user.organisationId).toBe(user.organisation!.id);
    expect(user.createdAt).toBeInstanceOf(Date);
    expect((user as { passwordHash?: string }).passwordHash).toBeUndefined(); // select: false
    const withHash = await ds
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :u', { u: 'county' })
      .getOneOrFail();
    expect(withHash.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('usernames are unique regardless of case (lower(username) index)', async () => {
    const orgId = (await ds.getRepository(OrganisationEntity).findOneByOrFail({ name: '温州市教育局' })).id;
    const users = ds.getRepository(UserEntity);
    const e = await refusal(() => users.insert({ username: 'ADMIN', displayName: 'x', passwordHash: 'x', organisationId: orgId, roles: ['admin'] }));
    expect(e).toEqual({ code: '23505', constraint: 'users_username_lower' });
    expect(await users.count({ where: { username: 'ADMIN' } })).toBe(0);
  });

  it('a user needs at least one role, an existing organisation and a real county as jurisdiction', async () => {
    const orgId = (await ds.getRepository(OrganisationEntity).findOneByOrFail({ name: '温州市教育局' })).id;
    const users = ds.getRepository(UserEntity);
    expect((await refusal(() => users.insert({ username: 'noroles', displayName: 'x', passwordHash: 'x', organisationId: orgId, roles: [] }))).code).toBe(
      '23514',
    );
    expect((await refusal(() => users.insert({ username: 'noorg', displayName: 'x', passwordHash: 'x', organisationId: 999999, roles: ['admin'] }))).code).toBe(
      '23503',
    );
    expect(
      (
        await refusal(() =>
          users.insert({
            username: 'badcounty',
            displayName: 'x',
            passwordHash: 'x',
            organisationId: orgId,
            roles: ['county_reviewer'],
            jurisdiction: '110101',
          }),
        )
      ).code,
    ).toBe('23503');
    expect(
      (await refusal(() => users.insert({ username: 'bad name!', displayName: 'x', passwordHash: 'x', organisationId: orgId, roles: ['admin'] }))).code,
    ).toBe('23514');
  });

  it('the credit code CHECK refuses malformed codes', async () => {
    for (const creditCode of ['91330302MA2C8X1Y0', '91330302MA2C8X1YO3', '91330302ma2c8x1y03', "91330302MA2C8X1Y0'"]) {
      const e = await refusal(() => org({ kind: 'enterprise', creditCode, countyCode: '330302', industry: 'electrical' }));
      expect(e).toEqual({ code: '23514', constraint: 'organisations_credit_code_check' });
    }
  });

  it('a credit code is unique', async () => {
    const e = await refusal(() => org({ kind: 'enterprise', creditCode: '91330302MA2C8X1Y03', countyCode: '330302', industry: 'electrical' }));
    expect(e).toEqual({ code: '23505', constraint: 'organisations_credit_code_key' });
  });

  it.each([
    ['an enterprise without a credit code', { kind: 'enterprise', countyCode: '330302', industry: 'electrical' }],
    ['an enterprise without a county', { kind: 'enterprise', creditCode: '91330302MA2C8X1Y11', industry: 'electrical' }],
    ['an enterprise with a school type', { kind: 'enterprise', creditCode: '91330302MA2C8X1Y11', countyCode: '330302', schoolType: 'higher' }],
    ['a school without a school type', { kind: 'school', countyCode: '330302' }],
    ['a school with an authority type', { kind: 'school', schoolType: 'higher', authorityType: 'education' }],
    ['an authority without an authority type', { kind: 'authority' }],
    ['an authority with a school type', { kind: 'authority', authorityType: 'finance', schoolType: 'secondary' }],
  ] as Array<[string, Partial<OrganisationEntity> & { kind: OrganisationEntity['kind'] }]>)('organisations_kind_fields refuses %s', async (_label, row) => {
    const before = await ds.getRepository(OrganisationEntity).count();
    expect(await refusal(() => org(row))).toEqual({ code: '23514', constraint: 'organisations_kind_fields' });
    expect(await ds.getRepository(OrganisationEntity).count()).toBe(before);
  });

  it('accepts a well-formed row of each kind, and refuses a duplicate name within a kind', async () => {
    const repo = ds.getRepository(OrganisationEntity);
    const school = await repo.save(repo.create({ kind: 'school', name: '温州测试职业学校', schoolType: 'secondary', countyCode: '330383' }));
    expect(school.id).toBeGreaterThan(0);
    expect(school.createdAt).toBeInstanceOf(Date);
    await repo.save(repo.create({ kind: 'authority', name: '温州测试职业学校', authorityType: 'education' })); // another kind: fine
    expect(await refusal(() => repo.insert({ kind: 'school', name: '温州测试职业学校', schoolType: 'higher' }))).toEqual({
      code: '23505',
      constraint: 'organisations_kind_name',
    });
  });

  it('an organisation with users cannot be deleted (foreign key)', async () => {
    const repo = ds.getRepository(OrganisationEntity);
    const bureau = await repo.findOneByOrFail({ name: '温州市教育局' });
    expect((await refusal(() => repo.delete(bureau.id))).code).toBe('23503');
    expect(await repo.existsBy({ id: bureau.id })).toBe(true);
  });
});

describe('the outbox clean-up', () => {
  it('deletes processed rows older than the retention, batch by batch, and keeps newer and unprocessed ones; the index serves it', async () => {
    const ds = new DataSource(dataSourceOptions({ url, poolSize: 2 }));
    await ds.initialize();
    try {
      await ds.query(`DELETE FROM outbox`);
      const ages = [OUTBOX_RETENTION_DAYS + 1, OUTBOX_RETENTION_DAYS + 40, OUTBOX_RETENTION_DAYS + 2, OUTBOX_RETENTION_DAYS - 1, 0];
      await ds.query(`INSERT INTO outbox (job_name, payload, processed_at) SELECT 'notify', '{}', now() - make_interval(days => d) FROM unnest($1::int[]) d`, [
        ages,
      ]);
      await ds.query(`INSERT INTO outbox (job_name, payload, available_at) VALUES ('notify', '{}', now() - interval '90 days')`);
      // batches of 2: three old rows take two rounds
      expect(await purgeProcessedOutbox(ds, 2)).toBe(3);
      const left = await ds.query<Array<{ days: number | null }>>(
        `SELECT extract(day FROM now() - processed_at)::int AS days FROM outbox ORDER BY processed_at NULLS LAST`,
      );
      expect(left.map((r) => r.days)).toEqual([OUTBOX_RETENTION_DAYS - 1, 0, null]);
      expect(await purgeProcessedOutbox(ds)).toBe(0);
      await ds.query(`SET enable_seqscan = off`);
      expect(
        (await ds.query<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN SELECT id FROM outbox WHERE processed_at < now() - interval '30 days'`))
          .map((r) => r['QUERY PLAN'])
          .join('\n'),
      ).toContain('outbox_processed');
    } finally {
      await ds.destroy();
    }
  });
});
