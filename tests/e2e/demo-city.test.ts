import { COUNTY_CODES, INDUSTRY_CODES, isValidCreditCode, type KpisDto } from '@portal/contracts';
import { createFieldCipher } from '@portal/core';
import { certificationWorkflow } from '@portal/certification';
import { orderClassWorkflow } from '@portal/order-classes';
import { practiceWorkflow } from '@portal/practice';
import { runSeeds } from '@portal/seeds';
import { demoPassword, startTestApp, type TestApp } from '@portal/testing';
import { verifyChain, type WorkflowDefinition } from '@portal/workflow';

/**
 * The demo city (issue 12, "a portal that is alive on first start"): the generator at the demo size on a test
 * database — every county and industry has enterprises, every state the workflows and ledgers name is present,
 * every case's hash chain and head verify with the engine's own verifier, sealed personal data opens with the
 * product's cipher, a second run adds nothing, and each demo persona's lists and the dashboard answer with data.
 */
let t: TestApp;
const none = () => undefined;
const definitions: WorkflowDefinition[] = [
  certificationWorkflow(none),
  orderClassWorkflow({ complete: none, hasStudents: none, outcomesReported: none }, async () => {}),
  practiceWorkflow,
];

const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await t.ds.query<Array<{ n: string }>>(sql, params))[0].n);
const tableCounts = async () =>
  t.ds.query<Array<{ t: string; n: string }>>(
    `SELECT 'organisations' t, count(*) n FROM organisations UNION ALL SELECT 'users', count(*) FROM users UNION ALL SELECT 'cases', count(*) FROM cases
     UNION ALL SELECT 'events', count(*) FROM case_events UNION ALL SELECT 'tasks', count(*) FROM tasks UNION ALL SELECT 'records', count(*) FROM practice_records
     UNION ALL SELECT 'students', count(*) FROM order_class_students UNION ALL SELECT 'outbox', count(*) FROM outbox`,
  );

beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  const result = await runSeeds(t.config.databaseUrl!, { demoPassword: demoPassword(), citySize: 120, config: t.config });
  expect(result?.created).toBe(true);
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe('the demo city', () => {
  it('has enterprises with valid credit codes in all 12 counties and every 5+5+N industry', async () => {
    const rows = await t.ds.query<Array<{ county_code: string; industry: string; credit_code: string }>>(
      `SELECT county_code, industry, credit_code FROM organisations WHERE kind = 'enterprise'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(120);
    expect(new Set(rows.map((r) => r.county_code))).toEqual(new Set(COUNTY_CODES));
    expect(new Set(rows.map((r) => r.industry))).toEqual(new Set(INDUSTRY_CODES));
    expect(rows.filter((r) => !isValidCreditCode(r.credit_code))).toEqual([]);
  });

  it('holds every state of each workflow, of the subsidy ledger, of posts, applications and order-class rosters', async () => {
    for (const def of definitions) {
      const states = (await t.ds.query<Array<{ state: string }>>(`SELECT DISTINCT state FROM cases WHERE workflow_key = $1`, [def.key])).map((r) => r.state);
      // a provincial record's 'revoked' is the only state a city application cannot reach by a certification of its own
      expect([def.key, new Set(states)]).toEqual([def.key, new Set(Object.keys(def.states))]);
    }
    const subsidy = (await t.ds.query<Array<{ status: string }>>(`SELECT DISTINCT status FROM subsidies`)).map((r) => r.status);
    expect(new Set(subsidy)).toEqual(new Set(['pending', 'paid', 'cancelled', 'to_recover', 'recovered']));
    expect(await count(`SELECT count(*) n FROM certifications WHERE revoked_at IS NOT NULL`)).toBeGreaterThan(0);
    const apps = (await t.ds.query<Array<{ status: string }>>(`SELECT DISTINCT status FROM practice_applications`)).map((r) => r.status);
    expect(new Set(apps)).toEqual(new Set(['applied', 'school_approved', 'accepted', 'school_declined', 'declined', 'withdrawn']));
    expect(await count(`SELECT count(DISTINCT employment || dual_qualified::text) n FROM teacher_profiles`)).toBe(4);
    // months of the last three years with a counted practice record: a trend, not a flat line
    expect(await count(`SELECT count(DISTINCT date_trunc('month', counted_on)) n FROM practice_records WHERE counted`)).toBeGreaterThan(24);
    // practice records never overlap for a teacher (the table's exclusion constraint let them all in) and counted ones carry their day
    expect(await count(`SELECT count(*) n FROM practice_records WHERE counted AND counted_on IS NULL`)).toBe(0);
  });

  it('keeps the engine consistent: every chain verifies, open tasks only at the stage a case is in', async () => {
    const cases = await t.ds.query<Array<{ id: string; workflow_key: string; state: string; version: number; event_count: number }>>(
      `SELECT id, workflow_key, state, version, event_count FROM cases`,
    );
    const broken: unknown[] = [];
    for (const c of cases) {
      const def = definitions.find((d) => d.key === c.workflow_key)!;
      const verdict = await verifyChain(t.ds.manager, Number(c.id), {
        state: c.state,
        version: c.version,
        eventCount: c.event_count,
        transitionActions: new Set(def.transitions.map((x) => x.action)),
      });
      if (!verdict.valid) broken.push({ case: c, verdict });
    }
    expect(broken).toEqual([]);
    expect(await count(`SELECT count(*) n FROM tasks k JOIN cases c ON c.id = k.case_id WHERE k.status = 'open' AND k.state <> c.state`)).toBe(0);
    // the demo reviewers have pending work, with deadlines
    for (const [role, county] of [
      ['county_reviewer', '330302'],
      ['city_reviewer', null],
    ] as const) {
      expect(
        await count(`SELECT count(*) n FROM tasks WHERE status = 'open' AND role = $1 AND county_code IS NOT DISTINCT FROM $2 AND due_at IS NOT NULL`, [
          role,
          county,
        ]),
      ).toBeGreaterThan(0);
    }
    // the outbox is not flooded on first start: one timer job per case on 公示, no more
    expect(await count(`SELECT count(*) n FROM outbox WHERE processed_at IS NULL`)).toBe(await count(`SELECT count(*) n FROM cases WHERE state = 'publicity'`));
    expect(
      await count(
        `SELECT count(*) n FROM timers t JOIN cases c ON c.id = t.case_id WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL AND c.state <> t.state`,
      ),
    ).toBe(0);
  });

  it('seals rosters with the product cipher', async () => {
    const cipher = await createFieldCipher(t.config, t.ds);
    const [s] = await t.ds.query<Array<{ id_sealed: Buffer; id_lookup: Buffer; id_masked: string }>>(
      `SELECT id_sealed, id_lookup, id_masked FROM order_class_students LIMIT 1`,
    );
    const id = cipher.open(s.id_sealed);
    expect(id).toMatch(/^\d{17}[\dX]$/);
    expect(cipher.lookupHash(id).equals(s.id_lookup)).toBe(true);
    expect(s.id_masked).toBe(`${id.slice(0, 6)}********${id.slice(-4)}`);
  });

  it('adds nothing on a second run', async () => {
    const before = await tableCounts();
    const again = await runSeeds(t.config.databaseUrl!, { demoPassword: demoPassword(), citySize: 120, config: t.config });
    expect(again?.created).toBe(false);
    expect(await tableCounts()).toEqual(before);
  });

  it("answers each persona's main lists and the dashboard with data", async () => {
    const lists: Record<string, string[]> = {
      admin: ['/api/kpis', '/api/certification-applications', '/api/order-classes', '/api/subsidies', '/api/certifications'],
      city: ['/api/kpis', '/api/tasks', '/api/certification-applications', '/api/order-classes'],
      city2: ['/api/tasks'],
      county: ['/api/kpis', '/api/tasks', '/api/certification-applications', '/api/order-classes'],
      expert1: ['/api/tasks'],
      finance: ['/api/subsidies'],
      enterprise: ['/api/certification-applications', '/api/order-classes', '/api/practice-posts', '/api/tasks'],
      school: ['/api/order-classes', '/api/practice-records', '/api/teachers', '/api/tasks'],
      teacher: ['/api/practice-records', '/api/practice-applications'],
    };
    for (const [user, paths] of Object.entries(lists)) {
      const token = `Bearer ${await t.token(user)}`;
      for (const path of paths) {
        const res = await t.http().get(path).set('Authorization', token);
        expect([user, path, res.status, res.status === 200 ? '' : JSON.stringify(res.body)]).toEqual([user, path, 200, '']);
        const empty = Array.isArray(res.body) ? res.body.length === 0 : Object.keys(res.body ?? {}).length === 0;
        expect([user, path, empty]).toEqual([user, path, false]);
      }
    }
    const kpis = await t
      .http()
      .get('/api/kpis')
      .set('Authorization', `Bearer ${await t.token('city')}`);
    // every target of the plan shows a figure: certified enterprises, order classes, person-times, the two shares
    const figures = Object.fromEntries((kpis.body as KpisDto).indicators.map((k) => [k.key, k.value]));
    for (const key of ['certified_enterprises', 'order_classes', 'practice_person_times', 'part_time_teacher_share', 'double_qualified_share'])
      expect([key, (figures[key] ?? 0) > 0]).toEqual([key, true]);
    // the order-class trend reads the filing instant kept on the class, as the feature writes it
    const [{ missing }] = await t.ds.query<Array<{ missing: number }>>(
      `SELECT count(*)::int AS missing FROM order_classes oc JOIN cases c ON c.id = oc.case_id
        WHERE c.state IN ('active', 'reporting', 'closed') AND oc.filed_at IS NULL`,
    );
    expect(missing).toBe(0);
  });
});
