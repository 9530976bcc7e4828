import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data integrity of attachments, objections and creation requests (issue 9):
 * - attachments remember the first submission that froze them; a frozen file that is removed or replaced
 *   stays (removed_at, replaced_by) so the earlier submission can still show and serve it, while a file
 *   never submitted goes with its blob;
 * - objections keep a normalised phone key and the client address they came from, for the one-open-per-
 *   case-and-phone rule and the daily limits;
 * - idempotency keys serve creation requests too (no case yet): the case is optional and a fingerprint of
 *   the request tells a replay from a different request under the same key.
 */
export class DataIntegrity1795740000001 implements MigrationInterface {
  name = 'DataIntegrity1795740000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE attachments
        ADD COLUMN submitted_in integer,
        ADD COLUMN removed_at timestamptz,
        ADD COLUMN removed_by integer REFERENCES users(id),
        ADD COLUMN replaced_by bigint REFERENCES attachments(id) ON DELETE SET NULL;
      UPDATE attachments a SET submitted_in = f.seq
        FROM (SELECT (x->>'id')::bigint AS id, min(s.seq) AS seq
                FROM case_snapshots s, jsonb_array_elements(s.data->'attachments') x
               WHERE jsonb_typeof(s.data->'attachments') = 'array'
               GROUP BY 1) f
       WHERE f.id = a.id;
      CREATE INDEX attachments_case_live ON attachments (case_id, purpose) WHERE removed_at IS NULL;

      ALTER TABLE objections
        ADD COLUMN phone_key text,
        ADD COLUMN client_ip text;
      UPDATE objections SET phone_key = regexp_replace(regexp_replace(phone, '\\D', '', 'g'), '^(0086|86)(1\\d{10})$', '\\2');
      ALTER TABLE objections ALTER COLUMN phone_key SET NOT NULL;
      CREATE INDEX objections_phone ON objections (phone_key, created_at);
      CREATE INDEX objections_client_ip ON objections (client_ip, created_at) WHERE client_ip IS NOT NULL;
      CREATE INDEX objections_case_phone_open ON objections (case_id, phone_key) WHERE status = 'open';

      ALTER TABLE idempotency_keys
        ALTER COLUMN case_id DROP NOT NULL,
        ADD COLUMN fingerprint text;

      CREATE INDEX certification_records_enterprise ON certification_records (enterprise_id, level);
      CREATE INDEX delegations_principal ON delegations (principal_id, delegate_id, ends_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX delegations_principal, certification_records_enterprise, objections_case_phone_open, objections_client_ip, objections_phone, attachments_case_live;
      DELETE FROM idempotency_keys WHERE case_id IS NULL;
      ALTER TABLE idempotency_keys DROP COLUMN fingerprint, ALTER COLUMN case_id SET NOT NULL;
      ALTER TABLE objections DROP COLUMN phone_key, DROP COLUMN client_ip;
      ALTER TABLE attachments DROP COLUMN replaced_by, DROP COLUMN removed_by, DROP COLUMN removed_at, DROP COLUMN submitted_in;
    `);
  }
}
