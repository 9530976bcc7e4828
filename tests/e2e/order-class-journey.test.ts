import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays, maskIdNumber, portalToday } from '@portal/contracts';
import { demoPassword, registrationBody, startTestApp, type TestApp } from '@portal/testing';
import { makeIdNumber, makePhone } from '../support/id-numbers.js';
import { attachChecklist, classAct, completeForm, draftClass } from '../support/order-classes.js';
import { organisationOf } from '../support/people.js';
import { bytesOf } from '../support/http.js';
import { startMailbox, type Mailbox } from '../support/mailbox.js';

/**
 * 订单班 over HTTP, its whole life (issue 10): the school registers → the enterprise returns it with
 * comments, then co-signs → the county bureau files it (the 订单班备案回执, verified publicly) → active
 * (students leave and join, the roster at any date) → completion report with computed employment rates → closed.
 */

let t: TestApp;
let mailbox: Mailbox;
beforeAll(async () => {
  mailbox = await startMailbox();
  t = await startTestApp({ SMTP_URL: mailbox.url });
});
afterAll(async () => {
  await t.close();
  await mailbox.close();
});

const auth = async (u: string) => `Bearer ${await t.token(u)}`;

async function pdfText(documentId: number, authorization: string): Promise<string> {
  const res = await bytesOf(t.http().get(`/api/documents/${documentId}/download`).set('Authorization', authorization));
  expect(res.status).toBe(200);
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-pdf-'));
  try {
    writeFileSync(path.join(dir, 'doc.pdf'), res.body as Buffer);
    return execFileSync('pdftotext', ['-layout', path.join(dir, 'doc.pdf'), '-']).toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it('registers, is returned and co-signed, filed with a verifiable receipt, runs with roster changes, reports completion and closes', async () => {
  const school = await auth('school');
  const ent = await auth('enterprise');
  const county = await auth('county');
  const today = portalToday();

  // a draft: incomplete registrations do not go to the enterprise
  const enterpriseId = await organisationOf(t, 'enterprise');
  let res = await t.http().post('/api/order-classes').set('Authorization', school).send({ name: '智能配电订单班', enterpriseId, majorCode: '460306' });
  expect(res.status).toBe(201);
  const id: number = res.body.id;
  expect(res.body).toMatchObject({
    name: '智能配电订单班',
    majorName: '电气自动化技术',
    enterprise: { organisationId: enterpriseId, invited: false },
    case: { state: 'draft' },
  });
  res = await classAct(t, 'school', id, { action: 'submit' });
  expect(res.status).toBe(409);
  expect(res.body.message).toContain('订单班信息不完整');
  expect(res.body.message).toContain('人才培养方案');

  // the form saved as typed (a stale version is refused), then the checklist attached
  const first = (await t.http().get(`/api/order-classes/${id}`).set('Authorization', school)).body;
  res = await t.http().put(`/api/order-classes/${id}`).set('Authorization', school).send(completeForm(first.dataVersion));
  expect(res.status).toBe(200);
  expect(res.body.employment).toMatchObject({ salaryMinYuan: 5000, salaryMaxYuan: 7000 });
  expect((await t.http().put(`/api/order-classes/${id}`).set('Authorization', school).send({ dataVersion: first.dataVersion, courses: 'x' })).status).toBe(409);
  res = await t.http().put(`/api/order-classes/${id}`).set('Authorization', school).send({ dataVersion: res.body.dataVersion, termEnd: '2020-01-01' });
  expect(res.status).toBe(400);
  expect(res.body.details[0].field).toBe('termEnd');
  const caseRef: string = first.caseRef;
  await attachChecklist(t, school, caseRef);

  // three students before filing (one by one), masked in the answer
  const students = [
    { name: '张伟', idNumber: makeIdNumber({ seq: 1, gender: 'male' }), gender: 'male', phone: makePhone(1) },
    { name: '李娜', idNumber: makeIdNumber({ seq: 2, gender: 'female' }), gender: 'female', phone: makePhone(2) },
    { name: '王强', idNumber: makeIdNumber({ seq: 3, gender: 'male' }), gender: 'male' },
  ];
  const studentIds: number[] = [];
  for (const s of students) {
    res = await t.http().post(`/api/order-classes/${id}/students`).set('Authorization', school).send(s);
    expect(res.status).toBe(201);
    expect(res.body.idNumberMasked).toBe(maskIdNumber(s.idNumber));
    expect(JSON.stringify(res.body)).not.toContain(s.idNumber);
    studentIds.push(res.body.id);
  }
  // the same person twice, and a gender that contradicts the ID number, are refused
  expect((await t.http().post(`/api/order-classes/${id}/students`).set('Authorization', school).send(students[0])).status).toBe(409);
  res = await t
    .http()
    .post(`/api/order-classes/${id}/students`)
    .set('Authorization', school)
    .send({ ...students[1], idNumber: makeIdNumber({ seq: 9, gender: 'male' }) });
  expect(res.status).toBe(400);
  expect(res.body.details).toEqual([{ field: 'gender', messages: ['性别与身份证号码不一致'] }]);

  // the school submits; the enterprise sees it among the classes to confirm and returns it with comments
  expect((await classAct(t, 'school', id, { action: 'submit' })).status).toBe(200);
  res = await t
    .http()
    .get('/api/order-classes')
    .set('Authorization', ent)
    .query({ filter: JSON.stringify({ state: 'enterprise_confirm' }) });
  expect(res.body.map((c: { id: number }) => c.id)).toContain(id);
  res = await classAct(t, 'enterprise', id, { action: 'return', comment: '岗位数与计划人数不一致', items: ['就业岗位数请调整为 40'] });
  expect(res.status).toBe(200);
  expect(res.body.case).toMatchObject({ state: 'returned', openReturn: { items: ['就业岗位数请调整为 40'] } });
  // the county cannot file what the enterprise has not co-signed
  expect((await classAct(t, 'county', id, { action: 'file' })).status).toBe(409);

  // the school corrects it and resubmits; the enterprise co-signs; the county bureau's inbox has it
  const returned = (await t.http().get(`/api/order-classes/${id}`).set('Authorization', school)).body;
  res = await t
    .http()
    .put(`/api/order-classes/${id}`)
    .set('Authorization', school)
    .send({
      dataVersion: returned.dataVersion,
      employment: { posts: [{ title: '电气装配技术员', openings: 40 }], salaryMinYuan: 5000, salaryMaxYuan: 7000, note: '' },
    });
  expect(res.status).toBe(200);
  expect((await classAct(t, 'school', id, { action: 'resubmit' })).body.case.state).toBe('enterprise_confirm');
  res = await classAct(t, 'enterprise', id, { action: 'confirm', comment: '同意合作' });
  expect(res.body.case.state).toBe('county_filing');
  const tasks = (await t.http().get('/api/tasks').set('Authorization', county)).body as Array<{ caseRef: string; stateLabel: string }>;
  expect(tasks.find((x) => x.caseRef === caseRef)).toMatchObject({ stateLabel: '县级备案' });
  res = await classAct(t, 'county', id, { action: 'file', comment: '材料齐全，予以备案' });
  expect(res.status).toBe(200);
  expect(res.body.case.state).toBe('active');

  // the receipt: issued through the documents service, readable by the school, verified publicly
  await t.drain();
  const docs = (
    await t
      .http()
      .get('/api/documents')
      .set('Authorization', school)
      .query({ filter: JSON.stringify({ caseId: Number(caseRef.split(':')[1]) }) })
  ).body;
  const receipt = docs.find((d: { kind: string }) => d.kind === 'order_class_receipt');
  expect(receipt).toMatchObject({ kindLabel: '订单班备案回执', holderName: '浙江工贸职业技术学院', status: 'valid' });
  expect(receipt.serial).toMatch(/^WZDD/);
  // the county bureau that filed it reads the class, so it lists the receipt and opens it (the documents' one read rule)
  const countyDocs = (
    await t
      .http()
      .get('/api/documents')
      .set('Authorization', county)
      .query({ filter: JSON.stringify({ kind: 'order_class_receipt' }) })
  ).body;
  expect(countyDocs.map((d: { id: number }) => d.id)).toContain(receipt.id);
  expect((await t.http().get(`/api/documents/${receipt.id}`).set('Authorization', county)).status).toBe(200);
  const verifyCode = receipt.verifyUrl.split('/').pop();
  expect((await t.http().get(`/api/verify/${verifyCode}`)).body).toMatchObject({
    kind: 'order_class_receipt',
    status: 'valid',
    holderName: '浙江工贸职业技术学院',
    authority: '鹿城区教育局',
  });
  const text = await pdfText(receipt.id, school);
  expect(text).toContain('订单班备案回执');
  expect(text).toContain('智能配电订单班');
  expect(text).toContain('电气自动化技术');

  // the filed class is cooperation evidence of the enterprise's certification application (linked, read-only)
  res = await t.http().post('/api/certification-applications').set('Authorization', ent).send({ year: 2026 });
  const application = (await t.http().get(`/api/certification-applications/${res.body.id}`).set('Authorization', ent)).body;
  expect(application.linkedEvidence).toEqual([
    expect.objectContaining({
      type: 'order_class',
      source: 'order_class',
      sourceRef: `order-classes/${id}`,
      schoolName: '浙江工贸职业技术学院',
      year: 2025,
      count: 3,
    }),
  ]);

  // while active: adding directly is refused; a leave and a join are recorded as actions with date and reason
  expect(
    (
      await t
        .http()
        .post(`/api/order-classes/${id}/students`)
        .set('Authorization', school)
        .send({ name: '赵六', idNumber: makeIdNumber({ seq: 4 }), gender: 'male' })
    ).status,
  ).toBe(409);
  const leaveOn = addDays(today, -10);
  const joinOn = addDays(today, -5);
  res = await t
    .http()
    .post(`/api/order-classes/${id}/changes`)
    .set('Authorization', school)
    .send({ kind: 'leave', studentId: studentIds[2], date: leaveOn, reason: '转专业' });
  expect(res.status).toBe(201);
  expect(res.body.case.state).toBe('active');
  const joiner = { name: '赵敏', idNumber: makeIdNumber({ seq: 5, gender: 'female' }), gender: 'female', phone: makePhone(5) };
  res = await t
    .http()
    .post(`/api/order-classes/${id}/changes`)
    .set('Authorization', school)
    .send({ kind: 'join', date: joinOn, reason: '插班', student: joiner });
  expect(res.status).toBe(201);
  // bad changes write nothing: a date in the future, a student not on the roster
  expect(
    (
      await t
        .http()
        .post(`/api/order-classes/${id}/changes`)
        .set('Authorization', school)
        .send({ kind: 'leave', studentId: studentIds[0], date: addDays(today, 1), reason: '测试' })
    ).status,
  ).toBe(400);
  expect(
    (
      await t
        .http()
        .post(`/api/order-classes/${id}/changes`)
        .set('Authorization', school)
        .send({ kind: 'leave', studentId: studentIds[2], date: today, reason: '再次退出' })
    ).status,
  ).toBe(400);
  const changes = (await t.http().get(`/api/order-classes/${id}/changes`).set('Authorization', school)).body;
  expect(changes.map((c: { kind: string; date: string; reason: string }) => [c.kind, c.date, c.reason])).toEqual([
    ['join', joinOn, '插班'],
    ['leave', leaveOn, '转专业'],
  ]);
  expect(changes[0].idNumberMasked).toBe(maskIdNumber(joiner.idNumber));

  // the roster at a date: before the leave, the leaver is on it and the joiner not; today the reverse
  const rosterAt = async (at: string) =>
    (
      (
        await t
          .http()
          .get(`/api/order-classes/${id}/students`)
          .set('Authorization', school)
          .query({ filter: JSON.stringify({ at }) })
      ).body as Array<{ name: string }>
    ).map((s) => s.name);
  expect((await rosterAt(addDays(today, -20))).sort()).toEqual(['张伟', '李娜', '王强'].sort());
  expect((await rosterAt(today)).sort()).toEqual(['张伟', '李娜', '赵敏'].sort());
  // the enterprise reads the roster, masked
  const entRoster = (await t.http().get(`/api/order-classes/${id}/students`).set('Authorization', ent)).body;
  expect(entRoster).toHaveLength(4);
  for (const s of students) expect(JSON.stringify(entRoster)).not.toContain(s.idNumber);

  // the audited reveal: the owning school sees the full values; the chain records it, masked
  res = await t.http().post(`/api/order-classes/${id}/students/${studentIds[0]}/reveal`).set('Authorization', school).send({ reason: '办理实习保险' });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ id: studentIds[0], name: '张伟', idNumber: students[0].idNumber, phone: students[0].phone });
  const events = (await t.http().get(`/api/cases/${caseRef}/events`).set('Authorization', school)).body as Array<{
    action: string;
    comment: string;
    payload: unknown;
  }>;
  const reveal = events.find((e) => e.action === 'reveal_personal_data')!;
  expect(reveal.comment).toBe('办理实习保险');
  expect(JSON.stringify(reveal.payload)).toContain(maskIdNumber(students[0].idNumber));
  expect(JSON.stringify(events)).not.toContain(students[0].idNumber);
  expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['submit', 'return', 'resubmit', 'confirm', 'file', 'record_leave', 'record_join']));
  expect((await t.http().get(`/api/cases/${caseRef}/events/verify`).set('Authorization', school)).body).toMatchObject({ valid: true });

  // completion: the school ends the training; the report needs every student's outcome
  expect((await classAct(t, 'school', id, { action: 'finish' })).body.case.state).toBe('reporting');
  res = await classAct(t, 'school', id, { action: 'report' });
  expect(res.status).toBe(409);
  expect(res.body.message).toContain('3 名学生未登记结业情况');
  const roster = (
    await t
      .http()
      .get(`/api/order-classes/${id}/students`)
      .set('Authorization', school)
      .query({ filter: JSON.stringify({ at: today }) })
  ).body as Array<{ id: number; name: string }>;
  const outcome: Record<string, Record<string, unknown>> = {
    张伟: { graduated: true, destination: 'enterprise' },
    李娜: { graduated: true, destination: 'further_study' },
    赵敏: { graduated: true, destination: 'enterprise' },
  };
  for (const s of roster) {
    res = await t.http().put(`/api/order-classes/${id}/students/${s.id}/outcome`).set('Authorization', school).send(outcome[s.name]);
    expect(res.status).toBe(200);
  }
  // a graduate without a destination is a 400 naming the field
  res = await t.http().put(`/api/order-classes/${id}/students/${roster[0].id}/outcome`).set('Authorization', school).send({ graduated: true });
  expect(res.status).toBe(400);
  res = await classAct(t, 'school', id, { action: 'report', comment: '结业报告' });
  expect(res.status).toBe(200);
  expect(res.body.case.state).toBe('closed');

  // employment rates are computed from the rows: 2 of 3 graduates with the enterprise, 2 of 3 employed
  const stats = (
    await t
      .http()
      .get('/api/order-classes/employment-stats')
      .set('Authorization', await auth('city'))
      .query({ group: 'class', filter: JSON.stringify({ id: [id] }) })
  ).body;
  expect(stats).toEqual([
    expect.objectContaining({
      key: String(id),
      classes: 1,
      students: 3,
      graduated: 3,
      employedByEnterprise: 2,
      employedElsewhere: 0,
      furtherStudy: 1,
      enterpriseRate: 0.6667,
      employmentRate: 0.6667,
    }),
  ]);
  const bySchool = (await t.http().get('/api/order-classes/employment-stats').set('Authorization', county).query({ group: 'county' })).body;
  expect(bySchool).toEqual([expect.objectContaining({ key: '330302', label: '鹿城区', graduated: 3 })]);
  const progress = (
    await t
      .http()
      .get('/api/order-classes/progress')
      .set('Authorization', await auth('city'))
  ).body;
  expect(progress).toMatchObject({ target: 200, filed: 1, closed: 1 });
});

