import { COUNTY_CODES, INDUSTRY_CODES, portalDate, portalToday, type KpiBucketDto, type KpiDto, type KpisDto, type TargetDto } from '@portal/contracts';
import { monthEnd } from '@portal/reporting';
import { startTestApp, type TestApp } from '@portal/testing';
import { auth, setSetting } from '../support/certification.js';
import { seedCertificationLedger } from '../support/dashboard-data.js';
import { organisationOf } from '../support/people.js';
import { actOn, daysAgo, logRecord, newTeacher } from '../support/practice.js';

/**
 * The dashboard (issue 12): every figure of GET /api/kpis against a count the test makes itself from the raw rows,
 * per scope (the city, one county, one enterprise); each figure's list link answers the same total; who may see
 * which scope; targets as data (CRUD, audited, admin only).
 */
let t: TestApp;
let today: string;

beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  await seedCertificationLedger(t, 48);
  today = portalToday();
});
afterAll(async () => {
  await t.close();
});

interface CertRow {
  level: string;
  certified_at: string;
  valid_until: string | null;
  revoked_at: Date | null;
  county_code: string;
  industry: string | null;
  org: number;
}
interface SubsidyRow {
  status: string;
  amount_fen: string;
  paid_amount_fen: string | null;
  paid_at: string | null;
  county_code: string;
  industry: string | null;
  org: number;
  noticed: boolean;
  /** the Wenzhou year it was granted, read by the test itself */
  year: string;
}

const rawCertifications = (): Promise<CertRow[]> =>
  t.ds.query(
    `SELECT c.level, c.certified_at, c.valid_until, c.revoked_at, o.county_code, o.industry, o.id AS org FROM certifications c JOIN organisations o ON o.id = c.enterprise_id`,
  );
const rawSubsidies = async (): Promise<SubsidyRow[]> =>
  (
    await t.ds.query<Array<Omit<SubsidyRow, 'year'> & { created_at: Date }>>(
      `SELECT s.status, s.amount_fen, s.paid_amount_fen, s.paid_at, s.county_code, o.industry, o.id AS org, s.created_at,
            s.id IN (SELECT substring(d.subject_key from 9)::bigint FROM documents d WHERE d.kind = 'subsidy_notice' AND d.revoked_at IS NULL) AS noticed
       FROM subsidies s JOIN organisations o ON o.id = s.enterprise_id`,
    )
  ).map((r) => ({ ...r, year: portalDate(r.created_at).slice(0, 4) }));
/** the subsidies granted this year, whose money the year's budget is measured against */
const thisYears = async () => (await rawSubsidies()).filter((s) => s.year === today.slice(0, 4));

/** standing city certification on `day` (the test's own reading of the rule) */
const standingOn = (c: CertRow, day: string) =>
  c.level === 'city' && c.certified_at <= day && (!c.revoked_at || portalDate(c.revoked_at) > day) && (!c.valid_until || c.valid_until >= day);
const standingNow = (c: CertRow) => c.level === 'city' && !c.revoked_at && (!c.valid_until || c.valid_until >= today);
const industryOf = (r: { industry: string | null }) => r.industry ?? 'other';
const sumYuan = (rows: SubsidyRow[], col: 'amount_fen' | 'paid_amount_fen') => rows.reduce((a, r) => a + Number(r[col] ?? 0), 0) / 100;

async function kpis(user: string, scope?: string) {
  return t
    .http()
    .get(`/api/kpis${scope ? `?scope=${encodeURIComponent(scope)}` : ''}`)
    .set('Authorization', await auth(t, user));
}
const indicator = (body: KpisDto, key: string): KpiDto => {
  const k = body.indicators.find((i) => i.key === key);
  if (!k) throw new Error(`no indicator ${key} in ${body.indicators.map((i) => i.key).join(',')}`);
  return k;
};
const bucket = (rows: KpiBucketDto[] | null, key: string) => rows!.find((b) => b.key === key)!;

