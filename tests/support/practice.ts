import { addDays, portalToday } from '@portal/contracts';
import { demoPassword, type TestApp } from '@portal/testing';

/**
 * Driving 教师入企实践 through the real HTTP API for the practice e2e tests: a school creates its teachers, a
 * teacher logs records, the host confirms (possibly fewer hours), the school approves.
 */

export interface Login {
  username: string;
  password?: string;
}

export const bearer = async (t: TestApp, who: string | Login): Promise<string> =>
  `Bearer ${typeof who === 'string' ? await t.token(who) : await t.token(who.username, who.password)}`;

export async function call(t: TestApp, who: string | Login, method: 'get' | 'post' | 'put', path: string, body?: unknown) {
  const http = t.http();
  const req = http[method](path).set('Authorization', await bearer(t, who));
  return body === undefined ? req : req.send(body as object);
}

let seq = 0;
/** A school admin creates a teacher of their school (demo password); answers the teacher's id and username. */
export async function newTeacher(t: TestApp, school = 'school', over: Record<string, unknown> = {}): Promise<{ id: number; username: string }> {
  seq += 1;
  const username = `pt_${process.pid}_${seq}`;
  const res = await call(t, school, 'post', '/api/teachers', {
    username,
    displayName: `实践教师${seq}`,
    password: demoPassword(),
    major: '电气自动化技术',
    employment: 'full_time',
    ...over,
  });
  if (res.status !== 201) throw new Error(`creating teacher failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, username };
}

/** A day `n` days before today (Wenzhou). */
export const daysAgo = (n: number): string => addDays(portalToday(), -n);

export interface RecordInput {
  hostOrgId?: number;
  hostCreditCode?: string;
  hostEmail?: string;
  postId?: number;
  startDate: string;
  endDate: string;
  hours: number;
  form?: string;
  content?: string;
  outcomes?: string;
}

export async function logRecord(t: TestApp, teacher: string | Login, r: RecordInput) {
  return call(t, teacher, 'post', '/api/practice-records', {
    form: 'post',
    content: '参与电气装配生产线的工艺流程与质量控制。',
    outcomes: '编写实训项目 1 个。',
    ...r,
  });
}

export async function actOn(t: TestApp, who: string | Login, id: number, body: Record<string, unknown>) {
  return call(t, who, 'post', `/api/practice-records/${id}/actions`, body);
}

/**
 * A record through the whole workflow to 已认定: the teacher submits, the host confirms `confirmHours` (default: as
 * claimed), the school approves. Answers the record id.
 */
export async function countedRecord(
  t: TestApp,
  teacher: string | Login,
  r: RecordInput,
  opts: { host?: string | Login; school?: string; confirmHours?: number } = {},
): Promise<number> {
  const created = await logRecord(t, teacher, r);
  if (created.status !== 201) throw new Error(`record failed: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as number;
  const steps: Array<[string | Login, Record<string, unknown>]> = [
    [teacher, { action: 'submit' }],
    [opts.host ?? 'enterprise', { action: 'confirm', data: { hours: opts.confirmHours ?? r.hours } }],
    [opts.school ?? 'school', { action: 'approve' }],
  ];
  for (const [who, body] of steps) {
    const res = await actOn(t, who, id, body);
    if (res.status !== 200) throw new Error(`${String(body.action)} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return id;
}

export async function ledger(t: TestApp, who: string | Login, teacherId: number, asOf?: string) {
  const res = await call(t, who, 'get', `/api/teachers/${teacherId}/ledger${asOf ? `?asOf=${asOf}` : ''}`);
  if (res.status !== 200) throw new Error(`ledger failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { hours: number; months: number; met: boolean; lastMetDate: string | null; records: Array<{ id: number }> };
}
