import { startTestApp, type TestApp } from '@portal/testing';
import { createUser, organisationId, organisationOf, registerEnterprise } from '../support/people.js';
import { actOn, call, countedRecord, daysAgo, logRecord, newTeacher, type Login } from '../support/practice.js';

/**
 * Who may not (issue 11): another school's admin, an enterprise that is not the host, a teacher reading another
 * teacher's records, ledger or certificate — each refused on the server (404 where even existence is private,
 * 403 where the object is visible but the act is not theirs), and left out of every list.
 */

let t: TestApp;
let host: number;
let otherEnterprise: Login & { organisationId: number };
let teacherA: { id: number; username: string };
let teacherB: { id: number; username: string };
let counted: number;
let draft: number;

beforeAll(async () => {
  t = await startTestApp();
  host = await organisationOf(t, 'enterprise');
  await createUser(t, { username: 'pa_school2', roles: ['school_admin'], organisationId: await organisationId(t, 'school', '温州职业技术学院') });
  const e = await registerEnterprise(t, '330303');
  otherEnterprise = { username: e.username, password: e.password, organisationId: e.organisationId };
  teacherA = await newTeacher(t);
  teacherB = await newTeacher(t);
  counted = await countedRecord(t, teacherA.username, { hostOrgId: host, startDate: daysAgo(30), endDate: daysAgo(21), hours: 60 });
  draft = (await logRecord(t, teacherA.username, { hostOrgId: host, startDate: daysAgo(15), endDate: daysAgo(11), hours: 30 })).body.id;
  expect((await actOn(t, teacherA.username, draft, { action: 'submit' })).status).toBe(200);
  await t.drain();
}, 60_000);
afterAll(() => t.close());

const ids = (res: { body: Array<{ id: number }> }) => res.body.map((r) => r.id);

describe('another school’s admin', () => {
  it('neither reads nor manages the teachers, records or ledgers of another school', async () => {
    for (const path of [
      `/api/teachers/${teacherA.id}`,
      `/api/teachers/${teacherA.id}/ledger`,
      `/api/practice-records/${counted}`,
      `/api/practice-records/${draft}`,
    ]) {
      expect([path, (await call(t, 'pa_school2', 'get', path)).status]).toEqual([path, 404]);
    }
    expect(ids(await call(t, 'pa_school2', 'get', '/api/teachers'))).not.toContain(teacherA.id);
    expect(ids(await call(t, 'pa_school2', 'get', '/api/practice-records'))).toEqual([]);
    expect((await call(t, 'pa_school2', 'put', `/api/teachers/${teacherA.id}`, { major: '改写' })).status).toBe(404);
    // the host confirmed the draft: only the teacher's own school approves it
    expect((await actOn(t, 'enterprise', draft, { action: 'confirm', data: { hours: 30 } })).status).toBe(200);
    expect((await actOn(t, 'pa_school2', draft, { action: 'approve' })).status).toBe(404);
    // nor creates teachers in another school
    const other = await call(t, 'pa_school2', 'post', '/api/teachers', {
      username: 'pa_intruder',
      displayName: '冒名',
      password: 'Teach1234x',
      major: '电气',
      employment: 'full_time',
      schoolId: await organisationOf(t, 'school'),
    });
    expect(other.status).toBe(403);
  });
});

