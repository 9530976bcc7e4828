import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change on the audit chain (issue 8): a case remembers how many events its chain holds, written
 * with each event in the same transaction, so that verifying the chain also detects a deleted latest
 * event (one that changed no state, such as a task claim, included).
 */
export class ChainHead1795820000001 implements MigrationInterface {
  name = 'ChainHead1795820000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases ADD COLUMN event_count integer NOT NULL DEFAULT 0;
      UPDATE cases c SET event_count = e.n FROM (SELECT case_id, count(*)::int AS n FROM case_events GROUP BY case_id) e WHERE e.case_id = c.id;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN event_count`);
  }
}
