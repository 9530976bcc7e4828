import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays, addYears, chineseDate, endOfPortalDay, monthEnd, portalDate, portalToday, startOfPortalDay, weekday, type KpisDto } from '@portal/contracts';
import { OutboxService } from '@portal/core';
import { KpisService } from '@portal/reporting';
import { makeCreditCode, startTestApp, type TestApp } from '@portal/testing';
import { auth } from '../support/certification.js';
import { seedCertificationLedger } from '../support/dashboard-data.js';
import { bytesOf } from '../support/http.js';
import { organisationOf } from '../support/people.js';

/**
 * The city's monthly report (issue 12): a PDF through the documents service (serial, QR, public verification),
 * generated once per month whether the city asks twice, at once, or the worker's job runs twice; the job is armed
 * for the first working day after the month, on the portal's calendar. Its figures are as of the month's last day, whenever
 * it is made: a past December's report, made in a later year, gives the records as they stood on 31 December and that
 * year's money (rows written with past dates: no API backdates a decision, a payment or a filing).
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

/** The report's PDF as the city downloads it, saved as `name` in the test's directory; answers its path. */
async function download(documentId: string, name: string): Promise<string> {
  const res = await bytesOf(
    t
      .http()
      .get(`/api/documents/${documentId}/download`)
      .set('Authorization', await auth(t, 'city')),
  );
  expect(res.status).toBe(200);
  const file = path.join(dir, name);
  writeFileSync(file, res.body as Buffer);
  return file;
}

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

  const file = await download(docs[0].id, 'report.pdf');
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
  expect(text).toContain('产教融合工作月报');
  expect(text).toContain(`${month.slice(0, 4)}年${Number(month.slice(5))}月`);
  expect(text).toContain('市级产教融合型企业');
  expect(text).toContain('附表一 各县（市、区）主要指标');
  for (const county of ['鹿城区', '龙港市', '全市合计']) expect(text).toContain(county);
  // the figure printed is the one the records give at the end of the month, whenever the report is made
  expect(text.replace(/\s+/g, '')).toContain(`截至${chineseDate(monthEnd(month))}；`);
  const [{ n }] = await t.ds.query(
    `SELECT count(*)::int AS n FROM certifications
      WHERE level = 'city' AND certified_at <= $1 AND (revoked_at IS NULL OR (revoked_at AT TIME ZONE 'Asia/Shanghai')::date > $1)
        AND (valid_until IS NULL OR valid_until >= $1)`,
    [monthEnd(month)],
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

describe('a past month’s report', () => {
  /** December two years back: its report is made now, in a later year (as December's is, on the first working day of January). */
  const year = Number(portalToday().slice(0, 4)) - 2;
  const month = `${year}-12`;
  const end = monthEnd(month);
  const later = `${year + 1}`;
  /** an instant at hh:mm on a Wenzhou day */
  const at = (day: string, hh = 10, mm = 0) => new Date(startOfPortalDay(day).getTime() + (hh * 60 + mm) * 60_000);
  let blob: string;
  let school: number;
  let teacher: number;

  interface PastEntry {
    name: string;
    certifiedAt: string;
    revokedAt?: Date;
    subsidy?: {
      yuan: number;
      status: 'pending' | 'paid' | 'cancelled' | 'to_recover';
      paidAt?: string;
      noticeAt?: Date;
      noticeRevokedAt?: Date;
      /** when the ledger moved it to its status (cancelled, to_recover) */
      changedAt?: Date;
    };
  }

  /**
   * An enterprise of 鹿城区 with a city certification and its subsidy (granted on the day of certification), the
   * subsidy's notice and the ledger event that changed its status, written straight into the tables with past dates:
   * no API backdates a decision, a notice or a revocation. Answers the enterprise's id.
   */
  async function pastEntry(e: PastEntry): Promise<number> {
    const [{ id }] = await t.ds.query<Array<{ id: number }>>(
      `INSERT INTO organisations (kind, name, credit_code, county_code, industry, contact_phone) VALUES ('enterprise', $1, $2, '330302', 'electrical', '13800001234') RETURNING id`,
      [`往期月报企业${e.name}`, makeCreditCode('330302')],
    );
    const [{ id: cid }] = await t.ds.query<Array<{ id: string }>>(
      `INSERT INTO certifications (enterprise_id, level, source, certified_at, valid_until, revoked_at, revoke_reason)
       VALUES ($1, 'city', 'portal', $2, $3, $4, $5) RETURNING id`,
      [id, e.certifiedAt, addYears(e.certifiedAt, 3), e.revokedAt ?? null, e.revokedAt ? '测试撤销' : null],
    );
    const s = e.subsidy;
    if (!s) return id;
    const paid = s.status === 'paid' || s.status === 'to_recover';
    const [{ id: sid }] = await t.ds.query<Array<{ id: string }>>(
      `INSERT INTO subsidies (enterprise_id, level, certification_id, county_code, amount_fen, policy, status, voucher_no, paid_at, paid_amount_fen, created_at)
       VALUES ($1, 'city', $2, '330302', $3, 'full', $4, $5, $6, $7, $8) RETURNING id`,
      [id, cid, s.yuan * 100, s.status, paid ? `PZ-${e.name}` : null, s.paidAt ?? null, paid ? s.yuan * 100 : null, startOfPortalDay(e.certifiedAt)],
    );
    await t.ds.query(`INSERT INTO subsidy_events (subsidy_id, action, to_status, at) VALUES ($1, 'create', 'pending', $2)`, [
      sid,
      startOfPortalDay(e.certifiedAt),
    ]);
    if (s.changedAt)
      await t.ds.query(`INSERT INTO subsidy_events (subsidy_id, action, from_status, to_status, at) VALUES ($1, 'change', $2, $3, $4)`, [
        sid,
        s.status === 'to_recover' ? 'paid' : 'pending',
        s.status,
        s.changedAt,
      ]);
    if (s.noticeAt)
      await t.ds.query(
        `INSERT INTO documents (kind, serial, subject_key, generation, holder_org_id, holder_name, county_code, authority, facts, sha256, size, blob_key, verify_code, issued_at, revoked_at)
         VALUES ('subsidy_notice', $1, $2, 1, $3, $4, '330302', '温州市教育局', '[]', 'x', 4, $5, $6, $7, $8)`,
        [`TZ-past-${e.name}`, `subsidy:${sid}`, id, `往期月报企业${e.name}`, blob, `vpast${e.name}`, s.noticeAt, s.noticeRevokedAt ?? null],
      );
    return id;
  }

  /** An order class of the demo school with `enterprise`, filed (and terminated) at past instants. */
  async function pastClass(name: string, enterprise: number, filed: Date, ended?: Date): Promise<void> {
    const [{ id: caseId }] = await t.ds.query(
      `INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions, created_at)
       VALUES ('order-class', $1, $2, '330302', $3, $4, 1, $5) RETURNING id`,
      [ended ? 'terminated' : 'active', school, name, teacher, new Date(filed.getTime() - 20 * 86_400_000)],
    );
    await t.ds.query(`INSERT INTO case_parties (case_id, party, organisation_id) VALUES ($1, 'enterprise', $2)`, [caseId, enterprise]);
    await t.ds.query(
      `INSERT INTO order_classes (case_id, school_id, enterprise_id, name, major_code, cohort_year, filed_at, ended_at, filed_county_code, filed_industry)
       VALUES ($1, $2, $3, $4, '460306', $5, $6, $7, '330302', 'electrical')`,
      [caseId, school, enterprise, name, year, filed, ended ?? null],
    );
  }

  /** A practice record of the demo teacher hosted by `host`, counted (已认定) on `countedOn`. */
  async function pastRecord(host: number, start: string, endDate: string, countedOn: string): Promise<void> {
    await t.ds.query(
      `WITH c AS (INSERT INTO cases (workflow_key, state, owner_org_id, title, created_by, owner_user_id, submissions, decided_at)
                  VALUES ('practice-record', 'counted', $1, '往期实践', $2, $2, 1, $6) RETURNING id),
            p AS (INSERT INTO case_parties (case_id, party, organisation_id) SELECT id, 'host', $3 FROM c)
       INSERT INTO practice_records (case_id, teacher_id, school_id, start_date, end_date, hours, claimed_hours, form, content, counted, counted_on, counted_industry, created_by)
       SELECT id, $2, $1, $4, $5, 40, 40, 'post', '往期实践', true, $6, 'electrical', $2 FROM c`,
      [school, teacher, host, start, endDate, countedOn],
    );
  }

  const figure = (body: KpisDto, key: string) => body.indicators.find((k) => k.key === key)!.value;
  /** a sum of yuan as the report writes it */
  const wan = (yuan: number) => `${(yuan / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`;

  let entA: number;

  beforeAll(async () => {
    [{ key: blob }] = await t.ds.query(`INSERT INTO blobs (key, bytes, size, sha256) VALUES ('monthly-report-past', '\\x25504446', 4, 'x') RETURNING key`);
    school = await organisationOf(t, 'teacher');
    [{ id: teacher }] = await t.ds.query(`SELECT id FROM users WHERE username = 'teacher'`);

    // A: certified in March, its subsidy paid in November of that year — counted as paid in December's report
    entA = await pastEntry({
      name: 'A',
      certifiedAt: `${year}-03-10`,
      subsidy: { yuan: 12_345, status: 'paid', noticeAt: at(`${year}-03-20`), paidAt: `${year}-11-20` },
    });
    // B: certified on the first day after the month (and its subsidy paid the next year): in neither figure
    await pastEntry({
      name: 'B',
      certifiedAt: `${later}-01-01`,
      subsidy: { yuan: 23_456, status: 'paid', noticeAt: at(`${later}-01-05`), paidAt: `${later}-02-01` },
    });
    // C: standing at the month's end, revoked in January (its payment of 28 December to be recovered since): counted, and paid
    await pastEntry({
      name: 'C',
      certifiedAt: `${year}-06-01`,
      revokedAt: at(`${later}-01-10`),
      subsidy: {
        yuan: 34_567,
        status: 'to_recover',
        noticeAt: at(`${year}-06-10`),
        paidAt: `${year}-12-28`,
        changedAt: at(`${later}-01-10`),
        noticeRevokedAt: at(`${later}-01-10`, 10, 5),
      },
    });
    // D: revoked in December (its notified subsidy cancelled then): in neither figure
    await pastEntry({
      name: 'D',
      certifiedAt: `${year}-02-01`,
      revokedAt: at(`${year}-12-10`),
      subsidy: {
        yuan: 45_678,
        status: 'cancelled',
        noticeAt: at(`${year}-02-15`),
        changedAt: at(`${year}-12-10`),
        noticeRevokedAt: at(`${year}-12-10`, 10, 5),
      },
    });
    // E: notified in October, paid in January: notified awaiting payment at the month's end
    await pastEntry({
      name: 'E',
      certifiedAt: `${year}-10-01`,
      subsidy: { yuan: 56_789, status: 'paid', noticeAt: at(`${year}-10-15`), paidAt: `${later}-01-20` },
    });
    // F: certified on the month's last day, its notice issued in January: counted; the subsidy not yet notified
    await pastEntry({ name: 'F', certifiedAt: end, subsidy: { yuan: 67_891, status: 'pending', noticeAt: at(`${later}-01-03`) } });
    // G: notified in September, cancelled in February: notified awaiting payment at the month's end
    await pastEntry({
      name: 'G',
      certifiedAt: `${year}-09-01`,
      subsidy: {
        yuan: 78_912,
        status: 'cancelled',
        noticeAt: at(`${year}-09-10`),
        changedAt: at(`${later}-02-01`),
        noticeRevokedAt: at(`${later}-02-01`, 10, 5),
      },
    });

    // order classes with A: filed in May (counted); terminated in December (not); terminated in January (counted); filed at
    // 23:30 on the last day (counted) and at 00:30 on the first day after, still the 31st in UTC (not); filed in March after
    await pastClass('往期一班', entA, at(`${year}-05-01`));
    await pastClass('往期二班', entA, at(`${year}-04-01`), at(`${year}-12-15`));
    await pastClass('往期三班', entA, at(`${year}-03-01`), at(`${later}-01-02`));
    await pastClass('往期四班', entA, at(end, 23, 30));
    await pastClass('往期五班', entA, at(`${later}-01-01`, 0, 30));
    await pastClass('往期六班', entA, at(`${later}-03-01`));
    // practice hosted by A: counted in November and on the last day (counted); ended in December but counted in January (not)
    await pastRecord(entA, `${year}-11-01`, `${year}-11-20`, `${year}-11-30`);
    await pastRecord(entA, `${year}-12-01`, `${year}-12-10`, end);
    await pastRecord(entA, `${year}-12-11`, `${year}-12-20`, `${later}-01-05`);
  });

  it('gives the figures at the end of that month and that year’s money, whenever it is made; the dashboard’s are today’s', async () => {
    const kpis = t.app.get(KpisService);
    // one enterprise's figures as of the month's end, and today
    const asOfEnd = await kpis.compute(t.ds.manager, { kind: 'enterprise', orgId: entA }, end);
    expect(asOfEnd.asOf).toBe(endOfPortalDay(end).toISOString());
    expect(['certified_enterprises', 'subsidy_paid', 'subsidy_notified', 'order_classes', 'practice_person_times'].map((k) => figure(asOfEnd, k))).toEqual([
      1, 12_345, 0, 3, 2,
    ]);
    const now = await kpis.compute(t.ds.manager, { kind: 'enterprise', orgId: entA });
    expect(['certified_enterprises', 'subsidy_paid', 'subsidy_notified', 'order_classes', 'practice_person_times'].map((k) => figure(now, k))).toEqual([
      1, 0, 0, 4, 3,
    ]);

    // the school's (its classes, its teachers' records) and its county's, as of the month's end
    const ofSchool = await kpis.compute(t.ds.manager, { kind: 'school', orgId: school }, end);
    expect(['order_classes', 'practice_person_times'].map((k) => figure(ofSchool, k))).toEqual([3, 2]);
    const [{ county }] = await t.ds.query(`SELECT county_code AS county FROM organisations WHERE id = $1`, [school]);
    const ofCounty = await kpis.compute(t.ds.manager, { kind: 'county', countyCode: county }, end);
    expect(['order_classes', 'practice_person_times'].map((k) => figure(ofCounty, k))).toEqual([3, 2]);

    const res = await post('city', { month });
    expect(res.status).toBe(201);
    await t.drain();
    const [{ data }] = await t.ds.query<Array<{ data: KpisDto }>>(`SELECT data FROM monthly_reports WHERE month = $1`, [month]);
    expect(data.asOf).toBe(endOfPortalDay(end).toISOString());

    // the city's figures against the test's own reading of the records at the month's end (the ledger seeded in
    // beforeAll included), the next day's first instant the line
    const after = startOfPortalDay(addDays(end, 1));
    const certs = await t.ds.query<Array<{ certified_at: string; valid_until: string | null; revoked_at: Date | null }>>(
      `SELECT certified_at, valid_until, revoked_at FROM certifications WHERE level = 'city'`,
    );
    const certified = certs.filter((c) => c.certified_at <= end && (!c.revoked_at || c.revoked_at >= after) && (!c.valid_until || c.valid_until >= end)).length;
    const subsidies = await t.ds.query<
      Array<{
        status: string;
        amount_fen: string;
        paid_amount_fen: string | null;
        paid_at: string | null;
        created_at: Date;
        notices: Array<{ issued: string; revoked: string | null }> | null;
        events: Array<{ to: string; at: string }> | null;
      }>
    >(
      `SELECT s.status, s.amount_fen, s.paid_amount_fen, s.paid_at, s.created_at,
              (SELECT json_agg(json_build_object('issued', d.issued_at, 'revoked', d.revoked_at)) FROM documents d
                WHERE d.kind = 'subsidy_notice' AND d.subject_key = 'subsidy:' || s.id) AS notices,
              (SELECT json_agg(json_build_object('to', e.to_status, 'at', e.at)) FROM subsidy_events e WHERE e.subsidy_id = s.id) AS events
         FROM subsidies s`,
    );
    let paidYuan = 0;
    let notifiedYuan = 0;
    for (const s of subsidies) {
      const granted = s.created_at < after && portalDate(s.created_at).slice(0, 4) === String(year);
      const changedLater = (to: string) => (s.events ?? []).some((e) => e.to === to && new Date(e.at) >= after);
      const paidBy = s.paid_at !== null && s.paid_at <= end;
      const stillPaid = s.status === 'paid' || (['to_recover', 'recovered'].includes(s.status) && changedLater('to_recover'));
      const noticeStood = (s.notices ?? []).some((n) => new Date(n.issued) < after && (!n.revoked || new Date(n.revoked) >= after));
      const unpaidThen = s.status === 'pending' || (s.status !== 'cancelled' && !paidBy) || (s.status === 'cancelled' && changedLater('cancelled'));
      if (granted && paidBy && stillPaid) paidYuan += Number(s.paid_amount_fen) / 100;
      if (granted && noticeStood && unpaidThen) notifiedYuan += Number(s.amount_fen) / 100;
    }
    const classes = await t.ds.query<Array<{ filed_at: Date; ended_at: Date | null }>>(
      `SELECT filed_at, ended_at FROM order_classes WHERE filed_at IS NOT NULL`,
    );
    const filed = classes.filter((c) => c.filed_at < after && (!c.ended_at || c.ended_at >= after)).length;
    const [{ n: personTimes }] = await t.ds.query(`SELECT count(*)::int AS n FROM practice_records WHERE counted AND counted_on <= $1`, [end]);
    // the fixtures are in them: A's and C's payments, E's and G's notified sums, A's classes and records
    expect(paidYuan).toBeGreaterThanOrEqual(12_345 + 34_567);
    expect(notifiedYuan).toBeGreaterThanOrEqual(56_789 + 78_912);
    expect([filed, personTimes]).toEqual([3, 2]);
    expect(['certified_enterprises', 'subsidy_paid', 'subsidy_notified', 'order_classes', 'practice_person_times'].map((k) => figure(data, k))).toEqual([
      certified,
      paidYuan,
      notifiedYuan,
      filed,
      personTimes,
    ]);

    // the PDF says so: the month, 截至 its last day, the figures at that day
    const [doc] = await documentsOf(month);
    const text = execFileSync('pdftotext', ['-layout', await download(doc.id, 'past-report.pdf'), '-']).toString();
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(`现将${year}年12月产教融合工作主要指标`);
    expect(flat).toContain(`截至${year}年12月31日；`);
    expect(text).toMatch(new RegExp(`市级产教融合型企业：\\s*${certified} 家`));
    expect(text).toMatch(new RegExp(`本年度认定补助已拨付：\\s*${wan(paidYuan).replace('.', '\\.')}`));
    expect(text).toMatch(new RegExp(`本年度补助已通知待拨付：\\s*${wan(notifiedYuan).replace('.', '\\.')}`));
  });
});
