import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's order classes at 20,000 classes (issue 12, "Performance"; tests/bench/dashboard.bench.mjs): every
 * figure of 已备案订单班 joined each class to its case (for the state and the county) among 1,200,000 cases, and the
 * split by industry to its partner enterprise among 100,000 organisations (143 ms for the city). Now a filed class
 * carries what it is counted by, written in the filing transaction (OrderClassesService.recordDates):
 * - `filed_county_code`: its case's county (the bureau that filed it; a case's county never changes);
 * - `filed_industry`: the partner enterprise's industry ("5+5+N"; `other`: none recorded) when it was filed — a class
 *   stays in the industry it was filed in when the enterprise later edits its profile, and the list's `industry`
 *   filter reads it, so a bar and its list agree;
 * - counted: filed and not terminated (`filed_at` set, `ended_at` not), the list's `counted` filter too;
 * and one index holds all of it for the filed classes, so that the figures read neither cases nor organisations.
 * Backfilled here (the partner's industry today for the classes filed before).
 */
export class OrderClassFilings1795941000001 implements MigrationInterface {
  name = 'OrderClassFilings1795941000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE order_classes ADD COLUMN filed_county_code text, ADD COLUMN filed_industry text;
      UPDATE order_classes oc SET filed_county_code = x.county_code, filed_industry = x.industry
        FROM (SELECT oc.id, c.county_code, coalesce(e.industry, 'other') AS industry
                FROM order_classes oc
                JOIN cases c ON c.id = oc.case_id
                LEFT JOIN organisations ei ON oc.enterprise_id IS NULL AND ei.kind = 'enterprise' AND ei.credit_code = oc.invited_credit_code
                LEFT JOIN organisations e ON e.kind = 'enterprise' AND e.id = coalesce(oc.enterprise_id, ei.id)
               WHERE oc.filed_at IS NOT NULL) x
       WHERE x.id = oc.id;
      ALTER TABLE order_classes ADD CONSTRAINT order_classes_filed_with CHECK (filed_at IS NULL OR (filed_county_code IS NOT NULL AND filed_industry IS NOT NULL));
      CREATE INDEX order_classes_filed ON order_classes (filed_county_code, school_id) INCLUDE (filed_industry, filed_at, ended_at) WHERE filed_at IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX order_classes_filed;
      ALTER TABLE order_classes DROP CONSTRAINT order_classes_filed_with, DROP COLUMN filed_industry, DROP COLUMN filed_county_code;
    `);
  }
}
