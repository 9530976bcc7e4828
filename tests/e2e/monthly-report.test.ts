import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays, portalToday, startOfPortalDay, weekday } from '@portal/contracts';
import { OutboxService } from '@portal/core';
import { startTestApp, type TestApp } from '@portal/testing';
import { auth } from '../support/certification.js';
import { seedCertificationLedger } from '../support/dashboard-data.js';

/**
 * The city's monthly report (issue 12): a PDF through the documents service (serial, QR, public verification),
 * generated once per month whether the city asks twice, at once, or the worker's job runs twice; the job is armed
 * for the first working day after the month, on the portal's calendar.
 */
let t: TestApp;
const dir = mkdtempSync(path.join(tmpdir(), 'monthly-report-'));
const thisMonth = () => portalToday().slice(0, 7);
const monthBefore = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number);
  const k = y * 12 + (m - 1) - n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
};

beforeAll(async () => {
  t = await startTestApp();
  await seedCertificationLedger(t, 24);
});
afterAll(async () => {
  await t.close();
});

const post = async (user: string, body: Record<string, unknown>) =>
  t
    .http()
    .post('/api/reports/monthly')
    .set('Authorization', await auth(t, user))
    .send(body);

const documentsOf = async (month: string) =>
  t.ds.query<Array<{ id: string; serial: string; verify_code: string }>>(
    `SELECT id, serial, verify_code FROM documents WHERE kind = 'monthly_report' AND subject_key = $1`,
    [`monthly-report:${month}`],
  );

it('the city asks for last month’s report: one PDF with the indicators and the tables by county, verifiable publicly; asking again answers the same', async () => {
  const month = monthBefore(thisMonth(), 1);
  const first = await post('city', {});
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ month, created: true, requestedByName: '市教育局审核员' });
  await t.drain();
  const again = await post('admin', { month });
  expect(again.status).toBe(200);
  expect(again.body.created).toBe(false);
  expect(again.body.document).toMatchObject({ kind: 'monthly_report', kindLabel: '产教融合工作月报', status: 'valid' });
  await t.drain();
  const docs = await documentsOf(month);
  expect(docs).toHaveLength(1);
  expect(docs[0].serial).toMatch(/^WZYB-\d{4}-\d{5}$/);
  expect(again.body.document.id).toBe(Number(docs[0].id));

  const res = await t
    .http()
    .get(`/api/documents/${docs[0].id}/download`)
    .set('Authorization', await auth(t, 'city'))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  const file = path.join(dir, 'report.pdf');
  writeFileSync(file, res.body as Buffer);
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
  expect(text).toContain('产教融合工作月报');
  expect(text).toContain(`${month.slice(0, 4)}年${Number(month.slice(5))}月`);
  expect(text).toContain('市级产教融合型企业');
  expect(text).toContain('附表一 各县（市、区）主要指标');
  for (const county of ['鹿城区', '龙港市', '全市合计']) expect(text).toContain(county);
  // the figure printed is the one the records give
  const [{ n }] = await t.ds.query(
    `SELECT count(*)::int AS n FROM certifications WHERE level = 'city' AND revoked_at IS NULL AND (valid_until IS NULL OR valid_until >= $1)`,
    [portalToday()],
  );
  expect(text).toMatch(new RegExp(`${n} 家，目标 100 家`));
  // the teachers' shares (tasks 44, 48) have nobody to divide by here (no teacher profile): 暂无数据 in the facts and in
  // every county's cell, never "0 %"
  const [{ teachers }] = await t.ds.query(`SELECT count(*)::int AS teachers FROM teacher_profiles`);
  expect(teachers).toBe(0);
  expect(text).toMatch(/兼职教师占比：\s*暂无数据/);
  expect(text).not.toMatch(/(^|[^\d.])0 %/m);
  expect(
    Number(
      execFileSync('pdfinfo', [file])
        .toString()
        .match(/Pages:\s+(\d+)/)![1],
    ),
  ).toBeGreaterThanOrEqual(2);

  const verify = await t.http().get(`/api/verify/${docs[0].verify_code}`);
  expect(verify.status).toBe(200);
  expect(verify.body).toMatchObject({ kind: 'monthly_report', serial: docs[0].serial, status: 'valid', authority: '温州市教育局', holderName: '温州市教育局' });
});

