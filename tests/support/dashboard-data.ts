import { addDays, addYears, COUNTIES, INDUSTRIES, portalToday, startOfPortalDay } from '@portal/contracts';
import { makeCreditCode, type TestApp } from '@portal/testing';

/**
 * A certification ledger written straight into the tables for the dashboard tests: enterprises in every county
 * and industry, city certifications standing, revoked and expired, provincial ones, and their subsidies in every
 * ledger state (pending, notice issued, paid, cancelled), granted on the day of certification (three in five this
 * year, whatever today is, the others up to ~16 months back), paid within two months of it. The dashboard reads these
 * tables; the tests count the same rows themselves.
 */
export interface LedgerSeed {
  enterpriseIds: number[];
}

let seq = 0;

export async function seedCertificationLedger(t: TestApp, n = 36, tag = `L${Date.now() % 100000}${seq++}`): Promise<LedgerSeed> {
  const today = portalToday();
  const [{ key }] = await t.ds.query<Array<{ key: string }>>(`INSERT INTO blobs (key, bytes, size, sha256) VALUES ($1, '\\x25504446', 4, 'x') RETURNING key`, [
    `dashboard-test-${tag}`,
  ]);
  const enterpriseIds: number[] = [];
  for (let i = 0; i < n; i++) {
    // every county gets enterprises of every kind below (standing, revoked, expired, provincial)
    const county = COUNTIES[(i + Math.floor(i / 12)) % COUNTIES.length].code;
    // every eleventh has no industry recorded (counted as N, 其他)
    const industry = i % 13 === 12 ? null : INDUSTRIES[(i * 5) % INDUSTRIES.length].code;
    const [{ id }] = await t.ds.query<Array<{ id: number }>>(
      `INSERT INTO organisations (kind, name, credit_code, county_code, industry, contact_phone) VALUES ('enterprise', $1, $2, $3, $4, $5) RETURNING id`,
      [`驾驶舱测试企业${tag}-${i}`, makeCreditCode(county), county, industry, `1380000${String(1000 + i).slice(-4)}`],
    );
    enterpriseIds.push(id);
    const kind = i % 6;
    // certified between 0 and ~16 months ago (three in five this year, even on the 1st of January); expired ones 4 years ago
    const back = addDays(today, -((i * 15) % 480));
    const certifiedAt = kind === 4 ? addYears(today, -4) : i % 5 < 3 && back < `${today.slice(0, 4)}-01-01` ? `${today.slice(0, 4)}-01-01` : back;
    const level = kind === 5 ? 'provincial' : 'city';
    const [{ id: cid }] = await t.ds.query<Array<{ id: string }>>(
      `INSERT INTO certifications (enterprise_id, level, source, document_no, certified_at, valid_until, revoked_at, revoke_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        id,
        level,
        level === 'city' ? 'portal' : 'recorded',
        level === 'city' ? null : `浙发改社会〔2024〕${i}号`,
        certifiedAt,
        level === 'city' ? addYears(certifiedAt, 3) : null,
        kind === 3 ? new Date(Date.now() - 10 * 86_400_000) : null,
        kind === 3 ? '测试撤销' : null,
      ],
    );
    const state = kind === 3 ? 'cancelled' : (['pending', 'notified', 'paid'] as const)[i % 3];
    const amount = level === 'city' ? 5_000_000 : 20_000_000;
    const [{ id: sid }] = await t.ds.query<Array<{ id: string }>>(
      `INSERT INTO subsidies (enterprise_id, level, certification_id, county_code, amount_fen, policy, status, voucher_no, paid_at, paid_amount_fen, cancel_reason, created_at)
       VALUES ($1, $2, $3, $4, $5, 'full', $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        id,
        level,
        cid,
        county,
        amount,
        state === 'notified' ? 'pending' : state,
        state === 'paid' ? `PZ${tag}${i}` : null,
        state === 'paid' ? [addDays(certifiedAt, (i * 11) % 60), today].sort()[0] : null,
        state === 'paid' ? amount : null,
        state === 'cancelled' ? '认定撤销' : null,
        // granted at the first moment of the certification day in Wenzhou (the UTC date is the day before)
        startOfPortalDay(certifiedAt),
      ],
    );
    if (state === 'notified' || state === 'paid') {
      await t.ds.query(
        `INSERT INTO documents (kind, serial, subject_key, generation, holder_org_id, holder_name, county_code, authority, facts, sha256, size, blob_key, verify_code)
         VALUES ('subsidy_notice', $1, $2, 1, $3, $4, $5, '温州市教育局', '[]', 'x', 4, $6, $7)`,
        [`TZ-${tag}-${i}`, `subsidy:${sid}`, id, `驾驶舱测试企业${tag}-${i}`, county, key, `v${tag}${i}`],
      );
    }
  }
  return { enterpriseIds };
}