/** the total the linked list answers (Content-Range), as the city reviewer who opens it */
async function listTotal(user: string, link: { resource: string; filter: Record<string, unknown> }): Promise<number> {
  const res = await t
    .http()
    .get(`/api/${link.resource}?range=[0,0]&filter=${encodeURIComponent(JSON.stringify(link.filter))}`)
    .set('Authorization', await auth(t, user));
  expect(res.status).toBe(200);
  return Number(/\/(\d+)$/.exec(res.headers['content-range'])![1]);
}

describe('the city', () => {
  it('sees city-certified enterprises (task 21) equal to its own count, split by county and industry, and the trend by month', async () => {
    const res = await kpis('city');
    expect(res.status).toBe(200);
    expect(res.body.scope).toEqual({ kind: 'city', code: 'city', label: '温州市' });
    const certs = await rawCertifications();
    const k = indicator(res.body, 'certified_enterprises');
    const standing = certs.filter(standingNow);
    expect(standing.length).toBeGreaterThan(10);
    expect(k).toMatchObject({ label: '市级产教融合型企业', unit: '家', seedTask: 21, value: standing.length, count: standing.length });
    expect(k.target).toMatchObject({ value: 100, deadline: '2025-12-31' });
    expect(k.progress).toBe(Math.round((standing.length / 100) * 1000) / 10);
    expect(k.byCounty!.map((b) => b.key)).toEqual(COUNTY_CODES);
    for (const code of COUNTY_CODES) expect(bucket(k.byCounty, code).value).toBe(standing.filter((c) => c.county_code === code).length);
    expect(bucket(k.byCounty, '330302').label).toBe('鹿城区');
    expect(k.byIndustry!.map((b) => b.key)).toEqual(INDUSTRY_CODES);
    for (const code of INDUSTRY_CODES) expect(bucket(k.byIndustry, code).value).toBe(standing.filter((c) => industryOf(c) === code).length);
    expect(bucket(k.byIndustry, 'other').value).toBeGreaterThan(0);
    expect(k.trend).toHaveLength(12);
    expect(k.trend![11].month).toBe(today.slice(0, 7));
    for (const p of k.trend!) expect(p.value).toBe(certs.filter((c) => standingOn(c, monthEnd(p.month))).length);
    // the trend moves: fewer standing a year ago than now
    expect(k.trend![0].value).toBeLessThan(k.trend![11].value!);
  });

  it('each bar opens a list whose total equals the bar (county, industry, the figure itself)', async () => {
    const k = indicator((await kpis('city')).body, 'certified_enterprises');
    expect(await listTotal('city', k.link!)).toBe(k.count);
    for (const b of [...k.byCounty!, ...k.byIndustry!]) expect(await listTotal('city', b.link!)).toBe(b.count);
    const paid = indicator((await kpis('city')).body, 'subsidy_paid');
    expect(await listTotal('city', paid.link!)).toBe(paid.count);
    for (const b of [...paid.byCounty!, ...paid.byIndustry!]) expect(await listTotal('city', b.link!)).toBe(b.count);
  });

  it('sees the year’s subsidy budget (setting) against this year’s subsidies: notified awaiting payment and paid (task 22)', async () => {
    await setSetting(t, 'certification.annualBudgetYuan', 1_234_000);
    const body: KpisDto = (await kpis('city')).body;
    const all = await rawSubsidies();
    const subsidies = all.filter((s) => s.year === today.slice(0, 4));
    // earlier years' subsidies are in the ledger but not in this year's figures
    expect(all.filter((s) => s.status === 'paid').length).toBeGreaterThan(subsidies.filter((s) => s.status === 'paid').length);
    expect(indicator(body, 'subsidy_budget')).toMatchObject({ value: 1_234_000, unit: '元', seedTask: 22 });
    const notified = subsidies.filter((s) => s.status === 'pending' && s.noticed);
    const paid = subsidies.filter((s) => s.status === 'paid');
    expect(notified.length).toBeGreaterThan(3);
    expect(indicator(body, 'subsidy_notified')).toMatchObject({ value: sumYuan(notified, 'amount_fen'), count: notified.length });
    expect(indicator(body, 'subsidy_paid')).toMatchObject({ value: sumYuan(paid, 'paid_amount_fen'), count: paid.length });
    for (const code of COUNTY_CODES) {
      expect(bucket(indicator(body, 'subsidy_notified').byCounty, code).value).toBe(
        sumYuan(
          notified.filter((s) => s.county_code === code),
          'amount_fen',
        ),
      );
      expect(bucket(indicator(body, 'subsidy_paid').byCounty, code).value).toBe(
        sumYuan(
          paid.filter((s) => s.county_code === code),
          'paid_amount_fen',
        ),
      );
    }
    // the year's payments so far at the end of each month, starting again in January
    for (const p of indicator(body, 'subsidy_paid').trend!)
      expect(p.value).toBe(
        sumYuan(
          all.filter((s) => s.status === 'paid' && s.year === p.month.slice(0, 4) && s.paid_at! <= monthEnd(p.month)),
          'paid_amount_fen',
        ),
      );
    const notifiedLink = indicator(body, 'subsidy_notified').link!;
    expect(await listTotal('city', notifiedLink)).toBe(notified.length);
  });

  it('the subsidy list filters by year of grant (Wenzhou year), and names a malformed year', async () => {
    const all = await rawSubsidies();
    for (const year of [...new Set(all.map((s) => s.year))])
      expect(await listTotal('city', { resource: 'subsidies', filter: { year: Number(year) } })).toBe(all.filter((s) => s.year === year).length);
    for (const year of ['1999', 'this', '2026.5', '[2026]']) {
      const res = await t
        .http()
        .get(`/api/subsidies?filter=${encodeURIComponent(`{"year":${JSON.stringify(year)}}`)}`)
        .set('Authorization', await auth(t, 'city'));
      expect({ year, status: res.status, message: res.body.message }).toEqual({ year, status: 400, message: expect.stringContaining('year') });
    }
  });

  it('every target of the plan has a figure computed by a feature (none left at 暂无数据)', async () => {
    const body: KpisDto = (await kpis('city')).body;
    for (const [key, value, task] of [
      ['certified_enterprises', 100, 21],
      ['order_classes', 200, 30],
      ['practice_person_times', 10000, 47],
      ['part_time_teacher_share', 20, 44],
      ['double_qualified_share', 90, 48],
    ] as const) {
      const k = indicator(body, key);
      expect(k).toMatchObject({ seedTask: task, target: { value, deadline: '2025-12-31' } });
      // computed by a feature: a count of records (a share without teachers has no value yet, 暂无数据, but a count of 0)
      expect([key, typeof k.count]).toEqual([key, 'number']);
    }
  });

  it('may look at one county or one enterprise; an unknown enterprise is a 404, a malformed scope a 400', async () => {
    expect((await kpis('admin', 'county:330303')).body.scope).toMatchObject({ kind: 'county', label: '龙湾区' });
    const bad = await kpis('city', 'province');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('scope');
    expect((await kpis('city', 'county:110101')).status).toBe(400);
    expect((await kpis('city', 'enterprise:999999999')).status).toBe(404);
  });
});

