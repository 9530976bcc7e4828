import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a revocation, a recovery and a re-issue need to carry through (issue 9): who revoked a
 * certification; a recovery's own voucher, amount, date and actor (never the payment's voucher); the
 * wording of a document kept with it (a re-issue repeats it after the outbox row is purged); and what
 * became of a document's subject (revoked, recovered…), kept apart from its documents so that a document
 * issued after its subject was revoked is revoked at once.
 */
export class Propagation1795730000001 implements MigrationInterface {
  name = 'Propagation1795730000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE certifications ADD COLUMN revoked_by integer REFERENCES users(id);

      ALTER TABLE subsidies
        ADD COLUMN recovery_voucher_no text,
        ADD COLUMN recovered_amount_fen bigint CHECK (recovered_amount_fen > 0),
        ADD COLUMN recovered_by integer REFERENCES users(id);

      ALTER TABLE documents
        ADD COLUMN body text,
        ADD COLUMN addressee text;
      -- documents issued before this migration: their wording from the job that made them, while it is kept
      UPDATE documents d SET body = o.payload->>'body', addressee = o.payload->>'addressee'
        FROM outbox o
       WHERE o.job_name = 'documents.issue' AND o.payload->>'kind' = d.kind AND o.payload->>'subjectKey' = d.subject_key
         AND (o.payload->>'generation')::int = d.generation AND d.body IS NULL;

      CREATE TABLE document_subjects (
        kind text NOT NULL,
        subject_key text NOT NULL,
        revoked_at timestamptz,
        revoke_reason text,
        status_label text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, subject_key)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE document_subjects;
      ALTER TABLE documents DROP COLUMN addressee, DROP COLUMN body;
      ALTER TABLE subsidies DROP COLUMN recovered_by, DROP COLUMN recovered_amount_fen, DROP COLUMN recovery_voucher_no;
      ALTER TABLE certifications DROP COLUMN revoked_by;
    `);
  }
}
