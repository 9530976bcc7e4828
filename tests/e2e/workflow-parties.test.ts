import { act, makeCreditCode, openTestCase, openTestPractice, registrationBody, startTestApp, userId, type TestApp } from '@portal/testing';
import { caseReadScope } from '@portal/workflow';
import { AuthService } from '@portal/identity';
import { actAs, count, createUser, getAs, organisationOf, registerEnterprise } from '../support/people.js';

/**
 * The engine's second shape, on the test workflow test-practice (a teacher's 入企实践 record): a person
 * owns the case, the host enterprise is a party that co-signs with action data, the teacher's own school
 * approves at an owner-organisation stage, an active stage runs until the school closes it. And the
 * authorization of issue 8: a teacher never reads a colleague's record (single reads, lists, events,
 * attachments), a school admin approves its own teacher, a co-signing party acts at its stage only.
 */

let t: TestApp;
const ids: Record<string, number> = {};
let school: number;
let host: number;

beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
  school = await organisationOf(t, 'teacher');
  host = await organisationOf(t, 'enterprise');
  ids.teacher2 = await createUser(t, { username: 'teacher2', roles: ['teacher'], organisationId: school });
  // a teacher who is also the school's admin: owner of their own record, never its judge
  ids.teacheradmin = await createUser(t, { username: 'teacheradmin', roles: ['teacher', 'school_admin'], organisationId: school });
  ids.hostcolleague = await createUser(t, { username: 'hostcolleague', roles: ['enterprise_applicant'], organisationId: host });
  for (const u of ['teacher', 'school', 'enterprise', 'admin', 'city', 'county']) ids[u] = await userId(t, u);
});
afterAll(() => t.close());

const state = async (id: number) =>
  (
    await t.ds.query<Array<{ state: string; version: number; stage_due_at: Date | null }>>(`SELECT state, version, stage_due_at FROM cases WHERE id = $1`, [id])
  )[0];
const events = (id: number) => count(t, `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1`, [id]);
const logRows = (id: number) => count(t, `SELECT count(*)::int AS n FROM test_practice_log WHERE case_id = $1`, [id]);

/** A practice record of `teacher` hosted by the demo enterprise, submitted to the host's confirmation. */
async function submitted(teacher = 'teacher', hostParty: Parameters<typeof openTestPractice>[2] = { organisationId: host }) {
  const c = await openTestPractice(t, teacher, hostParty);
  expect((await act(t, teacher, c.ref, { action: 'submit' })).status).toBe(200);
  return c;
}

async function confirmed(teacher = 'teacher') {
  const c = await submitted(teacher);
  expect((await act(t, 'enterprise', c.ref, { action: 'confirm', data: { hours: 40 } })).status).toBe(200);
  return c;
}

/** The ids of the test-practice cases a user's list shows (the one list rule: caseReadScope). */
async function listed(username: string): Promise<number[]> {
  const actor = (await t.app.get(AuthService).actorById(await userId(t, username)))!;
  const scope = caseReadScope(actor, 2, 'test-practice');
  const rows = await t.ds.query<Array<{ id: string }>>(`SELECT c.id FROM cases c WHERE c.workflow_key = $1 AND ${scope.sql} ORDER BY c.id`, [
    'test-practice',
    ...scope.params,
  ]);
  return rows.map((r) => Number(r.id));
}

