import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 订单班建设进度 and 实践统计 measured against two settings (orderClasses.cityTarget, practice.targetPersonTimes) while
 * the dashboard measured the same figures against the plan's targets (规划目标): an admin who changed one saw the
 * other pages keep the old number. The settings are gone; their stored overrides go with them (the targets table,
 * which the migration `Reporting` filled with the plan's numbers, is the one place of each target).
 */
export class TargetsOnceOnly1795944000002 implements MigrationInterface {
  name = 'TargetsOnceOnly1795944000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM settings WHERE key IN ('orderClasses.cityTarget', 'practice.targetPersonTimes')`);
  }

  async down(): Promise<void> {
    // the overrides removed are not restored: the settings' defaults apply again if the code that read them returns
  }
}