describe('a county', () => {
  it('sees its own county only, the same figures as its own count', async () => {
    const res = await kpis('county');
    expect(res.status).toBe(200);
    expect(res.body.scope).toEqual({ kind: 'county', code: 'county:330302', label: '鹿城区' });
    const certs = (await rawCertifications()).filter((c) => c.county_code === '330302');
    const k = indicator(res.body, 'certified_enterprises');
    expect(k.value).toBe(certs.filter(standingNow).length);
    expect(k.byCounty).toBeNull();
    for (const code of INDUSTRY_CODES) expect(bucket(k.byIndustry, code).value).toBe(certs.filter(standingNow).filter((c) => industryOf(c) === code).length);
    for (const p of k.trend!) expect(p.value).toBe(certs.filter((c) => standingOn(c, monthEnd(p.month))).length);
    expect(await listTotal('county', k.link!)).toBe(k.count);
    for (const b of k.byIndustry!) expect(await listTotal('county', b.link!)).toBe(b.count);
    const subsidies = (await thisYears()).filter((s) => s.county_code === '330302');
    expect(indicator(res.body, 'subsidy_paid').value).toBe(
      sumYuan(
        subsidies.filter((s) => s.status === 'paid'),
        'paid_amount_fen',
      ),
    );
    // the budget is the city's
    expect(res.body.indicators.find((i: KpiDto) => i.key === 'subsidy_budget')).toBeUndefined();
    // the city's figures are not its business, nor another county's
    expect((await kpis('county', 'city')).status).toBe(403);
    expect((await kpis('county', 'county:330303')).status).toBe(403);
    expect((await kpis('county', 'county:330302')).status).toBe(200);
  });
});

