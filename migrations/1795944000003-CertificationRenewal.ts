import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 期满重新认定: a city certification lasts `certification.validityYears`; after it an enterprise may apply again. The
 * standing one of a level was unique among those not revoked, so an expired one kept its place and the renewal's
 * certify granted nothing (the case said 已认定, with no certification, certificate or annual reports behind it).
 * A renewal now supersedes the expired one, which stays as history (listed as 已过期).
 */
export class CertificationRenewal1795944000003 implements MigrationInterface {
  name = 'CertificationRenewal1795944000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE certifications ADD COLUMN superseded_at timestamptz`);
    await q.query(`DROP INDEX certifications_one_per_level`);
    await q.query(
      `CREATE UNIQUE INDEX certifications_one_per_level ON certifications (enterprise_id, level) WHERE revoked_at IS NULL AND superseded_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX certifications_one_per_level`);
    await q.query(`CREATE UNIQUE INDEX certifications_one_per_level ON certifications (enterprise_id, level) WHERE revoked_at IS NULL`);
    await q.query(`ALTER TABLE certifications DROP COLUMN superseded_at`);
  }
}
