import { execFileSync } from 'node:child_process';
import { chineseDate } from '@portal/contracts';
import { startTestApp, type TestApp } from '@portal/testing';
import { bytesOf } from '../support/http.js';
import { organisationOf } from '../support/people.js';
import { call, countedRecord, daysAgo, newTeacher, type Login } from '../support/practice.js';

/**
 * The 5-year summary (教师企业实践汇总证明): it lists every counted record of the window (on further pages when
 * the first is full), its stated total is the sum of the listed hours, it is a new document once another record
 * is counted (the same document while nothing changed), and it verifies publicly like the certificate.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function summaryOf(teacher: Login, teacherId: number): Promise<{ subjectKey: string; id: number; verifyUrl: string }> {
  const res = await call(t, teacher, 'post', `/api/teachers/${teacherId}/summary`);
  expect(res.status).toBe(202);
  await t.drain();
  const again = await call(t, teacher, 'post', `/api/teachers/${teacherId}/summary`);
  expect(again.body.subjectKey).toBe(res.body.subjectKey);
  expect(again.body.documentId).toEqual(expect.any(Number));
  const doc = await call(t, teacher, 'get', `/api/documents/${again.body.documentId}`);
  expect(doc.body).toMatchObject({ kind: 'practice_summary', status: 'valid' });
  return { subjectKey: res.body.subjectKey, id: again.body.documentId, verifyUrl: doc.body.verifyUrl };
}

async function textOf(teacher: Login, id: number): Promise<string[]> {
  const pdf = await bytesOf(
    t
      .http()
      .get(`/api/documents/${id}/download`)
      .set('Authorization', `Bearer ${await t.token(teacher.username, teacher.password)}`),
  );
  expect(pdf.status).toBe(200);
  const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.body as Buffer }).toString();
  return text.split('\n').map((line) => line.replace(/\s+/g, ''));
}

describe('the 5-year summary', () => {
  it('lists all 16 counted records of the window with their total, is a new document once another is counted, and verifies publicly', async () => {
    const created = await newTeacher(t);
    const teacher: Login = { username: created.username };
    // 16 counted records of 10 to 25 hours each, 20 days apart
    const periods = Array.from({ length: 16 }, (_, i) => ({ startDate: daysAgo(20 * i + 15), endDate: daysAgo(20 * i + 6), hours: 10 + i }));
    for (const p of periods) await countedRecord(t, teacher.username, { hostOrgId: await organisationOf(t, 'enterprise'), ...p });
    const total = periods.reduce((s, p) => s + p.hours, 0);

    const first = await summaryOf(teacher, created.id);
    const lines = await textOf(teacher, first.id);
    for (const p of periods) expect(lines).toContainEqual(expect.stringContaining(`${chineseDate(p.startDate)}至${chineseDate(p.endDate)}：`));
    for (const p of periods) expect(lines.join('')).toContain(`，${p.hours}学时`);
    expect(lines.join('')).toContain(`累计${total}学时`);

    // asking again without change answers the same document
    expect((await summaryOf(teacher, created.id)).id).toBe(first.id);

    // another record counted the same day: a new summary with the new total and the new record
    const late = { startDate: daysAgo(5), endDate: daysAgo(1), hours: 30 };
    await countedRecord(t, teacher.username, { hostOrgId: await organisationOf(t, 'enterprise'), ...late });
    const second = await summaryOf(teacher, created.id);
    expect(second.id).not.toBe(first.id);
    expect(second.subjectKey).not.toBe(first.subjectKey);
    const after = await textOf(teacher, second.id);
    expect(after.join('')).toContain(`累计${total + late.hours}学时`);
    expect(after).toContainEqual(expect.stringContaining(`${chineseDate(late.startDate)}至${chineseDate(late.endDate)}：`));
    for (const p of periods) expect(after).toContainEqual(expect.stringContaining(`${chineseDate(p.startDate)}至${chineseDate(p.endDate)}：`));

    // both verify publicly, as the certificate does
    for (const s of [first, second]) {
      const verified = await t.http().get(`/api/verify/${String(s.verifyUrl).split('/').pop()}`);
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ kindLabel: '教师企业实践汇总证明', status: 'valid', holderName: expect.stringMatching(/^实践教师\d+（.+）$/) });
    }
  });
});