it('two requests at once for the same month make one report and one document', async () => {
  const month = monthBefore(thisMonth(), 2);
  const [a, b] = await Promise.all([post('city', { month }), post('city2', { month })]);
  expect([a.status, b.status].sort()).toEqual([200, 201]);
  await t.drain();
  expect(await documentsOf(month)).toHaveLength(1);
  const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM monthly_reports WHERE month = $1`, [month]);
  expect(n).toBe(1);
});

it('the worker’s job, run twice for a month, issues it once and arms the next month’s on its first working day', async () => {
  const month = monthBefore(thisMonth(), 3);
  const outbox = t.app.get(OutboxService);
  // the job as the schedule leaves it, made due now; and the same job a second time (a retry, a second worker)
  await outbox.enqueue(t.ds.manager, 'reporting.monthly-report', { month }, { dedupeKey: `monthly-report-job:${month}` });
  await t.drain();
  await outbox.enqueue(t.ds.manager, 'reporting.monthly-report', { month }, { dedupeKey: `monthly-report-job:${month}:again` });
  await t.drain();
  expect(await documentsOf(month)).toHaveLength(1);
  const [report] = await t.ds.query(`SELECT requested_by FROM monthly_reports WHERE month = $1`, [month]);
  expect(report.requested_by).toBeNull();
  const next = monthBefore(thisMonth(), 2);
  const [armed] = await t.ds.query(`SELECT available_at FROM outbox WHERE dedupe_key = $1`, [`monthly-report-job:${next}`]);
  expect(armed).toBeDefined();
});

it('the current month’s report is armed at start for the first working day of the next month, 08:00 in Wenzhou (holidays and 调休 counted)', async () => {
  const month = thisMonth();
  const [y, m] = month.split('-').map(Number);
  let day = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const calendar = new Map(
    (await t.ds.query<Array<{ day: string; kind: string }>>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_days`)).map((r) => [r.day, r.kind]),
  );
  const working = (d: string) => (calendar.has(d) ? calendar.get(d) === 'workday' : weekday(d) !== 0 && weekday(d) !== 6);
  while (!working(day)) day = addDays(day, 1);
  const [armed] = await t.ds.query(`SELECT payload, available_at FROM outbox WHERE dedupe_key = $1`, [`monthly-report-job:${month}`]);
  expect(armed.payload).toEqual({ month });
  expect((armed.available_at as Date).toISOString()).toBe(new Date(startOfPortalDay(day).getTime() + 8 * 3_600_000).toISOString());
});

it('only the city generates or reads reports; only past months; bad input is a 400', async () => {
  for (const who of ['county', 'enterprise', 'finance', 'expert1']) expect((await post(who, {})).status).toBe(403);
  const current = await post('city', { month: thisMonth() });
  expect(current.status).toBe(400);
  expect(JSON.stringify(current.body)).toContain('month');
  expect((await post('city', { month: '2026-13' })).status).toBe(400);
  expect((await post('city', { month: 202610 })).status).toBe(400);
  expect((await post('city', { month: '2026-10', extra: 1 })).status).toBe(400);
  const read = await t
    .http()
    .get(`/api/reports/monthly/${monthBefore(thisMonth(), 1)}`)
    .set('Authorization', await auth(t, 'county'));
  expect(read.status).toBe(403);
  const none = await t
    .http()
    .get('/api/reports/monthly/2001-01')
    .set('Authorization', await auth(t, 'city'));
  expect(none.status).toBe(404);
  const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM monthly_reports WHERE month >= $1`, [thisMonth()]);
  expect(n).toBe(0);
});