it('invites an enterprise that has not registered by credit code and e-mail; it registers, accepts the mailed invitation and confirms', async () => {
  const school = await auth('school');
  const reg = registrationBody({ county: '330303', username: 'oc_invited' });
  reg.user.password = demoPassword();
  let res = await t
    .http()
    .post('/api/order-classes')
    .set('Authorization', school)
    .send({ name: '邀请企业订单班', invitedCreditCode: reg.organisation.creditCode, invitedEmail: 'hr@invited.example' });
  expect(res.status).toBe(201);
  expect(res.body.enterprise).toMatchObject({
    invited: true,
    creditCode: reg.organisation.creditCode,
    invitedEmail: 'hr@invited.example',
    organisationId: null,
  });
  const id = res.body.id;
  res = await t.http().put(`/api/order-classes/${id}`).set('Authorization', school).send(completeForm(res.body.dataVersion));
  await attachChecklist(t, school, res.body.caseRef);
  expect((await classAct(t, 'school', id, { action: 'submit' })).status).toBe(200);
  // the enterprise registers: that alone gives it nothing; the invitation mailed to it makes the class its to confirm
  expect((await t.http().post('/api/auth/register-enterprise').send(reg)).status).toBe(201);
  const list = async () =>
    (
      await t
        .http()
        .get('/api/order-classes')
        .set('Authorization', await auth('oc_invited'))
    ).body as unknown[];
  expect(await list()).toEqual([]);
  await t.drain();
  const accepted = await t
    .http()
    .post('/api/invitations/accept')
    .set('Authorization', await auth('oc_invited'))
    .send({ token: mailbox.tokenFor('hr@invited.example') });
  expect(accepted.status).toBe(200);
  expect(await list()).toHaveLength(1);
  const mine = (
    await t
      .http()
      .get('/api/order-classes')
      .set('Authorization', await auth('oc_invited'))
  ).body;
  expect(mine.map((c: { id: number }) => c.id)).toEqual([id]);
  expect(mine[0].enterprise).toMatchObject({ invited: false, name: reg.organisation.name });
  expect((await classAct(t, 'oc_invited', id, { action: 'confirm' })).body.case.state).toBe('county_filing');
  // a bad credit code is a 400 naming the field
  res = await t
    .http()
    .post('/api/order-classes')
    .set('Authorization', school)
    .send({ name: '错误代码', invitedCreditCode: '91330302MA2C8X1Y0X', invitedEmail: 'a@b.cn' });
  expect(res.status).toBe(400);
});

it('the school withdraws before filing; the bureau may refuse to file; both are final', async () => {
  const a = await draftClass(t, { name: '撤回测试班' });
  expect((await classAct(t, 'school', a.id, { action: 'submit' })).status).toBe(200);
  let res = await classAct(t, 'school', a.id, { action: 'withdraw', comment: '企业调整计划' });
  expect(res.body.case.state).toBe('withdrawn');
  const b = await draftClass(t, { name: '不予备案测试班' });
  await classAct(t, 'school', b.id, { action: 'submit' });
  await classAct(t, 'enterprise', b.id, { action: 'confirm' });
  expect((await classAct(t, 'county', b.id, { action: 'refuse' })).status).toBe(400);
  res = await classAct(t, 'county', b.id, { action: 'refuse', comment: '合作协议未盖章' });
  expect(res.body.case.state).toBe('not_filed');
  expect((await classAct(t, 'school', b.id, { action: 'withdraw' })).status).toBe(409);
});
