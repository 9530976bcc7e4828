import fc from 'fast-check';
import { act, openTestPractice, registrationBody, startTestApp, type TestApp } from '@portal/testing';
import { actAs, count, createUser, getAs, organisationOf } from '../support/people.js';

/**
 * The model-based test of the engine on its second shape (test-practice: a person owns the case, the host
 * enterprise co-signs with action data, the owner organisation approves, an active stage runs): random
 * actors send random commands, with good and bad data, to a fresh record, and a small pure model of the
 * definition predicts each answer (status and state). After every step the case's state, version and
 * event count, and every reader's allowed actions, agree with the model; nobody outside the read rule
 * ever learns the case exists.
 */

let t: TestApp;
interface ModelActor {
  name: string;
  login: string;
  password?: string;
  /** reads the record: the owner person, the school's admin, the host's users */
  reads: boolean;
  /** as whom they may act: the owner person, the host party, the school admin */
  as: Array<'owner_person' | 'host' | 'school_admin'>;
}
const ACTORS: ModelActor[] = [
  { name: 'teacher', login: 'teacher', reads: true, as: ['owner_person'] },
  { name: 'colleague', login: 'mp_teacher2', reads: false, as: [] },
  { name: 'school', login: 'school', reads: true, as: ['school_admin'] },
  { name: 'host', login: 'enterprise', reads: true, as: ['host'] },
  { name: 'host2', login: 'mp_host2', reads: true, as: ['host'] },
  { name: 'other', login: '(registered)', reads: false, as: [] },
  { name: 'city', login: 'city', reads: false, as: [] },
  { name: 'admin', login: 'admin', reads: false, as: [] },
];

beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
  await createUser(t, { username: 'mp_teacher2', roles: ['teacher'], organisationId: await organisationOf(t, 'teacher') });
  await createUser(t, { username: 'mp_host2', roles: ['enterprise_applicant'], organisationId: await organisationOf(t, 'enterprise') });
  const body = registrationBody();
  expect((await t.http().post('/api/auth/register-enterprise').send(body)).status).toBe(201);
  Object.assign(
    ACTORS.find((a) => a.name === 'other')!,
    { login: body.user.username, password: body.user.password },
  );
  for (const a of ACTORS) await t.token(a.login, a.password);
}, 60_000);
afterAll(() => t.close());

interface Rule {
  from: string[];
  action: string;
  to: string;
  by: Array<'owner_person' | 'host' | 'school_admin'>;
  /** at a stage worked by a party or role, only that one may act there */
  data?: 'hours' | 'change';
  comment?: 'required';
  returnItems?: boolean;
}
const STAGE_WORKER: Record<string, 'host' | 'school_admin' | undefined> = { host_confirm: 'host', school_approval: 'school_admin' };
const RULES: Rule[] = [
  { from: ['draft'], action: 'submit', to: 'host_confirm', by: ['owner_person'] },
  { from: ['returned'], action: 'resubmit', to: '@returnedFrom', by: ['owner_person'] },
  { from: ['draft', 'returned', 'host_confirm'], action: 'withdraw', to: 'withdrawn', by: ['owner_person'] },
  { from: ['host_confirm'], action: 'confirm', to: 'school_approval', by: ['host'], data: 'hours' },
  { from: ['host_confirm', 'school_approval'], action: 'return', to: 'returned', by: ['host', 'school_admin'], returnItems: true },
  { from: ['school_approval'], action: 'approve', to: 'in_practice', by: ['school_admin'] },
  { from: ['school_approval'], action: 'reject', to: 'rejected', by: ['school_admin'], comment: 'required' },
  { from: ['in_practice'], action: 'record_change', to: 'in_practice', by: ['owner_person'], data: 'change' },
  { from: ['in_practice'], action: 'close', to: 'practised', by: ['school_admin'] },
];

interface Model {
  state: string;
  version: number;
  events: number;
  returnedFrom: string | null;
}

/** A command: an action with a payload that is good or bad in one way. */
interface Command {
  action: string;
  body: Record<string, unknown>;
}
const COMMANDS: Command[] = [
  ...RULES.map((r) => ({
    action: r.action,
    body: {
      action: r.action,
      ...(r.data === 'hours' ? { data: { hours: 24 } } : r.data === 'change' ? { data: { change: '调整时间' } } : {}),
      ...(r.comment ? { comment: '理由' } : {}),
      ...(r.returnItems ? { items: ['请补充计划'] } : {}),
    },
  })),
  { action: 'confirm', body: { action: 'confirm' } },
  { action: 'confirm', body: { action: 'confirm', data: { hours: -1 } } },
  { action: 'record_change', body: { action: 'record_change', data: { change: 7 } } },
  { action: 'approve', body: { action: 'approve', data: { hours: 1 } } },
  { action: 'reject', body: { action: 'reject' } },
  { action: 'return', body: { action: 'return' } },
  { action: 'bogus', body: { action: 'bogus' } },
];

