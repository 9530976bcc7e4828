import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The generated demo city (issue 12): one row per generator run that completed, so a second start adds nothing.
 * The generator (seeds/city) writes every feature's tables with set-based SQL that follows the migrations
 * before this one: a later migration that changes those tables must change seeds/city too.
 */
export class SeedRuns1795930000001 implements MigrationInterface {
  name = 'SeedRuns1795930000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE seed_runs (
        name text PRIMARY KEY,
        size integer NOT NULL CHECK (size >= 0),
        counts jsonb NOT NULL DEFAULT '{}',
        seconds numeric(10, 2),
        done_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE seed_runs`);
  }
}
