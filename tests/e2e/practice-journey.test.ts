import { execFileSync } from 'node:child_process';
import { addYears, chineseDate, portalToday } from '@portal/contracts';
import { startTestApp, tinyPdf, type TestApp } from '@portal/testing';
import { bytesOf } from '../support/http.js';
import { startMailbox, type Mailbox } from '../support/mailbox.js';
import { createUser, organisationId, organisationOf } from '../support/people.js';
import { actOn, bearer, call, countedRecord, daysAgo, ledger, logRecord, newTeacher } from '../support/practice.js';

/**
 * 教师入企实践, the whole journey over HTTP (issue 11): the school creates a teacher; the enterprise publishes a
 * 千企万岗 post naming its mentor; the teacher applies, the school lets the teacher go, the enterprise accepts
 * (an opening is taken); the teacher logs the practice on that post; the mentor confirms fewer hours than
 * claimed; the school approves; the record is counted, its certificate is issued and verifies publicly, and the
 * teacher's ledger shows the confirmed hours.
 */

let t: TestApp;
let mailbox: Mailbox;
let enterpriseId: number;

beforeAll(async () => {
  mailbox = await startMailbox();
  t = await startTestApp({ SMTP_URL: mailbox.url });
  enterpriseId = await organisationOf(t, 'enterprise');
  await createUser(t, { username: 'pj_mentor', roles: ['enterprise_applicant'], organisationId: enterpriseId, displayName: '李导师' });
});
afterAll(async () => {
  await t.close();
  await mailbox.close();
});

