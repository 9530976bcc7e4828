import { startTestApp, type TestApp } from '@portal/testing';
import { call, daysAgo, newTeacher } from '../support/practice.js';

/**
 * Openings under concurrency (issue 11): 30 teachers approved by their school, the enterprise accepts all 30 at
 * once on a post with 10 openings → exactly 10 accepted, 20 refused with a 409 that says the post is full, the
 * post's count is 10, and a full post takes no more applications.
 */

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ DATABASE_POOL_SIZE: '10' });
});
afterAll(() => t.close());

it('30 concurrent accepts on a post with 10 openings accept exactly 10', async () => {
  const post = await call(t, 'enterprise', 'post', '/api/practice-posts', {
    title: '数控加工岗',
    major: '数控技术',
    openings: 10,
    startDate: daysAgo(-10),
    endDate: daysAgo(-40),
    content: '数控车床操作与工艺编程',
    mentorName: '周师傅',
  });
  expect(post.status).toBe(201);
  const applications: number[] = [];
  for (let i = 0; i < 30; i++) {
    const teacher = await newTeacher(t, 'school', { major: '数控技术' });
    const applied = await call(t, teacher.username, 'post', '/api/practice-applications', { postId: post.body.id });
    expect(applied.status).toBe(201);
    expect((await call(t, 'school', 'post', `/api/practice-applications/${applied.body.id}/actions`, { action: 'school_approve' })).status).toBe(200);
    applications.push(applied.body.id);
  }
  await t.token('enterprise');
  const answers = await Promise.all(applications.map((id) => call(t, 'enterprise', 'post', `/api/practice-applications/${id}/actions`, { action: 'accept' })));
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  expect(statuses.filter((s) => s === 409)).toHaveLength(20);
  for (const a of answers.filter((x) => x.status === 409)) expect(a.body.message).toContain('名额已满');

  const after = await call(t, 'enterprise', 'get', `/api/practice-posts/${post.body.id}`);
  expect(after.body).toMatchObject({ openings: 10, accepted: 10, remaining: 0 });
  const [{ n }] = await t.ds.query(
    `SELECT count(*)::int AS n FROM practice_applications a JOIN cases c ON c.id = a.case_id WHERE a.post_id = $1 AND c.state = 'accepted'`,
    [post.body.id],
  );
  expect(n).toBe(10);
  // each accepted one is audited once; the refused ones left no trace and stay approved by the school
  const [{ e }] = await t.ds.query(
    `SELECT count(*)::int AS e FROM case_events ev JOIN practice_applications a ON a.case_id = ev.case_id WHERE a.post_id = $1 AND ev.action = 'accept'`,
    [post.body.id],
  );
  expect(e).toBe(10);

  // a full post takes no more applications, and search can hide it
  const late = await newTeacher(t);
  const refused = await call(t, late.username, 'post', '/api/practice-applications', { postId: post.body.id });
  expect(refused.status).toBe(409);
  expect(refused.body.message).toContain('名额已满');
  const available = await call(
    t,
    late.username,
    'get',
    `/api/practice-posts?filter=${encodeURIComponent(JSON.stringify({ available: true, major: '数控技术' }))}`,
  );
  expect(available.body.map((p: { id: number }) => p.id)).not.toContain(post.body.id);
}, 180_000);
