import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Processed outbox rows are kept 30 days and the clean-up that removes older ones runs every minute in every
 * worker: without an index on `processed_at` it read the whole table each time (716 ms at 1,000,000 rows against
 * 2.8 ms at 10,000, tests/bench/outbox.bench.mjs). With it the clean-up reads only the rows it deletes.
 */
export class OutboxRetentionIndex1795935000001 implements MigrationInterface {
  name = 'OutboxRetentionIndex1795935000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_processed ON outbox (processed_at) WHERE processed_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_processed`);
  }
}