/** What the engine must answer, and the model after it. */
function predict(m: Model, a: ModelActor, c: Command): { status: number; next: Model } {
  const refuse = (status: number) => ({ status, next: m });
  if (!a.reads) return refuse(404);
  const known = RULES.find((r) => r.action === c.action);
  if (!known) return refuse(400);
  const r = RULES.find((x) => x.action === c.action && x.from.includes(m.state));
  if (!r) return refuse(409);
  if (!actsAs(m, a, r)) return refuse(403);
  const b = c.body;
  if (r.comment && !b.comment) return refuse(400);
  if (r.returnItems && !b.items) return refuse(400);
  if (!r.data && b.data !== undefined) return refuse(400);
  if (r.data === 'hours' && !(typeof (b.data as { hours?: unknown } | undefined)?.hours === 'number' && (b.data as { hours: number }).hours >= 1))
    return refuse(400);
  if (r.data === 'change' && typeof (b.data as { change?: unknown } | undefined)?.change !== 'string') return refuse(400);
  const to = r.to === '@returnedFrom' ? (m.returnedFrom ?? 'draft') : r.to;
  return {
    status: 200,
    next: { state: to, version: m.version + 1, events: m.events + 1, returnedFrom: r.action === 'return' ? m.state : m.returnedFrom },
  };
}

function actsAs(m: Model, a: ModelActor, r: Rule): boolean {
  const worker = STAGE_WORKER[m.state];
  return r.by.some((p) => a.as.includes(p) && (worker === undefined || p === 'owner_person' || p === worker));
}

/** The actions the model lets this reader take now (the buttons). */
const allowed = (m: Model, a: ModelActor) =>
  RULES.filter((r) => r.from.includes(m.state) && actsAs(m, a, r))
    .map((r) => r.action)
    .sort();

async function run(steps: Array<[number, number]>) {
  const { id, ref } = await openTestPractice(t, 'teacher', { organisationId: await organisationOf(t, 'enterprise') });
  let m: Model = { state: 'draft', version: 1, events: 1, returnedFrom: null };
  for (const [ai, ci] of steps) {
    const a = ACTORS[ai % ACTORS.length];
    const c = COMMANDS[ci % COMMANDS.length];
    const expected = predict(m, a, c);
    const res = await actAs(t, { username: a.login, password: a.password }, ref, c.body);
    expect({ state: m.state, actor: a.name, body: c.body, status: res.status }).toEqual({
      state: m.state,
      actor: a.name,
      body: c.body,
      status: expected.status,
    });
    m = expected.next;
    const [row] = await t.ds.query<Array<{ state: string; version: number }>>(`SELECT state, version FROM cases WHERE id = $1`, [id]);
    expect(row).toEqual({ state: m.state, version: m.version });
    expect(await count(t, `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1`, [id])).toBe(m.events);
  }
  for (const a of ACTORS) {
    const shown = await getAs(t, a.login, `/api/cases/${ref}`, a.password);
    if (!a.reads) {
      expect({ actor: a.name, status: shown.status }).toEqual({ actor: a.name, status: 404 });
      continue;
    }
    expect({ actor: a.name, state: shown.body.state, actions: (shown.body.allowedActions as Array<{ action: string }>).map((x) => x.action).sort() }).toEqual({
      actor: a.name,
      state: m.state,
      actions: allowed(m, a),
    });
  }
}

describe('test-practice against its model', () => {
  it('agrees with the model on random actors and commands (15 runs of up to 25 steps)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 25 }), async (steps) => run(steps)),
      { numRuns: 15, endOnFailure: true },
    );
  }, 120_000);

  it('a scripted walk through every stage agrees with the model (returns from both stages, active stage, close)', async () => {
    const ix = (name: string) => ACTORS.findIndex((a) => a.name === name);
    const cx = (action: string) => COMMANDS.findIndex((c) => c.action === action);
    await run([
      [ix('teacher'), cx('submit')],
      [ix('host'), cx('return')],
      [ix('teacher'), cx('resubmit')],
      [ix('host2'), cx('confirm')],
      [ix('school'), cx('return')],
      [ix('teacher'), cx('resubmit')],
      [ix('host'), cx('approve')],
      [ix('school'), cx('approve')],
      [ix('teacher'), cx('record_change')],
      [ix('school'), cx('record_change')],
      [ix('teacher'), cx('close')],
      [ix('school'), cx('close')],
    ]);
    expect((await act(t, 'teacher', 'test-practice:0', { action: 'submit' })).status).toBe(404);
  });
});
