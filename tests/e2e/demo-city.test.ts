import { COUNTY_CODES, INDUSTRY_CODES, isValidCreditCode, type KpisDto } from '@portal/contracts';
import { createFieldCipher, InlineJobRunner, JobRegistry } from '@portal/core';
import { certificationWorkflow, recordWorkflow } from '@portal/certification';
import { orderClassWorkflow } from '@portal/order-classes';
import { practiceApplicationWorkflow, practiceWorkflow } from '@portal/practice';
import { MAX_DOCUMENTS, runSeeds } from '@portal/seeds';
import { demoPassword, startTestApp, type TestApp } from '@portal/testing';
import { verifyChain, type WorkflowDefinition } from '@portal/workflow';

/**
 * The demo city (issue 12, "a portal that is alive on first start"): the generator at the demo size on a test
 * database — every county and industry has enterprises, every state the workflows and ledgers name is present,
 * every case's hash chain and head verify with the engine's own verifier, sealed personal data opens with the
 * product's cipher, a second run adds nothing, and each demo persona's lists and the dashboard answer with data.
 */
let t: TestApp;

/** A file as the signed-in user downloads it, its bytes in `body`. */
const download = (path: string, authorization: string) =>
  t
    .http()
    .get(path)
    .set('Authorization', authorization)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
const none = () => undefined;
const definitions: WorkflowDefinition[] = [
  certificationWorkflow(none),
  orderClassWorkflow({ complete: none, hasStudents: none, outcomesReported: none }, async () => {}),
  practiceWorkflow,
];

/** every workflow the city has cases of: the three above, 千企万岗 applications and the provincial and national records */
const chains: WorkflowDefinition[] = [...definitions, practiceApplicationWorkflow, recordWorkflow(none)];

const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await t.ds.query<Array<{ n: string }>>(sql, params))[0].n);
const tableCounts = async () =>
  t.ds.query<Array<{ t: string; n: string }>>(
    `SELECT 'organisations' t, count(*) n FROM organisations UNION ALL SELECT 'users', count(*) FROM users UNION ALL SELECT 'cases', count(*) FROM cases
     UNION ALL SELECT 'events', count(*) FROM case_events UNION ALL SELECT 'tasks', count(*) FROM tasks UNION ALL SELECT 'records', count(*) FROM practice_records
     UNION ALL SELECT 'students', count(*) FROM order_class_students UNION ALL SELECT 'outbox', count(*) FROM outbox`,
  );

beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  const result = await runSeeds(t.config.databaseUrl!, { demoPassword: demoPassword(), citySize: 120, config: t.config });
  expect(result?.created).toBe(true);
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe('the demo city', () => {
  it('has enterprises with valid credit codes in all 12 counties and every 5+5+N industry', async () => {
    const rows = await t.ds.query<Array<{ county_code: string; industry: string; credit_code: string }>>(
      `SELECT county_code, industry, credit_code FROM organisations WHERE kind = 'enterprise'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(120);
    expect(new Set(rows.map((r) => r.county_code))).toEqual(new Set(COUNTY_CODES));
    expect(new Set(rows.map((r) => r.industry))).toEqual(new Set(INDUSTRY_CODES));
    expect(rows.filter((r) => !isValidCreditCode(r.credit_code))).toEqual([]);
  });

  it('holds every state of each workflow, of the subsidy ledger, of posts, applications and order-class rosters', async () => {
    for (const def of definitions) {
      const states = (await t.ds.query<Array<{ state: string }>>(`SELECT DISTINCT state FROM cases WHERE workflow_key = $1`, [def.key])).map((r) => r.state);
      // a provincial record's 'revoked' is the only state a city application cannot reach by a certification of its own
      expect([def.key, new Set(states)]).toEqual([def.key, new Set(Object.keys(def.states))]);
    }
    const subsidy = (await t.ds.query<Array<{ status: string }>>(`SELECT DISTINCT status FROM subsidies`)).map((r) => r.status);
    expect(new Set(subsidy)).toEqual(new Set(['pending', 'paid', 'cancelled', 'to_recover', 'recovered']));
    expect(await count(`SELECT count(*) n FROM certifications WHERE revoked_at IS NOT NULL`)).toBeGreaterThan(0);
    // applications are cases of their own workflow: every state but the draft, which applying never leaves behind
    const apps = (await t.ds.query<Array<{ state: string }>>(`SELECT DISTINCT c.state FROM practice_applications a JOIN cases c ON c.id = a.case_id`)).map(
      (r) => r.state,
    );
    expect(new Set(apps)).toEqual(new Set(['applied', 'school_approved', 'accepted', 'school_declined', 'declined', 'withdrawn', 'post_ended']));
    expect(await count(`SELECT count(DISTINCT employment || dual_qualified::text) n FROM teacher_profiles`)).toBe(4);
    // months of the last three years with a counted practice record: a trend, not a flat line
    expect(await count(`SELECT count(DISTINCT date_trunc('month', counted_on)) n FROM practice_records WHERE counted`)).toBeGreaterThan(24);
    // practice records never overlap for a teacher (the table's exclusion constraint let them all in) and counted ones carry their day
    expect(await count(`SELECT count(*) n FROM practice_records WHERE counted AND counted_on IS NULL`)).toBe(0);
  });

  it('keeps the engine consistent: every chain verifies, open tasks only at the stage a case is in', async () => {
    const cases = await t.ds.query<Array<{ id: string; workflow_key: string; state: string; version: number; event_count: number }>>(
      `SELECT id, workflow_key, state, version, event_count FROM cases`,
    );
    const broken: unknown[] = [];
    for (const c of cases) {
      const def = chains.find((d) => d.key === c.workflow_key)!;
      const verdict = await verifyChain(t.ds.manager, Number(c.id), {
        state: c.state,
        version: c.version,
        eventCount: c.event_count,
        transitionActions: new Set(def.transitions.map((x) => x.action)),
      });
      if (!verdict.valid) broken.push({ case: c, verdict });
    }
    expect(broken).toEqual([]);
    expect(await count(`SELECT count(*) n FROM tasks k JOIN cases c ON c.id = k.case_id WHERE k.status = 'open' AND k.state <> c.state`)).toBe(0);
    // the demo reviewers have pending work, with deadlines
    for (const [role, county] of [
      ['county_reviewer', '330302'],
      ['city_reviewer', null],
    ] as const) {
      expect(
        await count(`SELECT count(*) n FROM tasks WHERE status = 'open' AND role = $1 AND county_code IS NOT DISTINCT FROM $2 AND due_at IS NOT NULL`, [
          role,
          county,
        ]),
      ).toBeGreaterThan(0);
    }
    // the outbox is not flooded on first start: one timer job per case on 公示, and the documents of the city's past
    // (at most MAX_DOCUMENTS), no more
    expect(await count(`SELECT count(*) n FROM outbox WHERE processed_at IS NULL AND job_name = 'workflow.timer'`)).toBe(
      await count(`SELECT count(*) n FROM cases WHERE state = 'publicity'`),
    );
    const documents = await count(`SELECT count(*) n FROM outbox WHERE processed_at IS NULL AND job_name = 'documents.issue'`);
    expect(documents).toBeLessThanOrEqual(MAX_DOCUMENTS);
    expect(await count(`SELECT count(*) n FROM outbox WHERE processed_at IS NULL`)).toBe(
      documents + (await count(`SELECT count(*) n FROM cases WHERE state = 'publicity'`)),
    );
    expect(
      await count(
        `SELECT count(*) n FROM timers t JOIN cases c ON c.id = t.case_id WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL AND c.state <> t.state`,
      ),
    ).toBe(0);
  });

  it('gives the demo county reviewer an order class of their county to file (县级备案), in their inbox', async () => {
    const filter = JSON.stringify({ status: 'open', workflowKey: 'order-class', state: 'county_filing' });
    const res = await t
      .http()
      .get(`/api/tasks?filter=${encodeURIComponent(filter)}`)
      .set('Authorization', `Bearer ${await t.token('county')}`);
    expect(res.status).toBe(200);
    expect((res.body as Array<{ countyCode: string }>).length).toBeGreaterThanOrEqual(1);
    const [{ jurisdiction }] = await t.ds.query<Array<{ jurisdiction: string }>>(`SELECT jurisdiction FROM users WHERE username = 'county'`);
    expect((res.body as Array<{ countyCode: string }>).every((r) => r.countyCode === jurisdiction)).toBe(true);
  });

  it('seals rosters with the product cipher', async () => {
    const cipher = await createFieldCipher(t.config, t.ds);
    const [s] = await t.ds.query<Array<{ id_sealed: Buffer; id_lookup: Buffer; id_masked: string }>>(
      `SELECT id_sealed, id_lookup, id_masked FROM order_class_students LIMIT 1`,
    );
    const id = cipher.open(s.id_sealed);
    expect(id).toMatch(/^\d{17}[\dX]$/);
    expect(cipher.lookupHash(id).equals(s.id_lookup)).toBe(true);
    expect(s.id_masked).toBe(`${id.slice(0, 6)}********${id.slice(-4)}`);
  });

  it('adds nothing on a second run', async () => {
    const before = await tableCounts();
    const again = await runSeeds(t.config.databaseUrl!, { demoPassword: demoPassword(), citySize: 120, config: t.config });
    expect(again?.created).toBe(false);
    expect(await tableCounts()).toEqual(before);
  });

  it("answers each persona's main lists and the dashboard with data", async () => {
    const lists: Record<string, string[]> = {
      admin: ['/api/kpis', '/api/certification-applications', '/api/order-classes', '/api/subsidies', '/api/certifications'],
      city: ['/api/kpis', '/api/tasks', '/api/certification-applications', '/api/order-classes'],
      city2: ['/api/tasks'],
      county: ['/api/kpis', '/api/tasks', '/api/certification-applications', '/api/order-classes'],
      expert1: ['/api/tasks'],
      finance: ['/api/subsidies'],
      enterprise: ['/api/certification-applications', '/api/order-classes', '/api/practice-posts', '/api/tasks'],
      school: ['/api/order-classes', '/api/practice-records', '/api/teachers', '/api/tasks'],
      teacher: ['/api/practice-records', '/api/practice-applications'],
    };
    for (const [user, paths] of Object.entries(lists)) {
      const token = `Bearer ${await t.token(user)}`;
      for (const path of paths) {
        const res = await t.http().get(path).set('Authorization', token);
        expect([user, path, res.status, res.status === 200 ? '' : JSON.stringify(res.body)]).toEqual([user, path, 200, '']);
        const empty = Array.isArray(res.body) ? res.body.length === 0 : Object.keys(res.body ?? {}).length === 0;
        expect([user, path, empty]).toEqual([user, path, false]);
      }
    }
    const kpis = await t
      .http()
      .get('/api/kpis')
      .set('Authorization', `Bearer ${await t.token('city')}`);
    // every target of the plan shows a figure: certified enterprises, order classes, person-times, the two shares
    const figures = Object.fromEntries((kpis.body as KpisDto).indicators.map((k) => [k.key, k.value]));
    for (const key of ['certified_enterprises', 'order_classes', 'practice_person_times', 'part_time_teacher_share', 'double_qualified_share'])
      expect([key, (figures[key] ?? 0) > 0]).toEqual([key, true]);
    // the order-class trend reads the filing instant kept on the class, as the feature writes it
    const [{ missing }] = await t.ds.query<Array<{ missing: number }>>(
      `SELECT count(*)::int AS missing FROM order_classes oc JOIN cases c ON c.id = oc.case_id
        WHERE c.state IN ('active', 'reporting', 'closed') AND oc.filed_at IS NULL`,
    );
    expect(missing).toBe(0);
  });

  it('issues the documents of its past through the documents service: certificates, notices, receipts, practice certificates', async () => {
    // requested the way the features request them: one job per subject, under the feature's key, none failing
    const requested = await count(`SELECT count(*) n FROM outbox WHERE job_name = 'documents.issue'`);
    const [{ counts }] = await t.ds.query<Array<{ counts: Record<string, number> }>>(`SELECT counts FROM seed_runs WHERE name = 'demo-city'`);
    expect(requested).toBe(counts.certificates + counts.subsidyNotices + counts.orderClassReceipts + counts.practiceCertificates);
    // what `npm start`'s in-process runner does after the seed (this app runs without jobs, so that the checks above
    // see the outbox as the seed left it)
    await new InlineJobRunner(t.ds, t.app.get(JobRegistry)).drain();
    expect(await count(`SELECT count(*) n FROM outbox WHERE job_name = 'documents.issue' AND (processed_at IS NULL OR last_error IS NOT NULL)`)).toBe(0);
    expect(await count(`SELECT count(*) n FROM documents`)).toBe(requested);
    // the demo city is small enough to hold every document its decisions bring
    expect(requested).toBeLessThan(MAX_DOCUMENTS);

    // every standing city certification has exactly one live certificate, dated the day it was decided; every
    // revoked one's certificate reads revoked with the revocation's reason
    const standing = await t.ds.query<Array<{ id: string; live: number; same_day: boolean }>>(
      `SELECT c.id, count(d.id) FILTER (WHERE d.revoked_at IS NULL)::int AS live,
              bool_and((d.issued_at AT TIME ZONE 'Asia/Shanghai')::date = c.certified_at) AS same_day
         FROM certifications c LEFT JOIN documents d ON d.kind = 'certificate' AND d.subject_key = 'certification:' || c.id
        WHERE c.level = 'city' AND c.revoked_at IS NULL AND c.valid_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date GROUP BY c.id`,
    );
    expect(standing.length).toBeGreaterThan(10);
    expect(standing.filter((c) => c.live !== 1 || !c.same_day)).toEqual([]);
    const revoked = await t.ds.query<Array<{ revoked_at: Date | null; revoke_reason: string | null }>>(
      `SELECT d.revoked_at, d.revoke_reason FROM certifications c JOIN documents d ON d.kind = 'certificate' AND d.subject_key = 'certification:' || c.id
        WHERE c.revoked_at IS NOT NULL`,
    );
    expect(revoked.length).toBeGreaterThan(0);
    for (const d of revoked) expect([d.revoked_at !== null, d.revoke_reason?.startsWith('认定资格已撤销：')]).toEqual([true, true]);

    // the ledger agrees with its notices: a subsidy awaiting payment is notified (its notice stands) or not yet (the
    // newest third: no notice), a paid one's notice stands and predates the payment, a cancelled, to-recover or
    // recovered one's is revoked and says so
    const ledger = await t.ds.query<Array<{ status: string; live: number; dead: number; label: string | null; notice_day: string; paid_on: string | null }>>(
      `SELECT s.status, count(d.id) FILTER (WHERE d.revoked_at IS NULL)::int AS live, count(d.id) FILTER (WHERE d.revoked_at IS NOT NULL)::int AS dead,
              min(ds.status_label) AS label, to_char(min(d.issued_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS notice_day, to_char(s.paid_at, 'YYYY-MM-DD') AS paid_on
         FROM subsidies s LEFT JOIN documents d ON d.kind = 'subsidy_notice' AND d.subject_key = 'subsidy:' || s.id
         LEFT JOIN document_subjects ds ON ds.kind = 'subsidy_notice' AND ds.subject_key = 'subsidy:' || s.id
        GROUP BY s.id`,
    );
    const wrong = ledger.filter(
      (s) =>
        (s.status === 'paid' ? s.live !== 1 || s.dead !== 0 : s.status === 'pending' ? s.live > 1 || s.dead !== 0 : s.live !== 0 || s.dead !== 1) ||
        (s.paid_on !== null && s.notice_day > s.paid_on) ||
        (s.status === 'cancelled' && s.label !== '已撤销') ||
        (s.status === 'to_recover' && s.label !== '已撤销（补助待追回）') ||
        (s.status === 'recovered' && s.label !== '已追回'),
    );
    expect(wrong).toEqual([]);
    const pending = ledger.filter((s) => s.status === 'pending');
    const withNotice = pending.filter((s) => s.live === 1).length;
    expect([withNotice > 0, pending.length - withNotice]).toEqual([true, Math.floor(pending.length / 3)]);
    expect(pending.length - withNotice).toBeGreaterThan(0);
    const finance = `Bearer ${await t.token('admin')}`;
    const notified = await t
      .http()
      .get('/api/subsidies')
      .query({ filter: JSON.stringify({ status: 'notified' }), range: '[0,0]' })
      .set('Authorization', finance);
    const waiting = await t
      .http()
      .get('/api/subsidies')
      .query({ filter: JSON.stringify({ status: 'pending' }), range: '[0,0]' })
      .set('Authorization', finance);
    expect([notified.status, waiting.status]).toEqual([200, 200]);
    const total = (res: { headers: Record<string, string> }) => Number(/\/(\d+)$/.exec(res.headers['content-range'] ?? '')?.[1]);
    expect([total(notified), total(waiting)]).toEqual([withNotice, pending.length - withNotice]);

    // every filed order class has its receipt, every counted practice record its certificate
    expect(
      await count(
        `SELECT count(*) n FROM order_classes oc WHERE oc.filed_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.kind = 'order_class_receipt' AND d.subject_key = 'order-class:' || oc.id)`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*) n FROM practice_records r WHERE r.counted
            AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.kind = 'practice_certificate' AND d.subject_key = 'practice-record:' || r.id AND d.revoked_at IS NULL)`,
      ),
    ).toBe(0);

    // serials: gap-free and unique per kind and year, the series' counter at its last number, in the order of the dates
    const series = await t.ds.query<Array<{ kind: string; year: number; n: number; last: number; max: number; ordered: boolean }>>(
      `SELECT d.kind, x.year, count(*)::int AS n, max(x.no)::int AS max, min(s.last)::int AS last,
              bool_and(x.prev_at IS NULL OR x.prev_at <= d.issued_at) AS ordered
         FROM documents d
         CROSS JOIN LATERAL (SELECT split_part(d.serial, '-', 2)::int AS year, split_part(d.serial, '-', 3)::int AS no) y
         JOIN LATERAL (SELECT y.year, y.no, lag(d2.issued_at) OVER (ORDER BY d2.serial) AS prev_at, d2.id FROM documents d2
                        WHERE d2.kind = d.kind AND split_part(d2.serial, '-', 2)::int = y.year) x ON x.id = d.id
         JOIN document_serials s ON s.kind = d.kind AND s.year = x.year
        GROUP BY d.kind, x.year`,
    );
    expect(series.length).toBeGreaterThan(4);
    expect(series.filter((r) => r.n !== r.max || r.last !== r.n || !r.ordered)).toEqual([]);
    expect(await count(`SELECT count(*) - count(DISTINCT serial) n FROM documents`)).toBe(0);

    // the demo enterprise downloads its certificate, a real PDF; its QR code's page answers for it
    const enterprise = `Bearer ${await t.token('enterprise')}`;
    const [cert] = await t.ds.query<Array<{ id: string; verify_code: string; serial: string }>>(
      `SELECT d.id, d.verify_code, d.serial FROM documents d JOIN users u ON u.organisation_id = d.holder_org_id
        WHERE u.username = 'enterprise' AND d.kind = 'certificate' AND d.revoked_at IS NULL`,
    );
    expect(cert).toBeDefined();
    const pdf = await download(`/api/documents/${cert.id}/download`, enterprise);
    expect([pdf.status, (pdf.body as Buffer).subarray(0, 5).toString()]).toEqual([200, '%PDF-']);
    const page = await t.http().get(`/verify/${cert.verify_code}`);
    expect([page.status, page.text.includes(cert.serial), page.text.includes('有效')]).toEqual([200, true, true]);
    const api = await t.http().get(`/api/verify/${cert.verify_code}`);
    expect([api.status, api.body.serial, api.body.status]).toEqual([200, cert.serial, 'valid']);
    const list = await t
      .http()
      .get('/api/documents')
      .query({ filter: JSON.stringify({ kind: 'certificate' }) })
      .set('Authorization', enterprise);
    expect([list.status, (list.body as unknown[]).length]).toEqual([200, 1]);
  }, 300_000);

  it('has provincial and national certifications recorded by the city or proposed to it, with their subsidies', async () => {
    const recorded = await t.ds.query<Array<{ level: string; state: string; document_no: string; subsidy: string | null }>>(
      `SELECT c.level, k.state, c.document_no, s.status AS subsidy FROM certifications c JOIN cases k ON k.id = c.record_case_id
         LEFT JOIN subsidies s ON s.certification_id = c.id WHERE c.source = 'recorded'`,
    );
    expect(recorded.length).toBeGreaterThanOrEqual(3);
    expect(new Set(recorded.map((r) => r.level))).toEqual(new Set(['provincial', 'national']));
    expect(recorded.filter((r) => r.state !== 'confirmed' || !r.document_no || r.subsidy !== 'pending')).toEqual([]);
    // each record's certification matches its record row; proposals wait for the city or were returned
    expect(
      await count(
        `SELECT count(*) n FROM certification_records r JOIN cases k ON k.id = r.case_id
          LEFT JOIN certifications c ON c.record_case_id = r.case_id
         WHERE (k.state = 'confirmed') <> (c.id IS NOT NULL) OR (c.id IS NOT NULL AND (c.level, c.document_no, c.certified_at) <> (r.level, r.document_no, r.certified_at))`,
      ),
    ).toBe(0);
    const states = (await t.ds.query<Array<{ state: string }>>(`SELECT DISTINCT k.state FROM certification_records r JOIN cases k ON k.id = r.case_id`)).map(
      (r) => r.state,
    );
    expect(new Set(states)).toEqual(new Set(['confirmed', 'city_confirm', 'returned']));
    const city = `Bearer ${await t.token('city')}`;
    const res = await t.http().get('/api/certification-records').set('Authorization', city);
    expect([res.status, (res.body as unknown[]).length >= 6]).toEqual([200, true]);
    const certs = await t
      .http()
      .get('/api/certifications')
      .query({ filter: JSON.stringify({ level: 'provincial' }) })
      .set('Authorization', city);
    expect([certs.status, (certs.body as unknown[]).length > 0]).toEqual([200, true]);
  });

  it('holds the applicants’ files: every submitted application, order class and record proposal has its checklist, frozen by the submission', async () => {
    const gaps = await t.ds.query<Array<{ workflow_key: string; id: string; missing: string[] }>>(
      `SELECT c.workflow_key, c.id, array(SELECT p FROM unnest(CASE c.workflow_key
                 WHEN 'certification' THEN ARRAY['business_license', 'cooperation_agreement', 'no_accident_statement', 'credit_commitment']
                 WHEN 'order-class' THEN ARRAY['training_plan', 'agreement'] ELSE ARRAY['published_list'] END) p
               WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.case_id = c.id AND a.purpose = p AND a.removed_at IS NULL AND a.submitted_in = 1))::text[] AS missing
         FROM cases c
        WHERE c.workflow_key IN ('certification', 'order-class', 'certification-record') AND c.submissions > 0
          AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'record')`,
    );
    expect(gaps.length).toBeGreaterThan(60);
    expect(gaps.filter((g) => g.missing.length)).toEqual([]);
    // every submission's snapshot lists exactly the files it froze
    expect(
      await count(
        `SELECT count(*) n FROM case_snapshots s JOIN cases c ON c.id = s.case_id
          WHERE c.workflow_key IN ('certification', 'order-class')
            AND (SELECT coalesce(array_agg((x->>'id')::bigint ORDER BY (x->>'id')::bigint), '{}') FROM jsonb_array_elements(s.data->'attachments') x)
             <> (SELECT coalesce(array_agg(a.id ORDER BY a.id), '{}') FROM attachments a WHERE a.case_id = s.case_id AND a.submitted_in <= s.seq)`,
      ),
    ).toBe(0);
    // the applicant reads its files through the case and downloads them: real PDFs, stored as uploads are
    const enterprise = `Bearer ${await t.token('enterprise')}`;
    const [app] = await t.ds.query<Array<{ case_id: string }>>(
      `SELECT c.id AS case_id FROM cases c JOIN users u ON u.organisation_id = c.owner_org_id WHERE u.username = 'enterprise' AND c.workflow_key = 'certification'`,
    );
    const files = await t.http().get(`/api/cases/certification:${app.case_id}/attachments`).set('Authorization', enterprise);
    expect([files.status, (files.body as Array<{ purpose: string }>).map((f) => f.purpose).sort()]).toEqual([
      200,
      ['business_license', 'cooperation_agreement', 'credit_commitment', 'no_accident_statement'],
    ]);
    const file = await download(`/api/attachments/${(files.body as Array<{ id: number }>)[0].id}/download`, enterprise);
    expect([file.status, (file.body as Buffer).subarray(0, 5).toString()]).toEqual([200, '%PDF-']);
  });

  it('has 公示 objections consistent with the cases, and tells each persona what concerns them', async () => {
    const objections = await t.ds.query<Array<{ status: string; state: string; ruled: string | null; resolved: boolean }>>(
      `SELECT o.status, c.state, e.payload->>'outcome' AS ruled, o.resolved_at IS NOT NULL AND o.resolved_at = e.at AND o.created_at < e.at AS resolved
         FROM objections o JOIN cases c ON c.id = o.case_id
         LEFT JOIN case_events e ON e.case_id = o.case_id AND e.action = 'resolve_objection' AND (e.payload->>'objection')::bigint = o.id`,
    );
    expect(new Set(objections.map((o) => o.status))).toEqual(new Set(['open', 'upheld', 'dismissed']));
    // open: the case is still on 公示 (the objection holds it); ruled on: the ruling is the case's event, before the decision
    const inconsistent = objections.filter((o) =>
      o.status === 'open' ? o.state !== 'publicity' || o.ruled !== null : o.ruled !== o.status || !o.resolved || o.state === 'publicity',
    );
    expect(inconsistent).toEqual([]);
    expect(objections.filter((o) => o.status === 'upheld' && o.state !== 'not_certified')).toEqual([]);

    // names are never cut: a practice record's title and its notifications carry the host's whole name
    expect(
      await count(
        `SELECT count(*) n FROM practice_records r JOIN cases c ON c.id = r.case_id
           JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host' JOIN organisations h ON h.id = cp.organisation_id
          WHERE position(h.name IN c.title) = 0`,
      ),
    ).toBe(0);
    // and read as the portal titles a record: the teacher's name first (as the teacher and the school see it)
    expect(
      await count(
        `SELECT count(*) n FROM practice_records r JOIN cases c ON c.id = r.case_id JOIN users u ON u.id = r.teacher_id
          WHERE c.title NOT LIKE u.display_name || '：%'`,
      ),
    ).toBe(0);
    expect(await count(`SELECT count(*) n FROM notifications WHERE title ~ '有限(企业|申报|管理)' OR body ~ '有限(企业|申报|管理)'`)).toBe(0);
    expect(await count(`SELECT count(*) n FROM users WHERE display_name ~ '有限(申报|管理)'`)).toBe(0);
    // notifications: every 待办 is about a task still open, and each persona has some
    expect(
      await count(
        `SELECT count(*) n FROM notifications n WHERE n.dedupe_key LIKE 'city:task:%'
            AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.id = substr(n.dedupe_key, 11)::bigint AND k.status = 'open')`,
      ),
    ).toBe(0);
    for (const user of ['city', 'county', 'expert1', 'finance', 'enterprise', 'school', 'teacher']) {
      const res = await t
        .http()
        .get('/api/notifications')
        .set('Authorization', `Bearer ${await t.token(user)}`);
      expect([user, res.status, (res.body as unknown[]).length > 0]).toEqual([user, 200, true]);
    }
    // the finance bureau is told of each notice awaiting payment in its county
    const financeNotices = await count(
      `SELECT count(*) n FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'finance' AND n.kind = 'document_issued'`,
    );
    const [{ jurisdiction }] = await t.ds.query<Array<{ jurisdiction: string }>>(`SELECT jurisdiction FROM users WHERE username = 'finance'`);
    expect(financeNotices).toBe(
      await count(
        `SELECT count(*) n FROM subsidies s WHERE s.status = 'pending' AND s.county_code = $1
            AND EXISTS (SELECT 1 FROM documents d WHERE d.kind = 'subsidy_notice' AND d.subject_key = 'subsidy:' || s.id AND d.revoked_at IS NULL)`,
        [jurisdiction],
      ),
    );
  });
});