describe('an enterprise, a school and the rest', () => {
  it('an enterprise sees its own certification and subsidy, and nobody else’s', async () => {
    const org = await organisationOf(t, 'enterprise');
    const [cert] = await t.ds.query(`SELECT id FROM certifications WHERE enterprise_id = $1`, [org]);
    if (!cert) {
      // the demo enterprise: certified this year, its subsidy paid
      const [{ id }] = await t.ds.query(
        `INSERT INTO certifications (enterprise_id, level, source, certified_at, valid_until) VALUES ($1, 'city', 'portal', $2, $3) RETURNING id`,
        [org, today, `${Number(today.slice(0, 4)) + 3}${today.slice(4)}`],
      );
      await t.ds.query(
        `INSERT INTO subsidies (enterprise_id, level, certification_id, county_code, amount_fen, policy, status, voucher_no, paid_at, paid_amount_fen)
         VALUES ($1, 'city', $2, '330302', 5000000, 'full', 'paid', 'PZ-DEMO', $3, 5000000)`,
        [org, id, today],
      );
    }
    const res = await kpis('enterprise');
    expect(res.status).toBe(200);
    expect(res.body.scope).toMatchObject({ kind: 'enterprise', code: `enterprise:${org}` });
    const own = (await rawCertifications()).filter((c) => c.org === org);
    expect(indicator(res.body, 'certified_enterprises').value).toBe(own.filter(standingNow).length);
    expect(indicator(res.body, 'certified_enterprises').value).toBe(1);
    const ownSubsidies = (await thisYears()).filter((s) => s.org === org && s.status === 'paid');
    expect(indicator(res.body, 'subsidy_paid')).toMatchObject({ value: sumYuan(ownSubsidies, 'paid_amount_fen'), count: ownSubsidies.length });
    expect(indicator(res.body, 'certified_enterprises').byCounty).toBeNull();
    expect(await listTotal('enterprise', indicator(res.body, 'certified_enterprises').link!)).toBe(1);
    // its own scope named explicitly is fine; the city's or another enterprise's is not
    expect((await kpis('enterprise', `enterprise:${org}`)).status).toBe(200);
    expect((await kpis('enterprise', 'city')).status).toBe(403);
    expect((await kpis('enterprise', `enterprise:${org + 1}`)).status).toBe(403);
    // the city may open the enterprise's numbers: the same figures
    const asCity = await kpis('city', `enterprise:${org}`);
    expect(indicator(asCity.body, 'certified_enterprises').value).toBe(1);
  });

  it('a school admin sees its school; a teacher or an expert has no dashboard figures (403); nobody signed out', async () => {
    const school = await kpis('school');
    expect(school.status).toBe(200);
    expect(school.body.scope).toMatchObject({ kind: 'school', label: '浙江工贸职业技术学院' });
    // certification's figures are an enterprise's: none of them applies to a school
    expect(school.body.indicators.filter((i: KpiDto) => i.key.startsWith('certified') || i.key.startsWith('subsidy'))).toEqual([]);
    expect((await kpis('teacher')).status).toBe(403);
    expect((await kpis('expert1')).status).toBe(403);
    expect((await t.http().get('/api/kpis')).status).toBe(401);
  });

  it('numbers follow the records at once (never cached): a revocation lowers the city count', async () => {
    const before = indicator((await kpis('city')).body, 'certified_enterprises').value!;
    const [c] = await t.ds.query(
      `SELECT c.id FROM certifications c WHERE c.level = 'city' AND c.revoked_at IS NULL AND (c.valid_until IS NULL OR c.valid_until >= $1) ORDER BY c.id LIMIT 1`,
      [today],
    );
    await t.ds.query(`UPDATE certifications SET revoked_at = now(), revoke_reason = '测试' WHERE id = $1`, [c.id]);
    expect(indicator((await kpis('city')).body, 'certified_enterprises').value).toBe(before - 1);
  });
});

