import { randomBytes } from 'node:crypto';
import { dataSourceOptions, ensureDatabaseExists, withDatabase } from '@portal/core';
import { allMigrations, runMigrations } from '@portal/migrations';
import { practiceApplicationWorkflow } from '@portal/practice';
import { testConfig } from '@portal/testing';
import { verifyChain } from '@portal/workflow';
import pg from 'pg';
import { DataSource } from 'typeorm';

/**
 * Migration PracticeApplicationCases1795943000001 on real PostgreSQL: a database migrated up to the migration before it
 * holds 千企万岗 applications of the old shape (own status, own events table), one per status; the migration makes each
 * a case of `practice-application` in that state, with its host party, the open stage's task and its history as a
 * hash-chained event chain the engine's verifyChain accepts — then the old status, version and events table are gone.
 */
const cluster = () => testConfig.pgClusterUrl();
const name = `portal_pamig_${process.pid}_${randomBytes(4).toString('hex')}`;
let url: string;
let ds: DataSource;

afterAll(async () => {
  await ds?.destroy();
  const c = new pg.Client({ connectionString: cluster() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
});

it('turns every old application into a case in its state, with its tasks and a chain verifyChain accepts', async () => {
  await ensureDatabaseExists(cluster(), name);
  url = withDatabase(cluster(), name);
  // every migration before PracticeApplicationCases (later ones run after it, with the rest)
  const at = allMigrations.findIndex((m) => new m().name === 'PracticeApplicationCases1795943000001');
  expect(at).toBeGreaterThan(0);
  const before = new DataSource(dataSourceOptions({ url, migrations: allMigrations.slice(0, at), poolSize: 1 }));
  await before.initialize();
  await before.runMigrations({ transaction: 'each' });
  const [[school], [enterprise]] = await Promise.all([
    before.query(`INSERT INTO organisations (kind, name, school_type) VALUES ('school', '迁移测试学校', 'secondary') RETURNING id`),
    (async () => {
      await before.query(`INSERT INTO counties (code, name) VALUES ('330302', '鹿城区') ON CONFLICT DO NOTHING`);
      return before.query(
        `INSERT INTO organisations (kind, name, credit_code, county_code) VALUES ('enterprise', '迁移测试企业', '91330302MA2AB3CD4E', '330302') RETURNING id`,
      );
    })(),
  ]);
  const user = async (username: string, org: number, role: string): Promise<number> =>
    (
      await before.query(`INSERT INTO users (username, display_name, password_hash, organisation_id, roles) VALUES ($1, $1, 'x', $2, $3) RETURNING id`, [
        username,
        org,
        [role],
      ])
    )[0].id;
  const admin = await user('mig_school', school.id, 'school_admin');
  const host = await user('mig_enterprise', enterprise.id, 'enterprise_applicant');
  const [post] = await before.query(
    `INSERT INTO practice_posts (enterprise_id, title, major, openings, start_date, end_date, content, mentor_name, created_by)
     VALUES ($1, '迁移岗位', '数控技术', 5, '2026-01-01', '2026-02-01', '内容', '周师傅', $2) RETURNING id`,
    [enterprise.id, host],
  );
  const history: Record<string, Array<[string, number, string | null, string]>> = {
    applied: [['apply', 0, null, 'applied']],
    school_approved: [
      ['apply', 0, null, 'applied'],
      ['school_approve', admin, 'applied', 'school_approved'],
    ],
    accepted: [
      ['apply', 0, null, 'applied'],
      ['school_approve', admin, 'applied', 'school_approved'],
      ['accept', host, 'school_approved', 'accepted'],
    ],
    school_declined: [
      ['apply', 0, null, 'applied'],
      ['school_decline', admin, 'applied', 'school_declined'],
    ],
    declined: [
      ['apply', 0, null, 'applied'],
      ['decline', host, 'applied', 'declined'],
    ],
    withdrawn: [
      ['apply', 0, null, 'applied'],
      ['school_approve', admin, 'applied', 'school_approved'],
      ['withdraw', 0, 'school_approved', 'withdrawn'],
    ],
  };
  const apps = new Map<string, number>();
  for (const [status, events] of Object.entries(history)) {
    const teacher = await user(`mig_teacher_${status}`, school.id, 'teacher');
    const [a] = await before.query(
      `INSERT INTO practice_applications (post_id, teacher_id, school_id, status, note, version, created_at) VALUES ($1, $2, $3, $4, '说明', $5, now() - interval '10 days')
       RETURNING id`,
      [post.id, teacher, school.id, status, events.length],
    );
    apps.set(status, Number(a.id));
    for (const [i, [action, actor, from, to]] of events.entries()) {
      await before.query(
        `INSERT INTO practice_application_events (application_id, actor_id, action, from_status, to_status, comment, at)
         VALUES ($1, $2, $3, $4, $5, $6, now() - interval '10 days' + $7 * interval '1 day' + interval '123 microseconds')`,
        [a.id, actor || teacher, action, from, to, i === events.length - 1 ? `意见 ${status}` : null, i],
      );
    }
  }
  await before.destroy();

  expect(await runMigrations(url)).toEqual(allMigrations.slice(at).map((m) => new m().name));
  ds = new DataSource(dataSourceOptions({ url, poolSize: 1 }));
  await ds.initialize();
  const transitionActions = new Set(practiceApplicationWorkflow.transitions.map((t) => t.action));
  for (const [status, id] of apps) {
    const [c] = await ds.query(`SELECT c.*, a.live FROM practice_applications a JOIN cases c ON c.id = a.case_id WHERE a.id = $1`, [id]);
    expect([status, c.workflow_key, c.state, c.version, c.event_count]).toEqual([
      status,
      'practice-application',
      status,
      1 + history[status].length,
      1 + history[status].length,
    ]);
    expect([status, c.live]).toEqual([status, ['applied', 'school_approved', 'accepted'].includes(status)]);
    expect([status, c.decided_at !== null]).toEqual([status, !['applied', 'school_approved'].includes(status)]);
    const [party] = await ds.query(`SELECT party, organisation_id FROM case_parties WHERE case_id = $1`, [c.id]);
    expect(party).toEqual({ party: 'host', organisation_id: enterprise.id });
    const tasks = await ds.query(`SELECT state, role, organisation_id, status FROM tasks WHERE case_id = $1`, [c.id]);
    expect([status, tasks]).toEqual([
      status,
      status === 'applied'
        ? [{ state: 'applied', role: 'school_admin', organisation_id: school.id, status: 'open' }]
        : status === 'school_approved'
          ? [{ state: 'school_approved', role: 'party:host', organisation_id: enterprise.id, status: 'open' }]
          : [],
    ]);
    const events = await ds.query(`SELECT action, from_state, to_state, comment FROM case_events WHERE case_id = $1 ORDER BY seq`, [c.id]);
    expect(events.map((e: { action: string }) => e.action)).toEqual(['create', ...history[status].map(([a]) => a)]);
    expect(events[1]).toMatchObject({ from_state: 'draft', to_state: 'applied' });
    expect(events.at(-1).comment).toBe(`意见 ${status}`);
    const verdict = await verifyChain(ds.manager, Number(c.id), { state: c.state, version: c.version, eventCount: c.event_count, transitionActions });
    expect([status, verdict]).toEqual([status, { valid: true, events: 1 + history[status].length }]);
  }
  const columns = (await ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'practice_applications'`)).map(
    (r: { column_name: string }) => r.column_name,
  );
  expect(columns).toEqual(expect.arrayContaining(['case_id', 'live']));
  expect(columns).not.toEqual(expect.arrayContaining(['status']));
  expect(columns).not.toContain('version');
  expect(await ds.query(`SELECT to_regclass('practice_application_events') AS t`)).toEqual([{ t: null }]);
});