describe('a practice record from start to finish', () => {
  it('the teacher submits, the host confirms hours (data validated, handed to the hook, recorded), the school approves its own teacher, the active stage runs and closes', async () => {
    const c = await openTestPractice(t, 'teacher', { organisationId: host, userId: ids.enterprise });
    const shown = await getAs(t, 'teacher', `/api/cases/${c.ref}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      ownerUserId: ids.teacher,
      parties: [{ party: 'host', label: '接收企业', organisationId: host, userId: ids.enterprise, invited: false }],
    });
    expect(shown.body.allowedActions.map((a: { action: string }) => a.action).sort()).toEqual(['submit', 'withdraw']);

    expect((await act(t, 'teacher', c.ref, { action: 'submit' })).body.state).toBe('host_confirm');
    // the host's task belongs to its named person
    expect(await t.ds.query(`SELECT role, organisation_id, assignee_id FROM tasks WHERE case_id = $1 AND status = 'open'`, [c.id])).toEqual([
      { role: 'party:host', organisation_id: host, assignee_id: ids.enterprise },
    ]);

    const confirm = await act(t, 'enterprise', c.ref, { action: 'confirm', data: { hours: 40, note: '按计划完成' } });
    expect(confirm.status).toBe(200);
    expect(confirm.body.state).toBe('school_approval');
    const [ev] = await t.ds.query<Array<{ actor_role: string; payload: unknown }>>(
      `SELECT actor_role, payload FROM case_events WHERE case_id = $1 AND action = 'confirm'`,
      [c.id],
    );
    expect(ev).toEqual({ actor_role: 'party:host', payload: { data: { hours: 40, note: '按计划完成' } } });
    expect(await t.ds.query(`SELECT action, data, actor_id FROM test_practice_log WHERE case_id = $1`, [c.id])).toEqual([
      { action: 'confirm', data: { hours: 40, note: '按计划完成' }, actor_id: ids.enterprise },
    ]);

    // the school's own admin approves its own teacher: the stage's scope is the owner organisation
    const approve = await act(t, 'school', c.ref, { action: 'approve' });
    expect(approve.status).toBe(200);
    expect(approve.body.state).toBe('in_practice');
    expect((await state(c.id)).stage_due_at).toBeNull();

    // the active stage: recording a change keeps it active (with its data), closing it ends the case
    for (const change of ['更换指导师傅', '延长两周']) {
      const r = await act(t, 'teacher', c.ref, { action: 'record_change', data: { change } });
      expect(r.status).toBe(200);
      expect(r.body.state).toBe('in_practice');
    }
    expect(await logRows(c.id)).toBe(3);
    expect((await act(t, 'school', c.ref, { action: 'close' })).body.state).toBe('practised');

    const def = await getAs(t, 'teacher', '/api/workflows/test-practice');
    expect(def.status).toBe(200);
    expect(def.body.parties).toEqual([{ key: 'host', label: '接收企业' }]);
    expect(def.body.states.filter((s: { kind: string }) => s.kind === 'final').map((s: { key: string; outcome: string }) => [s.key, s.outcome])).toEqual([
      ['practised', 'positive'],
      ['rejected', 'negative'],
      ['withdrawn', 'neutral'],
    ]);
    expect(def.body.states.find((s: { key: string }) => s.key === 'in_practice')).toMatchObject({ kind: 'active' });
  });

  it('the certification-shaped workflow states its outcomes too', async () => {
    const def = await getAs(t, 'enterprise', '/api/workflows/test-review');
    expect(def.body.states.filter((s: { kind: string }) => s.kind === 'final').map((s: { key: string; outcome: string }) => [s.key, s.outcome])).toEqual([
      ['approved', 'positive'],
      ['rejected', 'negative'],
      ['withdrawn', 'neutral'],
    ]);
  });
});

describe('notices reach the people of the case, not everyone of a role', () => {
  const notices = (id: number, kind: string) =>
    t.ds.query<Array<{ payload: Record<string, unknown> }>>(
      `SELECT payload FROM outbox WHERE job_name = 'notify' AND payload->>'caseId' = $1 AND payload->>'kind' = $2 ORDER BY id`,
      [String(id), kind],
    );

  it('a return and a decision go to the owner person only (not to every teacher of the school)', async () => {
    const c = await submitted();
    expect((await act(t, 'enterprise', c.ref, { action: 'return', items: ['请补充实践计划'], deadline: '2099-01-01' })).status).toBe(200);
    const [returned] = await notices(c.id, 'returned');
    expect(returned.payload).toMatchObject({ userIds: [ids.teacher] });
    expect(returned.payload.roles).toBeUndefined();
    // the 补正 task is the owner person's own
    expect(await t.ds.query(`SELECT kind, assignee_id FROM tasks WHERE case_id = $1 AND status = 'open'`, [c.id])).toEqual([
      { kind: 'applicant', assignee_id: ids.teacher },
    ]);
    expect((await act(t, 'teacher', c.ref, { action: 'withdraw' })).status).toBe(200);
    const [decided] = await notices(c.id, 'decided');
    expect(decided.payload).toMatchObject({ userIds: [ids.teacher] });
    expect(decided.payload.roles).toBeUndefined();
  });

  it('the stage tasks are announced to the host organisation and to the owner school’s admins only', async () => {
    const c = await submitted();
    const [toHost] = await notices(c.id, 'task_assigned');
    expect(toHost.payload).toMatchObject({ roles: ['enterprise_applicant'], organisationId: host });
    expect((await act(t, 'enterprise', c.ref, { action: 'confirm', data: { hours: 8 } })).status).toBe(200);
    const [, toSchool] = await notices(c.id, 'task_assigned');
    expect(toSchool.payload).toMatchObject({ role: 'school_admin', organisationId: school });
  });
});

describe('the SLA sweep reminds the people of a party’s or the owner organisation’s stage', () => {
  const sweep = async () => {
    await t.ds.query(`INSERT INTO outbox (job_name, payload) VALUES ('workflow.sla-sweep', '{}')`);
    await t.drain();
  };
  const reminded = async (id: number) =>
    (await t.ds.query<Array<{ user_id: number }>>(`SELECT user_id FROM notifications WHERE case_id = $1 AND kind = 'reminder' ORDER BY user_id`, [id])).map(
      (r) => r.user_id,
    );
  const dueSoon = (id: number) => t.ds.query(`UPDATE tasks SET due_at = now() + interval '1 hour' WHERE case_id = $1 AND status = 'open'`, [id]);

  it('the host’s users at its stage, then the owner school’s admins only at the school’s stage', async () => {
    await createUser(t, {
      username: 'otherschooladmin',
      roles: ['school_admin'],
      organisationId: (
        await t.ds.query<Array<{ id: number }>>(`SELECT id FROM organisations WHERE kind = 'school' AND id <> $1 ORDER BY id LIMIT 1`, [school])
      )[0].id,
    });
    const c = await submitted();
    await t.drain();
    await dueSoon(c.id);
    await sweep();
    expect(await reminded(c.id)).toEqual([ids.enterprise, ids.hostcolleague].sort((a, b) => a - b));
    expect((await act(t, 'enterprise', c.ref, { action: 'confirm', data: { hours: 8 } })).status).toBe(200);
    await t.drain();
    await dueSoon(c.id);
    await sweep();
    const admins = await t.ds.query<Array<{ id: number }>>(`SELECT id FROM users WHERE 'school_admin' = ANY(roles) AND organisation_id = $1 ORDER BY id`, [
      school,
    ]);
    expect(await reminded(c.id)).toEqual([ids.enterprise, ids.hostcolleague, ...admins.map((a) => a.id)].sort((a, b) => a - b));
  });
});

describe('action data', () => {
  it('bad data is a 400 naming each field in Chinese, and nothing is written', async () => {
    const c = await submitted();
    const before = { ...(await state(c.id)), events: await events(c.id), log: await logRows(c.id) };
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ action: 'confirm' }, ['data']],
      [{ action: 'confirm', data: {} }, ['data.hours']],
      [{ action: 'confirm', data: { hours: 'forty' } }, ['data.hours']],
      [{ action: 'confirm', data: { hours: 0, note: 'x'.repeat(201) } }, ['data.hours', 'data.note']],
      [{ action: 'confirm', data: { hours: 8, paid: true } }, ['data.paid']],
      [{ action: 'confirm', data: [8] }, ['data']],
      [{ action: 'withdraw', data: { hours: 8 } }, ['data']],
    ];
    for (const [body, fields] of cases) {
      const who = body.action === 'withdraw' ? 'teacher' : 'enterprise';
      const r = await act(t, who, c.ref, body);
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
      expect(r.body.message).toMatch(/[\u4e00-\u9fa5]/);
      expect((r.body.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual(fields);
    }
    expect({ ...(await state(c.id)), events: await events(c.id), log: await logRows(c.id) }).toEqual(before);
  });

  it('the hook runs inside the transaction: when it refuses, the state change and the event roll back with it', async () => {
    const c = await confirmed();
    expect((await act(t, 'school', c.ref, { action: 'approve' })).status).toBe(200);
    const before = { ...(await state(c.id)), events: await events(c.id), log: await logRows(c.id) };
    const r = await act(t, 'teacher', c.ref, { action: 'record_change', data: { change: 'fail-in-hook' } });
    expect(r.status).toBe(409);
    expect({ ...(await state(c.id)), events: await events(c.id), log: await logRows(c.id) }).toEqual(before);
  });
});

describe('authorization (issue 8: done when)', () => {
  it('a teacher does not read a colleague’s record: 404 on the case, its events and attachments; absent from lists', async () => {
    const mine = await submitted('teacher');
    const theirs = await submitted('teacher2');
    for (const path of ['', '/events', '/attachments', '/snapshots']) {
      expect((await getAs(t, 'teacher', `/api/cases/${theirs.ref}${path}`)).status).toBe(404);
      expect((await getAs(t, 'teacher2', `/api/cases/${theirs.ref}${path}`)).status).toBe(200);
    }
    expect((await act(t, 'teacher', theirs.ref, { action: 'withdraw' })).status).toBe(404);
    const teacherList = await listed('teacher');
    expect(teacherList).toContain(mine.id);
    expect(teacherList).not.toContain(theirs.id);
    expect(await listed('teacher2')).toEqual([theirs.id]);
    // the school's admin reads all of the school's records, the host reads those it hosts
    const schoolList = await listed('school');
    expect(schoolList).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect((await getAs(t, 'school', `/api/cases/${theirs.ref}`)).status).toBe(200);
    expect((await getAs(t, 'enterprise', `/api/cases/${theirs.ref}/events`)).status).toBe(200);
    expect(await listed('enterprise')).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    // reviewers have no business here (the definition's read rule), not even admins
    for (const u of ['city', 'county', 'admin']) {
      expect((await getAs(t, u, `/api/cases/${theirs.ref}`)).status).toBe(404);
      expect(await listed(u)).toEqual([]);
    }
  });

  it('another enterprise neither reads nor acts on a record it does not host', async () => {
    const c = await submitted();
    const body = registrationBody();
    expect((await t.http().post('/api/auth/register-enterprise').send(body)).status).toBe(201);
    const other = { username: body.user.username, password: body.user.password };
    expect((await getAs(t, other.username, `/api/cases/${c.ref}`, other.password)).status).toBe(404);
    expect((await actAs(t, other, c.ref, { action: 'confirm', data: { hours: 8 } })).status).toBe(404);
    expect((await state(c.id)).state).toBe('host_confirm');
  });

  it('a school admin approves its own teacher, but another school’s admin may not', async () => {
    const c = await confirmed();
    const otherSchool = (
      await t.ds.query<Array<{ id: number }>>(`SELECT id FROM organisations WHERE kind = 'school' AND id <> $1 ORDER BY id LIMIT 1`, [school])
    )[0].id;
    await createUser(t, { username: 'otherschool', roles: ['school_admin'], organisationId: otherSchool });
    expect((await act(t, 'otherschool', c.ref, { action: 'approve' })).status).toBe(404);
    const mine = await act(t, 'school', c.ref, { action: 'approve' });
    expect(mine.status).toBe(200);
    expect(mine.body.state).toBe('in_practice');
  });

  it('the co-signing party acts at its own stage only; the owner organisation may not act at the party’s', async () => {
    const c = await submitted();
    // at the host's stage: the school admin (a reader) and the teacher may not confirm for the host
    const bySchool = await act(t, 'school', c.ref, { action: 'confirm', data: { hours: 8 } });
    expect(bySchool.status).toBe(403);
    expect(bySchool.body.message).toContain('接收企业');
    expect((await act(t, 'teacher', c.ref, { action: 'confirm', data: { hours: 8 } })).status).toBe(403);
    expect((await getAs(t, 'school', `/api/cases/${c.ref}`)).body.allowedActions).toEqual([]);
    // a user of the host organisation acts for it (no person named)
    expect((await act(t, 'hostcolleague', c.ref, { action: 'confirm', data: { hours: 8 } })).status).toBe(200);
    // at the school's stage the host may neither approve nor return
    expect((await act(t, 'enterprise', c.ref, { action: 'approve' })).status).toBe(403);
    const ret = await act(t, 'enterprise', c.ref, { action: 'return', items: ['请补充'] });
    expect(ret.status).toBe(403);
    expect(ret.body.message).toBe('当前阶段不由您办理');
    expect((await getAs(t, 'enterprise', `/api/cases/${c.ref}`)).body.allowedActions).toEqual([]);
    expect((await state(c.id)).state).toBe('school_approval');
  });

  it('a named party person acts for the party; their colleagues then do not', async () => {
    const c = await submitted('teacher', { organisationId: host, userId: ids.enterprise });
    expect((await act(t, 'hostcolleague', c.ref, { action: 'confirm', data: { hours: 8 } })).status).toBe(403);
    expect((await act(t, 'enterprise', c.ref, { action: 'confirm', data: { hours: 8 } })).status).toBe(200);
  });

  it('nobody judges a case in which they are a party as a person: a school admin’s own record goes to another admin', async () => {
    const c = await confirmed('teacheradmin');
    const own = await act(t, 'teacheradmin', c.ref, { action: 'approve' });
    expect(own.status).toBe(403);
    expect(own.body.message).toContain('当事人');
    expect((await act(t, 'school', c.ref, { action: 'approve' })).status).toBe(200);
  });

  it('an enterprise invited by credit code is no party until it accepts the mailed invitation: registering the code gives nothing', async () => {
    const code = makeCreditCode();
    const c = await submitted('teacher', { invitedCreditCode: code, invitedEmail: 'hr@example.com' });
    const shown = await getAs(t, 'teacher', `/api/cases/${c.ref}`);
    expect(shown.body.parties).toEqual([expect.objectContaining({ party: 'host', organisationId: null, invited: true, invitedCreditCode: code })]);
    const body = registrationBody();
    body.organisation.creditCode = code;
    expect((await t.http().post('/api/auth/register-enterprise').send(body)).status).toBe(201);
    const registered = { username: body.user.username, password: body.user.password };
    expect((await getAs(t, registered.username, `/api/cases/${c.ref}`, registered.password)).status).toBe(404);
    expect((await actAs(t, registered, c.ref, { action: 'confirm', data: { hours: 12 } })).status).toBe(404);
    expect((await getAs(t, 'teacher', `/api/cases/${c.ref}`)).body.parties).toEqual([expect.objectContaining({ party: 'host', invited: true })]);
    // (acceptance with the mailed token: tests/e2e/invitations.test.ts)
  });
});

describe.each([
  {
    shape: 'test-review',
    open: async () => {
      const c = await openTestCase(t, 'enterprise');
      expect((await act(t, 'enterprise', c.ref, { action: 'submit' })).status).toBe(200);
      return c;
    },
    readers: ['enterprise', 'hostcolleague', 'county', 'city', 'admin'],
  },
  { shape: 'test-practice', open: () => submitted(), readers: ['teacher', 'school', 'enterprise', 'hostcolleague'] },
])('who reads a submitted case of $shape (one rule for the case, its events, snapshots and attachments)', ({ open, readers }) => {
  const personas = ['teacher', 'teacher2', 'school', 'enterprise', 'hostcolleague', 'county', 'city', 'admin', 'expert1'];
  it.each(personas)('%s', async (persona) => {
    const c = await open();
    const want = readers.includes(persona) ? 200 : 404;
    for (const path of ['', '/events', '/snapshots', '/attachments']) {
      expect({ path, status: (await getAs(t, persona, `/api/cases/${c.ref}${path}`)).status }).toEqual({ path, status: want });
    }
  });
});

describe('naming parties', () => {
  it('a bad invitation or an unknown party is a 400 naming the field, and no case is opened', async () => {
    const before = await count(t, `SELECT count(*)::int AS n FROM cases`);
    const tries: Array<[Parameters<typeof openTestPractice>[2], string]> = [
      [{ invitedCreditCode: '91330302XXXXXXXXX0' }, 'invitedCreditCode'],
      [{ invitedCreditCode: makeCreditCode(), invitedEmail: 'not-an-email' }, 'invitedEmail'],
      [{}, 'organisationId'],
    ];
    for (const [hostParty, field] of tries) {
      await expect(openTestPractice(t, 'teacher', hostParty)).rejects.toMatchObject({ status: 400, details: [{ field }] });
    }
    expect(await count(t, `SELECT count(*)::int AS n FROM cases`)).toBe(before);
  });
});

describe('certification’s shape keeps its rules', () => {
  it('every user of the owner organisation reads its cases, reviewers in scope once submitted', async () => {
    const c = await openTestCase(t, 'enterprise');
    expect((await getAs(t, 'hostcolleague', `/api/cases/${c.ref}`)).status).toBe(200);
    expect((await getAs(t, 'county', `/api/cases/${c.ref}`)).status).toBe(404);
    expect((await act(t, 'enterprise', c.ref, { action: 'submit' })).status).toBe(200);
    expect((await getAs(t, 'county', `/api/cases/${c.ref}`)).status).toBe(200);
    expect((await getAs(t, 'teacher', `/api/cases/${c.ref}`)).status).toBe(404);
  });
});

describe('the inbox of a person-owned case (issue 8: tasks are scoped like the case)', () => {
  /** The case ids of the open tasks in a user's inbox. */
  const inbox = async (username: string): Promise<number[]> => {
    const res = await getAs(t, username, `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ status: 'open' }))}&range=[0,499]`);
    expect(res.status).toBe(200);
    return (res.body as Array<{ caseId: number }>).map((r) => r.caseId);
  };

  it("the host's task (no person named) is in the inbox of the host's people only; the school's approval in its own admins' only", async () => {
    const [other] = await t.ds.query<Array<{ id: number }>>(`SELECT id FROM organisations WHERE kind = 'school' AND id <> $1 ORDER BY id LIMIT 1`, [school]);
    await createUser(t, { username: 'inboxotherschool', roles: ['school_admin'], organisationId: other.id });
    const [otherEnterprise] = await t.ds.query<Array<{ id: number }>>(
      `SELECT id FROM organisations WHERE kind = 'enterprise' AND id <> $1 ORDER BY id LIMIT 1`,
      [host],
    );
    await createUser(t, { username: 'inboxotherenterprise', roles: ['enterprise_applicant'], organisationId: otherEnterprise.id });

    const atHost = await submitted();
    for (const u of ['enterprise', 'hostcolleague']) expect(await inbox(u)).toContain(atHost.id);
    for (const u of ['inboxotherenterprise', 'school', 'inboxotherschool', 'teacher2', 'city', 'admin', 'county'])
      expect(await inbox(u)).not.toContain(atHost.id);

    const atSchool = await confirmed();
    expect(await inbox('school')).toContain(atSchool.id);
    for (const u of ['inboxotherschool', 'enterprise', 'teacher2', 'city', 'admin', 'county']) expect(await inbox(u)).not.toContain(atSchool.id);
    // and the school admin of another school cannot take it either
    const [task] = await t.ds.query<Array<{ id: string }>>(`SELECT id FROM tasks WHERE case_id = $1 AND status = 'open'`, [atSchool.id]);
    const claim = await t
      .http()
      .post(`/api/tasks/${task.id}/claim`)
      .set('Authorization', `Bearer ${await t.token('inboxotherschool')}`)
      .send({});
    expect([403, 404]).toContain(claim.status);
    expect(await count(t, `SELECT count(*)::int AS n FROM tasks WHERE id = $1 AND assignee_id IS NOT NULL`, [task.id])).toBe(0);
  });
});

describe('handing a task over inside a school or an enterprise', () => {
  const post = async (username: string, path: string, body: Record<string, unknown>) =>
    t
      .http()
      .post(path)
      .set('Authorization', `Bearer ${await t.token(username)}`)
      .send(body);
  const openTask = async (caseId: number) =>
    (
      await t.ds.query<Array<{ id: string; assignee_id: number | null }>>(`SELECT id, assignee_id FROM tasks WHERE case_id = $1 AND status = 'open'`, [caseId])
    )[0];
  const taskAs = async (username: string, id: string) =>
    (await getAs(t, username, `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ id: [Number(id)] }))}`)).body[0] as
      { reassignable: boolean; claimable: boolean } | undefined;

  beforeAll(async () => {
    ids.school2 = await createUser(t, { username: 'handover-school2', roles: ['school_admin'], organisationId: school });
    ids.otherhost = await createUser(t, {
      username: 'handover-otherhost',
      roles: ['enterprise_applicant'],
      organisationId: (await registerEnterprise(t, '330302')).organisationId,
    });
  });

  it('a school admin hands its approval to a colleague admin (on the chain, in their capacity); never to a teacher, the owner, or outside the school', async () => {
    const c = await confirmed('teacheradmin');
    const task = await openTask(c.id);
    expect(await taskAs('school', task.id)).toMatchObject({ reassignable: true });
    expect(await taskAs('teacher2', task.id)).toBeUndefined();
    const offered = await getAs(t, 'school', `/api/tasks/${task.id}/assignees`);
    expect(offered.status).toBe(200);
    const offeredIds = (offered.body as Array<{ id: number }>).map((u) => u.id);
    expect(offeredIds).toContain(ids.school2);
    // not the teacher who owns the record (also a school admin), no teacher, nobody of another organisation
    for (const u of [ids.teacheradmin, ids.teacher2, ids.teacher, ids.enterprise, ids.city]) expect(offeredIds).not.toContain(u);

    for (const [userId, message] of [
      [ids.teacheradmin, '本人不能办理自己事项的审核任务'],
      [ids.teacher2, '该用户不具备本阶段的职责'],
      [ids.enterprise, '该用户不属于办理此任务的单位'],
    ] as const) {
      const res = await post('school', `/api/tasks/${task.id}/reassign`, { userId });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(message);
    }
    // a city reviewer does not hand over a school's own stage (nor sees it)
    expect([403, 404]).toContain((await post('city', `/api/tasks/${task.id}/reassign`, { userId: ids.school2 })).status);
    expect((await openTask(c.id)).assignee_id).toBeNull();

    const res = await post('school', `/api/tasks/${task.id}/reassign`, { userId: ids.school2, reason: '出差' });
    expect(res.status).toBe(200);
    expect((await openTask(c.id)).assignee_id).toBe(ids.school2);
    const [e] = await t.ds.query<Array<{ actor_id: number; actor_role: string; comment: string }>>(
      `SELECT actor_id, actor_role, comment FROM case_events WHERE case_id = $1 AND action = 'task_reassign'`,
      [c.id],
    );
    expect(e).toMatchObject({ actor_id: ids.school, actor_role: 'school_admin', comment: '出差' });
    expect((await act(t, 'handover-school2', c.ref, { action: 'approve' })).status).toBe(200);
  });

  it("the host's confirmation goes to a colleague of the host with the party's roles, not to another enterprise; a teacher may not hand it over", async () => {
    const c = await submitted();
    const task = await openTask(c.id);
    expect(await taskAs('enterprise', task.id)).toMatchObject({ reassignable: true });
    const other = await post('enterprise', `/api/tasks/${task.id}/reassign`, { userId: ids.otherhost });
    expect(other.status).toBe(400);
    expect(other.body.message).toBe('该用户不属于办理此任务的单位');
    expect([403, 404]).toContain((await post('teacher', `/api/tasks/${task.id}/reassign`, { userId: ids.hostcolleague })).status);
    const res = await post('enterprise', `/api/tasks/${task.id}/reassign`, { userId: ids.hostcolleague });
    expect(res.status).toBe(200);
    expect((await openTask(c.id)).assignee_id).toBe(ids.hostcolleague);
    expect((await act(t, 'hostcolleague', c.ref, { action: 'confirm', data: { hours: 40 } })).status).toBe(200);
  });
});
