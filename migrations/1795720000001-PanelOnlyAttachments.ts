import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A file a panel expert attaches while scoring (a score sheet, notes) is confidential like the scores
 * (issue 9): city reviewers and the uploader read it; the applicant, other experts and submissions do not.
 */
export class PanelOnlyAttachments1795720000001 implements MigrationInterface {
  name = 'PanelOnlyAttachments1795720000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attachments ADD COLUMN panel_only boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attachments DROP COLUMN panel_only`);
  }
}
