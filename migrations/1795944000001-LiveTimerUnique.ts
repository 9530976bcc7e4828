import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case may enter the same timed stage (公示) more than once: a decision returned to 市级复核 goes back through the
 * panel to a second 公示. Timers were unique on (case, state, kind, due_at), so a second 公示 armed on the day of
 * the first — the same working-day deadline — broke that key and the expert's last score failed with a 409. The rule
 * that matters is one live timer per case, stage and kind; fired and cancelled timers are history.
 */
export class LiveTimerUnique1795944000001 implements MigrationInterface {
  name = 'LiveTimerUnique1795944000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE timers DROP CONSTRAINT timers_case_id_state_kind_due_at_key`);
    await q.query(`CREATE UNIQUE INDEX timers_one_live ON timers (case_id, state, kind) WHERE fired_at IS NULL AND cancelled_at IS NULL`);
  }

  // fails once a case has gone through 公示 twice on one day (two timers with one deadline): the history this allows
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX timers_one_live`);
    await q.query(`ALTER TABLE timers ADD CONSTRAINT timers_case_id_state_kind_due_at_key UNIQUE (case_id, state, kind, due_at)`);
  }
}
