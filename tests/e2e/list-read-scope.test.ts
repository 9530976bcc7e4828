import { startTestApp, userId, type TestApp } from '@portal/testing';
import { atCityReview, auth, draft, newApplicant, submitted, type Applicant } from '../support/certification.js';
import { createUser, organisationOf } from '../support/people.js';

/**
 * The applications list shows each user exactly the applications they may open (issue 13): the list's read scope
 * (caseReadScope, written as index conditions for a million cases) selects the same rows as canReadCase, which the
 * detail answers with 200 or 404 — for the owner, other enterprises, reviewers of the city and of two counties, an
 * expert, and users who hold or held a task on a case outside their own scope (in another county, on a draft).
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A task held by `username` on the application's case, done (a task held once still lets its holder read the case). */
async function heldTask(caseRef: string, username: string, state: string): Promise<void> {
  await t.ds.query(
    `INSERT INTO tasks (case_id, state, kind, role, assignee_id, status, completed_at) VALUES ($1, $2, 'review', 'county_reviewer', $3, 'done', now())`,
    [Number(caseRef.split(':')[1]), state, await userId(t, username)],
  );
}

/** The ids the list answers (every page of it; `filter` as the web app sends it). */
async function listed(who: string | Applicant, filter: Record<string, unknown> = {}): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; ; start += 100) {
    const res = await t
      .http()
      .get('/api/certification-applications')
      .query({ filter: JSON.stringify(filter), sort: JSON.stringify(['id', 'ASC']), range: JSON.stringify([start, start + 99]) })
      .set('Authorization', await auth(t, who));
    expect(res.status).toBe(200);
    ids.push(...res.body.map((a: { id: number }) => a.id));
    if (res.body.length < 100) return ids;
  }
}

/** The ids whose detail the user may open (200; 404 otherwise), among every application there is. */
async function readable(who: string | Applicant, state?: string): Promise<number[]> {
  const all: Array<{ id: string }> = await t.ds.query(
    `SELECT a.id FROM certification_applications a JOIN cases c ON c.id = a.case_id WHERE $1::text IS NULL OR c.state = $1 ORDER BY a.id`,
    [state ?? null],
  );
  const ids: number[] = [];
  for (const { id } of all) {
    const res = await t
      .http()
      .get(`/api/certification-applications/${id}`)
      .set('Authorization', await auth(t, who));
    expect([200, 404]).toContain(res.status);
    if (res.status === 200) ids.push(Number(id));
  }
  return ids;
}

it('lists for each user exactly the applications whose detail they may open, with and without a filter', async () => {
  const luchengDraft = await newApplicant(t, '330302');
  const luchengSubmitted = await newApplicant(t, '330302');
  const luchengCity = await newApplicant(t, '330302');
  const ouhaiSubmitted = await newApplicant(t, '330304');
  const ouhaiDraft = await newApplicant(t, '330304');
  const bystander = await newApplicant(t, '330381');
  const a1 = await draft(t, luchengDraft);
  const a2 = await submitted(t, luchengSubmitted);
  await atCityReview(t, luchengCity);
  const b1 = await submitted(t, ouhaiSubmitted);
  const b2 = await draft(t, ouhaiDraft);
  await createUser(t, { username: 'scope-ouhai', roles: ['county_reviewer'], organisationId: await organisationOf(t, 'county'), jurisdiction: '330304' });
  await createUser(t, { username: 'scope-city', roles: ['city_reviewer'], organisationId: await organisationOf(t, 'city') });

  // tasks outside the holder's own scope: 鹿城区's reviewer on a 瓯海区 case and on a 鹿城区 draft, a city reviewer on
  // a draft, an expert on a case under review
  await heldTask(b1.caseRef, 'county', 'county_review');
  await heldTask(a1.caseRef, 'county', 'draft');
  await heldTask(b2.caseRef, 'scope-city', 'draft');
  await heldTask(a2.caseRef, 'expert1', 'county_review');

  const users: Array<string | Applicant> = ['admin', 'city', 'scope-city', 'county', 'scope-ouhai', 'expert1', 'expert2', 'finance'];
  users.push(luchengDraft, luchengSubmitted, ouhaiSubmitted, ouhaiDraft, bystander);
  const seen = new Map<string, number[]>();
  for (const who of users) {
    const name = typeof who === 'string' ? who : who.username;
    const mayRead = await readable(who);
    expect({ user: name, ids: await listed(who) }).toEqual({ user: name, ids: mayRead });
    seen.set(name, mayRead);
    const underReview = await readable(who, 'county_review');
    expect({ user: name, state: 'county_review', ids: await listed(who, { state: 'county_review' }) }).toEqual({
      user: name,
      state: 'county_review',
      ids: underReview,
    });
  }

  // the pool tells the rules apart: the held tasks open cases outside the scope, drafts stay their owner's
  expect(seen.get('county')).toEqual(expect.arrayContaining([a1.id, a2.id, b1.id]));
  expect(seen.get('county')).not.toContain(b2.id);
  expect(seen.get('scope-ouhai')).toEqual(expect.arrayContaining([b1.id]));
  expect(seen.get('scope-ouhai')).not.toContain(a2.id);
  expect(seen.get('scope-ouhai')).not.toContain(b2.id);
  expect(seen.get('scope-city')).toEqual(expect.arrayContaining([a2.id, b1.id, b2.id]));
  expect(seen.get('scope-city')).not.toContain(a1.id);
  expect(seen.get('city')).not.toContain(a1.id);
  expect(seen.get('expert1')).toContain(a2.id);
  expect(seen.get('expert1')).not.toContain(b1.id);
  expect(seen.get('expert2')).not.toContain(a2.id);
  expect(seen.get(bystander.username)).toEqual([]);
  expect(seen.get(luchengDraft.username)).toEqual([a1.id]);
});
