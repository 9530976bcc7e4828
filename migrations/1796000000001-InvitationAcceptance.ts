import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An invitation by credit code counted for whichever organisation later registered that code, although
 * self-registration proves nothing about it: anyone could take over an invited order class (and read its roster)
 * or a teacher's invited host (and confirm the teacher's own hours). An invitation now counts only once accepted
 * with the one-time token mailed to the invited address: only its SHA-256 is kept (`invite_token_hash`), until
 * `invite_expires_at`; acceptance names the organisation (`organisation_id`) and records who accepted and when.
 *
 * Pending invitations are mailed again, now with a token (the outbox's `workflow.invite` job). None is bound
 * here to the organisation registered since with its code: that would make an existing squat permanent; and the open
 * task of a pending party, which went to that organisation, is taken back from it.
 */
export class InvitationAcceptance1796000000001 implements MigrationInterface {
  name = 'InvitationAcceptance1796000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE case_parties
        ADD COLUMN invite_token_hash text CHECK (invite_token_hash ~ '^[0-9a-f]{64}$'),
        ADD COLUMN invite_expires_at timestamptz,
        ADD COLUMN accepted_at timestamptz,
        ADD COLUMN accepted_by integer REFERENCES users(id);
      CREATE UNIQUE INDEX case_parties_invite_token ON case_parties (invite_token_hash) WHERE invite_token_hash IS NOT NULL;
      -- nothing reads parties by invited credit code any more
      DROP INDEX case_parties_invited;
      -- the open task of a party still invited went to the organisation registered with its code: it is nobody's again
      -- until the invitation is accepted (InvitationsService hands it over then)
      UPDATE tasks t SET organisation_id = NULL, assignee_id = NULL, claimed_at = NULL
        FROM case_parties cp
       WHERE cp.case_id = t.case_id AND t.role = 'party:' || cp.party AND t.status = 'open' AND cp.organisation_id IS NULL;
      -- (the job mails nothing for a case that has ended)
      INSERT INTO outbox (job_name, payload)
        SELECT 'workflow.invite', jsonb_build_object('caseId', case_id, 'party', party)
          FROM case_parties WHERE organisation_id IS NULL AND invited_credit_code IS NOT NULL AND invited_email IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX case_parties_invite_token;
      CREATE INDEX case_parties_invited ON case_parties (invited_credit_code) WHERE invited_credit_code IS NOT NULL;
      ALTER TABLE case_parties DROP COLUMN invite_token_hash, DROP COLUMN invite_expires_at, DROP COLUMN accepted_at, DROP COLUMN accepted_by;
    `);
  }
}
