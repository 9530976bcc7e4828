import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A return to an earlier review stage (认定决定 → 市级复核, 学校审核 → 企业确认) was kept as an open 补正: the case
 * page and the enterprise's home showed 被退回补正 with its items through every later stage, 已认定 included. Such a
 * return asks nothing of the applicant; it is now recorded closed, and those already recorded are closed here (the
 * applicant stages of every workflow are `draft` and `returned`).
 */
export class InternalReturnsClosed1795944000004 implements MigrationInterface {
  name = 'InternalReturnsClosed1795944000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE case_returns SET resolved_at = returned_at WHERE resolved_at IS NULL AND to_state NOT IN ('draft', 'returned')`);
  }

  async down(): Promise<void> {
    // nothing to undo: the returns closed here were never the applicant's to answer
  }
}
