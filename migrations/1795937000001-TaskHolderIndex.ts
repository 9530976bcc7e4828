import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read scope of lists (caseReadScope, issue 13) takes the ids of the cases an actor holds or held a task on —
 * open or done, as canReadCase has it — once per statement. `tasks_assignee` covers open tasks only; this index
 * covers every task of an assignee, index-only with the case id, so that read costs the actor's own tasks and not
 * the table.
 */
export class TaskHolderIndex1795937000001 implements MigrationInterface {
  name = 'TaskHolderIndex1795937000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX tasks_holder ON tasks (assignee_id, case_id) WHERE assignee_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tasks_holder`);
  }
}
