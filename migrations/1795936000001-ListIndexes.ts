import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lists at a million rows (issue 13, tests/bench/lists.bench.mjs): the applications list sorts by the case's last change
 * or deadline and filters by its county, overdue, or a substring of the enterprise's name or credit code. Without these
 * a first page of 1,000,000 applications sorted a million joined rows (6 s), and the search box read every enterprise.
 * - `cases (updated_at)`, `cases (stage_due_at)`: a page in that order walks the index and stops after the page;
 * - `cases (county_code, updated_at)`: the same within one county; `cases (county_code, state)`: a stage in a county;
 * - trigram indexes (pg_trgm, a trusted extension shipped with PostgreSQL) for `ILIKE '%…%'` on name and credit code;
 * - the dashboard's person-times (tests/bench/dashboard.bench.mjs): counted records by school and end date, read
 *   index-only for the figure, the splits by county and school and the trend.
 */
export class ListIndexes1795936000001 implements MigrationInterface {
  name = 'ListIndexes1795936000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE INDEX cases_updated ON cases (updated_at);
      CREATE INDEX cases_stage_due ON cases (stage_due_at);
      CREATE INDEX cases_county_updated ON cases (county_code, updated_at);
      CREATE INDEX cases_county_state ON cases (county_code, state);
      CREATE INDEX organisations_name_trgm ON organisations USING gin (name gin_trgm_ops);
      CREATE INDEX organisations_credit_code_trgm ON organisations USING gin (credit_code gin_trgm_ops);
      CREATE INDEX practice_records_counted_school ON practice_records (school_id, end_date) WHERE counted;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX practice_records_counted_school;
      DROP INDEX organisations_credit_code_trgm;
      DROP INDEX organisations_name_trgm;
      DROP INDEX cases_county_state;
      DROP INDEX cases_county_updated;
      DROP INDEX cases_stage_due;
      DROP INDEX cases_updated;
    `);
  }
}