describe('an enterprise that is not the host', () => {
  it('does not see or confirm the record; the host does', async () => {
    const rec = await logRecord(t, teacherB.username, { hostOrgId: host, startDate: daysAgo(50), endDate: daysAgo(41), hours: 70 });
    await actOn(t, teacherB.username, rec.body.id, { action: 'submit' });
    expect((await call(t, otherEnterprise, 'get', `/api/practice-records/${rec.body.id}`)).status).toBe(404);
    expect((await actOn(t, otherEnterprise, rec.body.id, { action: 'confirm', data: { hours: 70 } })).status).toBe(404);
    expect(ids(await call(t, otherEnterprise, 'get', '/api/practice-records'))).toEqual([]);
    expect(ids(await call(t, 'enterprise', 'get', '/api/practice-records'))).toContain(rec.body.id);
    // nor reads teachers or ledgers at all
    expect((await call(t, otherEnterprise, 'get', `/api/teachers/${teacherB.id}/ledger`)).status).toBe(404);
    expect(ids(await call(t, otherEnterprise, 'get', '/api/teachers'))).toEqual([]);
    expect((await call(t, otherEnterprise, 'get', '/api/practice-stats')).status).toBe(403);
  });

  it('does not accept applications for another enterprise’s post, nor close it', async () => {
    const post = await call(t, 'enterprise', 'post', '/api/practice-posts', {
      title: '泵阀装配岗',
      major: '机电一体化',
      openings: 3,
      startDate: daysAgo(-5),
      endDate: daysAgo(-30),
      content: '泵阀装配',
      mentorName: '赵师傅',
    });
    const app = await call(t, teacherB.username, 'post', '/api/practice-applications', { postId: post.body.id });
    await call(t, 'school', 'post', `/api/practice-applications/${app.body.id}/actions`, { action: 'school_approve' });
    expect((await call(t, otherEnterprise, 'post', `/api/practice-applications/${app.body.id}/actions`, { action: 'accept' })).status).toBe(404);
    expect((await call(t, otherEnterprise, 'put', `/api/practice-posts/${post.body.id}`, { status: 'closed' })).status).toBe(403);
    // a teacher may not take the enterprise's or the school's part
    expect((await call(t, teacherB.username, 'post', `/api/practice-applications/${app.body.id}/actions`, { action: 'accept' })).status).toBe(403);
    // a teacher may not publish posts
    expect(
      (
        await call(t, teacherB.username, 'post', '/api/practice-posts', {
          title: 'x',
          major: 'x',
          openings: 1,
          startDate: daysAgo(1),
          endDate: daysAgo(0),
          content: 'x',
          mentorName: 'x',
        })
      ).status,
    ).toBe(403);
  });
});

describe('a teacher', () => {
  it('reads only their own records, ledger and certificates', async () => {
    expect((await call(t, teacherB.username, 'get', `/api/practice-records/${counted}`)).status).toBe(404);
    expect((await call(t, teacherB.username, 'get', `/api/teachers/${teacherA.id}/ledger`)).status).toBe(404);
    expect((await call(t, teacherB.username, 'get', `/api/teachers/${teacherA.id}`)).status).toBe(404);
    expect((await actOn(t, teacherB.username, draft, { action: 'withdraw' })).status).toBe(404);
    expect(
      (
        await call(t, teacherB.username, 'put', `/api/practice-records/${draft}`, {
          hostOrgId: host,
          startDate: daysAgo(15),
          endDate: daysAgo(11),
          hours: 1,
          form: 'post',
          content: 'x',
          dataVersion: 1,
        })
      ).status,
    ).toBe(404);
    expect(ids(await call(t, teacherB.username, 'get', '/api/teachers'))).toEqual([teacherB.id]);
    expect(ids(await call(t, teacherB.username, 'get', '/api/practice-records'))).not.toContain(counted);
    expect((await call(t, teacherB.username, 'post', `/api/teachers/${teacherA.id}/summary`)).status).toBe(404);
    // the certificate is the teacher's and the school's, not every colleague's
    const cert = (await call(t, teacherA.username, 'get', `/api/practice-records/${counted}`)).body.certificateId as number;
    expect(cert).toEqual(expect.any(Number));
    expect((await call(t, teacherA.username, 'get', `/api/documents/${cert}`)).status).toBe(200);
    expect((await call(t, 'school', 'get', `/api/documents/${cert}`)).status).toBe(200);
    expect((await call(t, teacherB.username, 'get', `/api/documents/${cert}`)).status).toBe(404);
    expect((await call(t, teacherB.username, 'get', `/api/documents/${cert}/download`)).status).toBe(404);
    expect(ids(await call(t, teacherB.username, 'get', '/api/documents'))).not.toContain(cert);
    // and manages nobody
    expect(
      (
        await call(t, teacherB.username, 'post', '/api/teachers', {
          username: 'pa_self',
          displayName: 'x',
          password: 'Teach1234x',
          major: 'x',
          employment: 'full_time',
        })
      ).status,
    ).toBe(403);
    expect((await call(t, teacherB.username, 'get', '/api/practice-stats')).status).toBe(403);
  });

  it('the school admin reads its teachers and records; the city reads the statistics', async () => {
    expect(ids(await call(t, 'school', 'get', '/api/teachers'))).toEqual(expect.arrayContaining([teacherA.id, teacherB.id]));
    expect((await call(t, 'school', 'get', `/api/teachers/${teacherA.id}/ledger`)).body).toMatchObject({ hours: 60 });
    const stats = await call(t, 'city', 'get', '/api/practice-stats');
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ target: 10000, total: expect.any(Number) });
    expect(stats.body.total).toBeGreaterThanOrEqual(1);
    // the profiles behind the shares of tasks 44 and 48: two full-time teachers of this test, neither 双师型
    expect(stats.body.teachers).toEqual({ total: 2, partTime: 0, fullTime: 2, dualQualified: 0 });
  });
});
