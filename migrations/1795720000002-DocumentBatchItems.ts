import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch's items (issue 9): one row per case a batch decision covers, pending until the run acts on it
 * (in the same transaction as the decision) or skips it with the reason. The batch's progress and state
 * are counted from these rows and its documents, not from a total written at the end of the run.
 */
export class DocumentBatchItems1795720000002 implements MigrationInterface {
  name = 'DocumentBatchItems1795720000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE document_batch_items (
        batch_id bigint NOT NULL REFERENCES document_batches(id),
        seq integer NOT NULL,
        item_id bigint NOT NULL,
        label text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acted', 'skipped')),
        reason text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (batch_id, item_id),
        UNIQUE (batch_id, seq)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document_batch_items`);
  }
}
