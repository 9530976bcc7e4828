import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's person-times at a million records (issue 12, "Performance"; tests/bench/dashboard.bench.mjs): every
 * figure of 入企实践人次 — the total, the splits by county, industry and school, the monthly trend — read 1,000,000
 * counted records, the industry split joined each to its host (3.5 s for the city). Now:
 * - `practice_records.counted_industry`: the host's industry ("5+5+N"; `other`: none, or a host not registered) when
 *   the record was counted, kept with the record: a person-time stays in the industry it was counted in when the host
 *   later edits its profile (last month's report stays what it was), and the list's `industry` filter reads it, so a
 *   bar and its list agree;
 * - kept totals, incremented in the transaction that counts a record (practice-records.repository `count`):
 *   `practice_person_times` by school and month of the end date (the figure, the split by county and school, the
 *   trend) and `practice_industry_person_times` by school and that industry (the split by industry). Two tables, not
 *   one by school, month and industry: at 1,000,000 records that one had 458,000 rows, these 74,000 and 20,000.
 * - the teacher shares (tasks 44 and 48) count the profiles of active users: `users_inactive` finds the few deactivated
 *   users, so that 200,000 profiles are not each joined to their user.
 * - the schools of a scope (the keys of every split by school, their names and counties) from an index alone:
 *   `organisations (kind, id) INCLUDE (name, county_code)` — the schools are 2 % of 100,000 organisations.
 * Backfilled here from the records (the host's industry today for the records counted before).
 */
export class DashboardAtScale1795940000001 implements MigrationInterface {
  name = 'DashboardAtScale1795940000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE practice_records ADD COLUMN counted_industry text;
      UPDATE practice_records r SET counted_industry = x.industry
        FROM (SELECT r.id, coalesce(h.industry, 'other') AS industry
                FROM practice_records r
                LEFT JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host'
                LEFT JOIN organisations hi ON cp.organisation_id IS NULL AND hi.credit_code = cp.invited_credit_code
                LEFT JOIN organisations h ON h.id = coalesce(cp.organisation_id, hi.id)
               WHERE r.counted) x
       WHERE x.id = r.id;
      ALTER TABLE practice_records ADD CONSTRAINT practice_records_counted_industry CHECK (NOT counted OR counted_industry IS NOT NULL);

      CREATE TABLE practice_person_times (
        school_id integer NOT NULL REFERENCES organisations(id),
        end_month date NOT NULL CHECK (extract(day FROM end_month) = 1),
        n integer NOT NULL CHECK (n >= 0),
        PRIMARY KEY (school_id, end_month)
      );
      CREATE TABLE practice_industry_person_times (
        school_id integer NOT NULL REFERENCES organisations(id),
        industry text NOT NULL,
        n integer NOT NULL CHECK (n >= 0),
        PRIMARY KEY (school_id, industry)
      );
      CREATE INDEX users_inactive ON users (id) WHERE NOT active;
      CREATE INDEX organisations_kind_id ON organisations (kind, id) INCLUDE (name, county_code);
      INSERT INTO practice_person_times (school_id, end_month, n)
      SELECT school_id, date_trunc('month', end_date)::date, count(*) FROM practice_records WHERE counted GROUP BY 1, 2;
      INSERT INTO practice_industry_person_times (school_id, industry, n)
      SELECT school_id, counted_industry, count(*) FROM practice_records WHERE counted GROUP BY 1, 2;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX organisations_kind_id;
      DROP INDEX users_inactive;
      DROP TABLE practice_industry_person_times;
      DROP TABLE practice_person_times;
      ALTER TABLE practice_records DROP COLUMN counted_industry;
    `);
  }
}