describe('practice journey', () => {
  it('school → teacher → post → application → record → mentor correction → school approval → counted, certified, in the ledger', async () => {
    // the school creates a teacher (user + profile)
    const created = await call(t, 'school', 'post', '/api/teachers', {
      username: 'pj_teacher',
      displayName: '陈老师',
      password: 'Teach1234x',
      major: '电气自动化技术',
      employment: 'full_time',
      dualQualified: true,
      dualQualifiedOn: daysAgo(400),
    });
    expect(created.status).toBe(201);
    const teacher = { username: 'pj_teacher', password: 'Teach1234x' };
    const teacherId = created.body.id as number;
    expect(created.body).toMatchObject({ displayName: '陈老师', major: '电气自动化技术', employment: 'full_time', dualQualified: true, hours: 0, met: false });
    const [user] = await t.ds.query(`SELECT roles, organisation_id FROM users WHERE id = $1`, [teacherId]);
    expect(user).toEqual({ roles: ['teacher'], organisation_id: await organisationOf(t, 'school') });
    // the 双师型 evidence: a PDF is kept, anything else (by its bytes) refused
    const evidence = await t
      .http()
      .post(`/api/teachers/${teacherId}/dual-evidence`)
      .set('Authorization', `Bearer ${await t.token('school')}`)
      .attach('file', await tinyPdf('双师型证书'), '双师型证书.pdf');
    expect(evidence.status).toBe(201);
    expect(evidence.body.dualEvidenceName).toBe('双师型证书.pdf');
    const notPdf = await t
      .http()
      .post(`/api/teachers/${teacherId}/dual-evidence`)
      .set('Authorization', `Bearer ${await t.token('school')}`)
      .attach('file', Buffer.from('MZ\x90\x00 not a pdf'), 'evil.pdf');
    expect(notPdf.status).toBe(415);
    expect((await call(t, 'school', 'get', `/api/teachers/${teacherId}/dual-evidence`)).status).toBe(200);

    // the enterprise publishes a post with its mentor's account
    const [mentor] = await t.ds.query(`SELECT id FROM users WHERE username = 'pj_mentor'`);
    const post = await call(t, 'enterprise', 'post', '/api/practice-posts', {
      title: '电气装配线工艺岗',
      major: '电气自动化技术',
      openings: 2,
      startDate: daysAgo(60),
      endDate: daysAgo(0),
      content: '参与装配线工艺改进与质量控制',
      mentorName: '李导师',
      mentorUserId: mentor.id,
    });
    expect(post.status).toBe(201);
    expect(post.body).toMatchObject({ enterpriseId, countyCode: '330302', industry: expect.any(String), remaining: 2 });

    // the teacher finds it by major and county and applies
    const found = await call(
      t,
      teacher,
      'get',
      `/api/practice-posts?filter=${encodeURIComponent(JSON.stringify({ major: '电气自动化技术', countyCode: '330302' }))}`,
    );
    expect(found.body.map((p: { id: number }) => p.id)).toContain(post.body.id);
    const applied = await call(t, teacher, 'post', '/api/practice-applications', { postId: post.body.id, note: '希望参加' });
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({ state: 'applied', stateLabel: '待学校审批', version: 2, allowedActions: [{ action: 'withdraw' }] });
    // which post, by its period too (several posts share a title)
    expect([applied.body.postStartDate, applied.body.postEndDate]).toEqual([post.body.startDate, post.body.endDate]);
    // one live application per teacher and post: a second is refused in words, and leaves no case behind
    const again = await call(t, teacher, 'post', '/api/practice-applications', { postId: post.body.id });
    expect([again.status, again.body.message]).toEqual([409, '您已申请该岗位，请勿重复申请']);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM cases WHERE workflow_key = 'practice-application' AND owner_user_id = $1`, [teacherId]);
    expect(n).toBe(1);
    // the post tells the teacher (and only the teacher) where their application stands
    const seen = (await call(t, teacher, 'get', `/api/practice-posts/${post.body.id}`)).body;
    expect(seen.myApplication).toEqual({ state: 'applied', stateLabel: '待学校审批' });
    expect((await call(t, 'enterprise', 'get', `/api/practice-posts/${post.body.id}`)).body.myApplication).toBeNull();
    const acceptedForMe = `/api/practice-posts?filter=${encodeURIComponent(JSON.stringify({ acceptedForMe: true }))}`;
    expect((await call(t, teacher, 'get', acceptedForMe)).body).toEqual([]);
    // a post is the teacher's practice to log only once the enterprise accepted the teacher on it
    const unaccepted = await logRecord(t, teacher, { postId: post.body.id, startDate: daysAgo(45), endDate: daysAgo(6), hours: 300 });
    expect(unaccepted.status).toBe(400);
    expect(unaccepted.body.message).toContain('企业已接收');
    expect(await t.ds.query(`SELECT id FROM practice_records WHERE post_id = $1`, [post.body.id])).toEqual([]);
    // the enterprise cannot accept before the school lets the teacher go
    const early = await call(t, 'enterprise', 'post', `/api/practice-applications/${applied.body.id}/actions`, { action: 'accept' });
    expect(early.status).toBe(409);
    const approved = await call(t, 'school', 'post', `/api/practice-applications/${applied.body.id}/actions`, { action: 'school_approve' });
    expect(approved.body).toMatchObject({ state: 'school_approved' });
    const accepted = await call(t, 'enterprise', 'post', `/api/practice-applications/${applied.body.id}/actions`, { action: 'accept', comment: '欢迎' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.state).toBe('accepted');
    expect((await call(t, teacher, 'get', `/api/practice-posts/${post.body.id}`)).body).toMatchObject({
      accepted: 1,
      remaining: 1,
      myApplication: { state: 'accepted', stateLabel: '已接收' },
    });
    // the posts the teacher may log practice against: this one, now
    expect((await call(t, teacher, 'get', acceptedForMe)).body.map((p: { id: number }) => p.id)).toEqual([post.body.id]);
    // a post whose period is over: nobody lets the teacher go any more, and the page says why; a refusal needs its reason
    const over = await call(t, 'enterprise', 'post', '/api/practice-posts', {
      title: '已结束的岗位',
      major: '电气自动化技术',
      openings: 2,
      startDate: daysAgo(30),
      endDate: daysAgo(1),
      content: '往期岗位',
      mentorName: '李导师',
    });
    const late = await call(t, teacher, 'post', '/api/practice-applications', { postId: over.body.id });
    expect(late.status).toBe(201);
    const seenBySchool = (await call(t, 'school', 'get', `/api/practice-applications/${late.body.id}`)).body;
    expect(seenBySchool.allowedActions.map((a: { action: string }) => a.action)).toEqual(['school_decline']);
    const lateApprove = await call(t, 'school', 'post', `/api/practice-applications/${late.body.id}/actions`, { action: 'school_approve' });
    expect([lateApprove.status, lateApprove.body.message]).toEqual([409, `岗位期间已于 ${daysAgo(1)} 结束，不能再同意或接收；教师可申请其他岗位`]);
    const bare = await call(t, 'school', 'post', `/api/practice-applications/${late.body.id}/actions`, { action: 'school_decline' });
    expect(bare.status).toBe(400);
    const declined = await call(t, 'school', 'post', `/api/practice-applications/${late.body.id}/actions`, {
      action: 'school_decline',
      comment: '岗位期间已结束',
    });
    expect(declined.body).toMatchObject({ state: 'school_declined' });
    // its history is the case's event chain (the engine's create, then every transition)
    const trail = await call(t, teacher, 'get', `/api/cases/${applied.body.caseRef}/events`);
    expect(trail.body.map((e: { action: string }) => e.action)).toEqual(['create', 'apply', 'school_approve', 'accept']);

    // the teacher logs the practice on the post: 40 days, 300 hours claimed
    const rec = await logRecord(t, teacher, { postId: post.body.id, startDate: daysAgo(45), endDate: daysAgo(6), hours: 300 });
    expect(rec.status).toBe(201);
    expect(rec.body).toMatchObject({
      hostOrgId: enterpriseId,
      hours: 300,
      claimedHours: 300,
      counted: false,
      case: { state: 'draft', ownerUserId: teacherId },
    });
    const id = rec.body.id as number;
    expect((await actOn(t, teacher, id, { action: 'submit' })).body.case.state).toBe('host_confirm');

    // the host's named mentor confirms; the enterprise's other applicant does not, nor may hours go up
    expect((await actOn(t, 'enterprise', id, { action: 'confirm', data: { hours: 280 } })).status).toBe(403);
    const up = await actOn(t, 'pj_mentor', id, { action: 'confirm', data: { hours: 301 } });
    expect(up.status).toBe(400);
    expect(up.body.details[0].field).toBe('data.hours');
    const confirmed = await actOn(t, 'pj_mentor', id, { action: 'confirm', data: { hours: 280, note: '扣除 2 天请假' }, comment: '表现良好' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ hours: 280, claimedHours: 300, case: { state: 'school_approval' } });

    // the school approves → counted (not before: the ledger is still empty)
    expect((await ledger(t, teacher, teacherId)).hours).toBe(0);
    const done = await actOn(t, 'school', id, { action: 'approve', comment: '同意认定' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ counted: true, countedOn: portalToday(), case: { state: 'counted' } });

    // its certificate is issued through the documents service and verifies publicly
    await t.drain();
    const after = await call(t, teacher, 'get', `/api/practice-records/${id}`);
    expect(after.body.certificateId).toEqual(expect.any(Number));
    const doc = await call(t, teacher, 'get', `/api/documents/${after.body.certificateId}`);
    expect(doc.body).toMatchObject({ kind: 'practice_certificate', serial: expect.stringMatching(/^WZSJ-\d{4}-\d{5}$/), status: 'valid' });
    const pdf = await call(t, teacher, 'get', `/api/documents/${after.body.certificateId}/download`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const verified = await t.http().get(`/api/verify/${String(doc.body.verifyUrl).split('/').pop()}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ kindLabel: '教师企业实践证明', status: 'valid', holderName: '陈老师（浙江工贸职业技术学院）' });

    // the ledger counts the confirmed hours from the end date until the day before its fifth anniversary
    const l = await ledger(t, teacher, teacherId);
    expect(l).toMatchObject({ hours: 280, months: 1.59, met: false, lastMetDate: null });
    expect(l.records).toEqual([expect.objectContaining({ id, hours: 280, hostName: expect.any(String), leavesOn: addYears(daysAgo(6), 5) })]);
    // the school sees the teacher's status
    const mine = await call(t, 'school', 'get', `/api/teachers?filter=${encodeURIComponent(JSON.stringify({ id: [teacherId] }))}`);
    expect(mine.body).toEqual([expect.objectContaining({ id: teacherId, hours: 280, met: false })]);

    // the 5-year summary for 职称评审, on demand
    const summary = await call(t, teacher, 'post', `/api/teachers/${teacherId}/summary`);
    expect(summary.status).toBe(202);
    await t.drain();
    const [s] = await t.ds.query(`SELECT id, serial, holder_user_id FROM documents WHERE kind = 'practice_summary' AND subject_key = $1`, [
      summary.body.subjectKey,
    ]);
    expect(s).toMatchObject({ serial: expect.stringMatching(/^WZSH-/), holder_user_id: teacherId });
    // its PDF lists the period with both dates whole (the label column no longer cuts "…年11月1" or "…年11月")
    const pdfBytes = await bytesOf(
      t
        .http()
        .get(`/api/documents/${s.id}/download`)
        .set('Authorization', `Bearer ${await t.token(teacher.username, teacher.password)}`),
    );
    expect(pdfBytes.status).toBe(200);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdfBytes.body as Buffer }).toString();
    const lines = text.split('\n').map((line) => line.replace(/\s+/g, ''));
    expect(lines).toContainEqual(expect.stringContaining(`${chineseDate(daysAgo(45))}至${chineseDate(daysAgo(6))}：`));

    // the engine's chain names each step
    const events = await t.ds.query(`SELECT action FROM case_events e JOIN practice_records r ON r.case_id = e.case_id WHERE r.id = $1 ORDER BY e.id`, [id]);
    expect(events.map((e: { action: string }) => e.action)).toEqual(['create', 'submit', 'confirm', 'approve']);
  });

  it('a record’s evidence the teacher attaches in draft is read and downloaded by the host and the school, and by no other school', async () => {
    const teacher = await newTeacher(t);
    const rec = await logRecord(t, teacher.username, { hostOrgId: enterpriseId, startDate: daysAgo(50), endDate: daysAgo(41), hours: 60 });
    expect(rec.status).toBe(201);
    const ref = rec.body.caseRef as string;
    const pdf = await tinyPdf('企业实践佐证材料');
    const uploaded = await t
      .http()
      .post(`/api/cases/${ref}/attachments`)
      .set('Authorization', `Bearer ${await t.token(teacher.username)}`)
      .field('purpose', 'practice_evidence')
      .attach('file', pdf, '实践佐证材料.pdf');
    expect([uploaded.status, uploaded.body.purpose, uploaded.body.filename]).toEqual([201, 'practice_evidence', '实践佐证材料.pdf']);
    const attachmentId = uploaded.body.id as number;
    // the host reads it while confirming the hours, the school while approving
    expect((await actOn(t, teacher.username, rec.body.id, { action: 'submit' })).status).toBe(200);
    await createUser(t, { username: 'pj_school2', roles: ['school_admin'], organisationId: await organisationId(t, 'school', '温州职业技术学院') });
    for (const who of ['enterprise', 'school']) {
      const listed = await call(t, who, 'get', `/api/cases/${ref}/attachments`);
      expect([who, listed.status, listed.body.map((a: { id: number; purpose: string }) => [a.id, a.purpose])]).toEqual([
        who,
        200,
        [[attachmentId, 'practice_evidence']],
      ]);
      const file = await bytesOf(
        t
          .http()
          .get(`/api/attachments/${attachmentId}/download`)
          .set('Authorization', await bearer(t, who)),
      );
      expect([who, file.status, Buffer.compare(file.body as Buffer, pdf)]).toEqual([who, 200, 0]);
    }
    // another school's admin neither lists nor downloads it: the record is not theirs to see
    expect((await call(t, 'pj_school2', 'get', `/api/cases/${ref}/attachments`)).status).toBe(404);
    expect((await call(t, 'pj_school2', 'get', `/api/attachments/${attachmentId}/download`)).status).toBe(404);
    // the host still reads it once the record has moved on to the school
    expect((await actOn(t, 'enterprise', rec.body.id, { action: 'confirm', data: { hours: 60 } })).status).toBe(200);
    const later = await bytesOf(
      t
        .http()
        .get(`/api/attachments/${attachmentId}/download`)
        .set('Authorization', await bearer(t, 'enterprise')),
    );
    expect([later.status, Buffer.compare(later.body as Buffer, pdf)]).toEqual([200, 0]);
  });

  it('a record the school sends back to the host is confirmed anew against the teacher’s claim, not the first confirmation', async () => {
    const teacher = await newTeacher(t);
    const rec = await logRecord(t, teacher.username, { hostOrgId: enterpriseId, startDate: daysAgo(40), endDate: daysAgo(21), hours: 100 });
    expect([rec.status, rec.body.message]).toEqual([201, undefined]);
    const id = rec.body.id as number;
    expect((await actOn(t, teacher.username, id, { action: 'submit' })).status).toBe(200);
    expect((await actOn(t, 'enterprise', id, { action: 'confirm', data: { hours: 80 } })).body).toMatchObject({ hours: 80, claimedHours: 100 });
    // the school doubts the cut and sends it back to the host's confirmation (not to the teacher)
    const back = await actOn(t, 'school', id, { action: 'return', target: 'host_confirm', items: ['请核实学时'] });
    expect([back.status, back.body.case?.state]).toEqual([200, 'host_confirm']);
    // nothing for the teacher to answer: no open 退回修改 on the record, no notification saying so
    expect(back.body.case.openReturn).toBeNull();
    await t.drain();
    const told = await t.ds.query(`SELECT n.kind FROM notifications n WHERE n.user_id = $1 AND n.case_id = $2`, [teacher.id, back.body.case.caseId]);
    expect(told.map((n: { kind: string }) => n.kind)).not.toContain('returned');
    const over = await actOn(t, 'enterprise', id, { action: 'confirm', data: { hours: 101 } });
    expect([over.status, over.body.details?.[0]]).toEqual([400, { field: 'data.hours', messages: ['确认学时不能超过教师填报的学时（100），企业只能核减'] }]);
    const again = await actOn(t, 'enterprise', id, { action: 'confirm', data: { hours: 100 } });
    expect([again.status, again.body.hours, again.body.case?.state]).toEqual([200, 100, 'school_approval']);
  });

  it('a host not yet registered is invited by credit code and e-mail, and confirms once it has registered and accepted the mailed invitation', async () => {
    const teacher = await newTeacher(t);
    const { registrationBody } = await import('@portal/testing');
    const body = registrationBody({ county: '330381' });
    const rec = await logRecord(t, teacher.username, {
      hostCreditCode: body.organisation.creditCode,
      hostEmail: 'hr@example.com',
      startDate: daysAgo(20),
      endDate: daysAgo(11),
      hours: 60,
    });
    expect(rec.status).toBe(201);
    expect(rec.body).toMatchObject({ hostOrgId: null, hostInvitedCreditCode: body.organisation.creditCode });
    // the engine mails the invitation once the record is saved
    const invites = await t.ds.query(`SELECT payload FROM outbox WHERE job_name = 'workflow.invite' AND (payload->>'caseId')::bigint = $1`, [
      Number(String(rec.body.caseRef).split(':')[1]),
    ]);
    expect(invites).toEqual([{ payload: { caseId: expect.any(Number), party: 'host' } }]);
    // without an e-mail an unregistered host cannot be invited
    const noMail = await logRecord(t, teacher.username, {
      hostCreditCode: (await import('@portal/testing')).makeCreditCode(),
      startDate: daysAgo(5),
      endDate: daysAgo(4),
      hours: 8,
    });
    expect(noMail.status).toBe(400);
    expect(noMail.body.details[0].field).toBe('hostEmail');
    expect((await actOn(t, teacher.username, rec.body.id, { action: 'submit' })).status).toBe(200);
    expect((await t.http().post('/api/auth/register-enterprise').send(body)).status).toBe(201);
    const host = { username: body.user.username, password: body.user.password };
    expect((await actOn(t, host, rec.body.id, { action: 'confirm', data: { hours: 60 } })).status).toBe(404);
    await t.drain();
    expect((await call(t, host, 'post', '/api/invitations/accept', { token: mailbox.tokenFor('hr@example.com') })).status).toBe(200);
    const confirmed = await actOn(t, host, rec.body.id, { action: 'confirm', data: { hours: 60 } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ hostName: body.organisation.name, case: { state: 'school_approval' } });
  });

  it('lists to a county reviewer only the documents it lets them open: not the practice certificates of their county', async () => {
    const teacher = await newTeacher(t);
    const id = await countedRecord(t, teacher.username, { hostOrgId: enterpriseId, startDate: daysAgo(30), endDate: daysAgo(25), hours: 40 });
    await t.drain();
    const certificateId = (await call(t, teacher.username, 'get', `/api/practice-records/${id}`)).body.certificateId as number;
    expect(certificateId).toEqual(expect.any(Number));
    // the record's case is in the county reviewer's county, yet the practice read rule keeps reviewers out of it
    const [{ county_code }] = await t.ds.query(`SELECT c.county_code FROM cases c JOIN practice_records r ON r.case_id = c.id WHERE r.id = $1`, [id]);
    const [{ jurisdiction }] = await t.ds.query(`SELECT jurisdiction FROM users WHERE username = 'county'`);
    expect(county_code).toBe(jurisdiction);
    expect((await call(t, 'county', 'get', `/api/documents/${certificateId}`)).status).toBe(404);
    const listed = await call(t, 'county', 'get', `/api/documents?filter=${encodeURIComponent(JSON.stringify({ kind: 'practice_certificate' }))}`);
    expect(listed.status).toBe(200);
    expect(listed.body.map((d: { id: number }) => d.id)).not.toContain(certificateId);
    // the teacher and their school's admin still find it in the list and open it
    for (const who of [teacher.username, 'school']) {
      const mine = await call(t, who, 'get', `/api/documents?filter=${encodeURIComponent(JSON.stringify({ kind: 'practice_certificate' }))}`);
      expect(mine.body.map((d: { id: number }) => d.id)).toContain(certificateId);
      expect((await call(t, who, 'get', `/api/documents/${certificateId}`)).status).toBe(200);
    }
    // a colleague of the teacher does not
    const colleague = await call(t, 'teacher', 'get', `/api/documents?filter=${encodeURIComponent(JSON.stringify({ kind: 'practice_certificate' }))}`);
    expect(colleague.body.map((d: { id: number }) => d.id)).not.toContain(certificateId);
    expect((await call(t, 'teacher', 'get', `/api/documents/${certificateId}`)).status).toBe(404);
  });
});