describe('targets', () => {
  const targetsAs = async (user: string, query = '') =>
    t
      .http()
      .get(`/api/targets${query}`)
      .set('Authorization', await auth(t, user));

  it('everyone signed in reads the plan’s targets in the list dialect (sort, range, filter, getMany)', async () => {
    const res = await targetsAs('teacher', `?sort=${encodeURIComponent('["seedTask","ASC"]')}&range=[0,2]`);
    expect(res.status).toBe(200);
    expect(res.headers['content-range']).toMatch(/^targets 0-2\/\d+$/);
    expect(res.body.map((r: TargetDto) => r.seedTask)).toEqual([21, 30, 44]);
    const cityOnly = await targetsAs('county', `?filter=${encodeURIComponent('{"countyCode":"city"}')}`);
    expect(cityOnly.body.every((r: TargetDto) => r.countyCode === null)).toBe(true);
    const ids = res.body.slice(0, 2).map((r: TargetDto) => r.id);
    const many = await targetsAs('school', `?filter=${encodeURIComponent(JSON.stringify({ id: ids }))}`);
    expect(many.body.map((r: TargetDto) => r.id).sort()).toEqual([...ids].sort());
    expect((await targetsAs('city', `?sort=${encodeURIComponent('["password","ASC"]')}`)).status).toBe(400);
    expect((await targetsAs('city', `?filter=${encodeURIComponent('{"id":["x"]}')}`)).status).toBe(400);
    const one = await targetsAs('enterprise', `/${ids[0]}`);
    expect(one.body).toMatchObject({ id: ids[0], indicator: 'certified_enterprises', value: 100, unit: '家' });
    expect((await t.http().get('/api/targets')).status).toBe(401);
  });

  it('an admin creates, edits and deletes a target; each change is kept (who, when, before, after); others may not', async () => {
    const admin = await auth(t, 'admin');
    const body = {
      indicator: 'certified_enterprises',
      label: '市级产教融合型企业',
      unit: '家',
      value: 12,
      deadline: '2026-12-31',
      seedTask: 21,
      countyCode: '330302',
    };
    for (const who of ['city', 'county', 'enterprise']) {
      const refused = await t
        .http()
        .post('/api/targets')
        .set('Authorization', await auth(t, who))
        .send(body);
      expect(refused.status).toBe(403);
    }
    const created = await t.http().post('/api/targets').set('Authorization', admin).send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, version: 1, updatedByName: '系统管理员' });
    const dup = await t.http().post('/api/targets').set('Authorization', admin).send(body);
    expect(dup.status).toBe(409);

    // the county's dashboard now shows its own target
    const county = indicator((await kpis('county')).body, 'certified_enterprises');
    expect(county.target).toMatchObject({ id: created.body.id, value: 12 });

    const edited = await t.http().put(`/api/targets/${created.body.id}`).set('Authorization', admin).send({ value: 15, version: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ value: 15, version: 2 });
    const stale = await t.http().put(`/api/targets/${created.body.id}`).set('Authorization', admin).send({ value: 16, version: 1 });
    expect(stale.status).toBe(409);
    const byCity = await t
      .http()
      .put(`/api/targets/${created.body.id}`)
      .set('Authorization', await auth(t, 'city'))
      .send({ value: 1 });
    expect(byCity.status).toBe(403);
    expect(indicator((await kpis('county')).body, 'certified_enterprises').target!.value).toBe(15);

    const removed = await t.http().delete(`/api/targets/${created.body.id}`).set('Authorization', admin);
    expect(removed.status).toBe(200);
    expect((await targetsAs('admin', `/${created.body.id}`)).status).toBe(404);
    const history = await t.http().get(`/api/targets/${created.body.id}/history`).set('Authorization', admin);
    expect(history.body.map((h: { action: string }) => h.action)).toEqual(['delete', 'update', 'create']);
    expect(history.body[1]).toMatchObject({ actorName: '系统管理员', before: { value: 12 }, after: { value: 15 } });
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM target_changes WHERE target_id = $1 AND actor_id IS NOT NULL`, [created.body.id]);
    expect(n).toBe(3);
  });

  it('bad input is a 400 naming each field, in Chinese, and writes nothing', async () => {
    const admin = await auth(t, 'admin');
    const [{ n: before }] = await t.ds.query(`SELECT count(*)::int AS n FROM targets`);
    const res = await t
      .http()
      .post('/api/targets')
      .set('Authorization', admin)
      .send({ indicator: 'Bad Key', label: 'x', unit: '', value: -1, deadline: '2025-02-30x', seedTask: 99, countyCode: '999999' });
    expect(res.status).toBe(400);
    const fields = (res.body.details as Array<{ field: string }>).map((d) => d.field).sort();
    expect(fields).toEqual(['countyCode', 'deadline', 'indicator', 'label', 'seedTask', 'unit', 'value']);
    expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    const unknown = await t
      .http()
      .post('/api/targets')
      .set('Authorization', admin)
      .send({ indicator: 'x_y', label: '测试', unit: '个', value: 1, deadline: '2026-01-01', seedTask: 1, id: 5 });
    expect(unknown.status).toBe(400);
    const [{ n: after }] = await t.ds.query(`SELECT count(*)::int AS n FROM targets`);
    expect(after).toBe(before);
  });
});

describe('workload', () => {
  const COUNTY = '330324';
  /** days ago → instant */
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
  let reviewerId: number;
  let returnedId: number;

  beforeAll(async () => {
    // cases of one county whose stages were entered and left at known instants (the audit chain written directly)
    const owner = await organisationOf(t, 'enterprise');
    const creator = await userId('enterprise');
    reviewerId = await userId('county');
    const journeys: Array<{ countyDays: number; cityDays: number | null; assignee: number | null; due: number }> = [
      { countyDays: 3, cityDays: 12, assignee: null, due: -5 },
      { countyDays: 7, cityDays: 20, assignee: reviewerId, due: 4 },
      { countyDays: 11, cityDays: 30, assignee: reviewerId, due: -1 },
      { countyDays: 2, cityDays: null, assignee: null, due: 6 },
    ];
    for (const [i, j] of journeys.entries()) {
      const start = 60 + i * 3;
      const submitted = ago(start);
      const recommended = ago(start - j.countyDays);
      const [{ id }] = await t.ds.query(
        `INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions, stage_entered_at, stage_due_at)
         VALUES ('certification', $1, $2, $3, $4, $5, 1, $6, $7) RETURNING id`,
        [
          j.cityDays === null ? 'city_review' : 'panel',
          owner,
          COUNTY,
          `工作量测试${i}`,
          creator,
          j.cityDays === null ? recommended : ago(start - j.countyDays - j.cityDays),
          ago(j.due * -1),
        ],
      );
      const events: Array<[string | null, string, Date]> = [
        [null, 'draft', ago(start + 5)],
        ['draft', 'county_review', submitted],
        // a claim inside the stage (no change of state) does not restart it
        ['county_review', 'county_review', ago(start - 1)],
        ['county_review', 'city_review', recommended],
      ];
      if (j.cityDays !== null) events.push(['city_review', 'panel', ago(start - j.countyDays - j.cityDays)]);
      for (const [seq, [from, to, at]] of events.entries())
        await t.ds.query(`INSERT INTO case_events (case_id, seq, action, from_state, to_state, at, hash) VALUES ($1, $2, 'test', $3, $4, $5, 'h')`, [
          id,
          seq + 1,
          from,
          to,
          at,
        ]);
      await t.ds.query(
        `INSERT INTO tasks (case_id, state, kind, role, county_code, assignee_id, due_at) VALUES ($1, $2, 'review', 'city_reviewer', NULL, $3, $4)`,
        [id, j.cityDays === null ? 'city_review' : 'panel', j.assignee, ago(-j.due)],
      );
    }
    // and a case sent back to the enterprise (退回补正) long ago, its applicant's task overdue: it waits on the
    // enterprise, not on a reviewer, so no stage count, no reviewer's or 未认领 count, no overdue, not the longest waiting
    const [{ id: returned }] = await t.ds.query(
      `INSERT INTO cases (workflow_key, state, owner_org_id, county_code, title, created_by, submissions, stage_entered_at, stage_due_at)
       VALUES ('certification', 'returned', $1, $2, '工作量测试退回补正', $3, 1, $4, $5) RETURNING id`,
      [owner, COUNTY, creator, ago(400), ago(390)],
    );
    returnedId = Number(returned);
    await t.ds.query(
      `INSERT INTO tasks (case_id, state, kind, role, organisation_id, assignee_id, due_at) VALUES ($1, 'returned', 'applicant', 'owner', $2, NULL, $3)`,
      [returned, owner, ago(390)],
    );
  });

  async function userId(username: string): Promise<number> {
    const [row] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [username]);
    return row.id;
  }

  async function calendar() {
    const rows: Array<{ day: string; kind: 'holiday' | 'workday' }> = await t.ds.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_days`);
    return new Map(rows.map((r) => [r.day, r.kind]));
  }

  it('open and overdue tasks per stage and per reviewer, medians per stage from the audit events, the longest waiting: as the test counts them', async () => {
    const { workingDaysBetween, median } = await import('@portal/workflow');
    const res = await t
      .http()
      .get(`/api/workload?countyCode=${COUNTY}`)
      .set('Authorization', await auth(t, 'city'));
    expect(res.status).toBe(200);
    const w = res.body as import('@portal/contracts').WorkloadDto;
    const raw = await t.ds.query<Array<{ state: string; due_at: Date; assignee_id: number | null }>>(
      `SELECT t.state, t.due_at, t.assignee_id FROM tasks t, cases c WHERE c.id = t.case_id AND c.county_code = $1 AND t.status = 'open' AND t.kind = 'review'`,
      [COUNTY],
    );
    const now = Date.now();
    for (const s of ['city_review', 'panel']) {
      const rows = raw.filter((r) => r.state === s);
      expect(w.byStage.find((b) => b.state === s)).toMatchObject({
        workflowKey: 'certification',
        open: rows.length,
        overdue: rows.filter((r) => r.due_at.getTime() < now).length,
      });
    }
    expect(w.byStage.find((b) => b.state === 'panel')!.stateLabel).toBe('专家评审');
    // 退回补正 is the enterprise's stage: counted neither by stage (as the medians leave it out) nor anywhere else
    expect(w.byStage.every((b) => b.state !== 'draft' && b.state !== 'returned')).toBe(true);
    expect(w.overdue).toBe(raw.filter((r) => r.due_at.getTime() < now).length);
    expect(w.overdue).toBe(2);
    expect(w.byReviewer.find((r) => r.userId === reviewerId)).toMatchObject({
      open: raw.filter((r) => r.assignee_id === reviewerId).length,
      name: '鹿城区教育局审核员',
    });
    expect(w.byReviewer.find((r) => r.userId === null)).toMatchObject({ name: '未认领', open: raw.filter((r) => r.assignee_id === null).length });

    // medians: the test pairs each stage's entry and exit itself (LAG over the chain, skipping in-stage events)
    const cal = await calendar();
    const passages = await t.ds.query<Array<{ state: string; entered: Date; left: Date }>>(
      `WITH moves AS (SELECT e.case_id, e.seq, e.from_state, e.to_state, e.at FROM case_events e JOIN cases c ON c.id = e.case_id
                       WHERE c.county_code = $1 AND e.from_state IS DISTINCT FROM e.to_state),
            paired AS (SELECT from_state AS state, lag(at) OVER (PARTITION BY case_id ORDER BY seq) AS entered, at AS left_at,
                              lag(to_state) OVER (PARTITION BY case_id ORDER BY seq) AS prev_to FROM moves)
       SELECT state, entered, left_at AS left FROM paired WHERE state = prev_to`,
      [COUNTY],
    );
    for (const s of ['county_review', 'city_review']) {
      const days = passages.filter((p) => p.state === s).map((p) => workingDaysBetween(p.entered, p.left, cal));
      expect(w.medianDays.find((m) => m.state === s)).toMatchObject({ passages: days.length, medianWorkingDays: median(days) });
    }
    expect(w.medianDays.find((m) => m.state === 'county_review')!.passages).toBe(4);
    expect(w.medianDays.find((m) => m.state === 'city_review')!.passages).toBe(3);
    // the applicant's own time (draft) is not workload
    expect(w.medianDays.find((m) => m.state === 'draft')).toBeUndefined();

    const longest = await t.ds.query<Array<{ id: string }>>(
      `SELECT c.id FROM cases c WHERE c.county_code = $1 AND c.id IN (SELECT case_id FROM tasks WHERE status = 'open' AND kind = 'review') ORDER BY c.stage_entered_at, c.id LIMIT 10`,
      [COUNTY],
    );
    expect(w.longestWaiting.map((c) => c.caseId)).toEqual(longest.map((r) => Number(r.id)));
    expect(w.longestWaiting.map((c) => c.caseId)).not.toContain(returnedId);
    expect(w.longestWaiting[0].workingDays).toBeGreaterThan(w.longestWaiting.at(-1)!.workingDays - 1);
  });

  it('the city sees every county; a county reviewer its own county only; nobody else', async () => {
    const all = await t
      .http()
      .get('/api/workload')
      .set('Authorization', await auth(t, 'admin'));
    // every open task of the cases reviewers read (not the teachers' practice workflows: the schools' and hosts' work)
    const [{ n }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM tasks t JOIN cases c ON c.id = t.case_id
        WHERE t.status = 'open' AND t.kind <> 'applicant' AND c.workflow_key NOT IN ('practice-record', 'practice-application')`,
    );
    expect(all.body.countyCode).toBeNull();
    expect(all.body.byStage.reduce((a: number, s: { open: number }) => a + s.open, 0)).toBe(n);
    const county = await t
      .http()
      .get('/api/workload')
      .set('Authorization', await auth(t, 'county'));
    expect(county.status).toBe(200);
    expect(county.body.countyCode).toBe('330302');
    expect(county.body.longestWaiting.every((c: { countyCode: string }) => c.countyCode === '330302')).toBe(true);
    const other = await t
      .http()
      .get(`/api/workload?countyCode=${COUNTY}`)
      .set('Authorization', await auth(t, 'county'));
    expect(other.status).toBe(403);
    for (const who of ['enterprise', 'finance', 'expert1', 'teacher'])
      expect(
        (
          await t
            .http()
            .get('/api/workload')
            .set('Authorization', await auth(t, who))
        ).status,
      ).toBe(403);
    const bad = await t
      .http()
      .get('/api/workload?countyCode=123')
      .set('Authorization', await auth(t, 'city'));
    expect(bad.status).toBe(400);
  });

  it("leaves out the teachers' practice, which the bureaus neither work nor open: every case it lists opens", async () => {
    // a record of a teacher of the county's school awaiting its host's and school's confirmation: their work, not the bureau's
    const teacher = await newTeacher(t);
    const rec = await logRecord(t, teacher.username, {
      hostOrgId: await organisationOf(t, 'enterprise'),
      startDate: daysAgo(30),
      endDate: daysAgo(21),
      hours: 40,
    });
    expect(rec.status).toBe(201);
    expect((await actOn(t, teacher.username, rec.body.id, { action: 'submit' })).status).toBe(200);
    // and the longest-waiting case of the county, so that it would head the list
    await t.ds.query(`UPDATE cases SET stage_entered_at = now() - interval '400 days' WHERE id = $1`, [Number(String(rec.body.caseRef).split(':')[1])]);
    for (const who of ['county', 'city']) {
      const res = await t
        .http()
        .get('/api/workload')
        .set('Authorization', await auth(t, who));
      expect(res.status).toBe(200);
      const w = res.body as import('@portal/contracts').WorkloadDto;
      expect(w.byStage.filter((s) => s.workflowKey.startsWith('practice'))).toEqual([]);
      expect(w.medianDays.filter((s) => s.workflowKey.startsWith('practice'))).toEqual([]);
      expect(w.longestWaiting.map((c) => c.workflowKey).filter((k) => k.startsWith('practice'))).toEqual([]);
      for (const c of w.longestWaiting)
        expect([
          c.caseId,
          (
            await t
              .http()
              .get(`/api/cases/${c.workflowKey}:${c.caseId}`)
              .set('Authorization', await auth(t, who))
          ).status,
        ]).toEqual([c.caseId, 200]);
    }
  });
});
