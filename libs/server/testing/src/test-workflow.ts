import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { WorkflowModule, WorkflowRegistry, noOpenObjections, type WorkflowDefinition } from '@portal/workflow';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * A workflow of the same shape as the city certification (county review → city review → panel → 公示 →
 * decision), used by the engine's own tests so they do not depend on a feature. Its "feature data" is a
 * JSON document kept in test_case_data, frozen by each submission.
 */
export const TEST_WORKFLOW = 'test-review';

const panelCriteria = [
  { key: 'cooperation', label: '校企合作成效', max: 50 },
  { key: 'plan', label: '三年规划', max: 50 },
];

export const testWorkflow: WorkflowDefinition = {
  key: TEST_WORKFLOW,
  title: '测试审批',
  resource: 'test-cases',
  initial: 'draft',
  ownerRoles: ['enterprise_applicant'],
  states: {
    draft: { label: '草稿', kind: 'applicant' },
    returned: { label: '退回补正', kind: 'applicant' },
    county_review: {
      label: '县级初审',
      kind: 'review',
      role: 'county_reviewer',
      scope: 'county',
      sla: 'workflow.reviewWorkingDays',
      supervisorRole: 'city_reviewer',
    },
    city_review: { label: '市级复核', kind: 'review', role: 'city_reviewer', scope: 'city', sla: 'workflow.reviewWorkingDays', supervisorRole: 'admin' },
    panel: {
      label: '专家评审',
      kind: 'panel',
      role: 'expert',
      sla: 'workflow.reviewWorkingDays',
      panel: {
        rule: 'all',
        criteria: panelCriteria,
        passMarkSetting: 'workflow.panelPassMark',
        minMembersSetting: 'workflow.panelMinMembers',
        onPass: 'panel_pass',
        onFail: 'panel_fail',
      },
    },
    publicity: { label: '公示', kind: 'timed', timed: { workingDaysSetting: 'workflow.publicityWorkingDays', onExpire: 'publicity_end', objections: true } },
    decision: { label: '认定决定', kind: 'review', role: 'city_reviewer', scope: 'city', sla: 'workflow.reviewWorkingDays' },
    approved: { label: '已认定', kind: 'final' },
    rejected: { label: '不予认定', kind: 'final' },
    withdrawn: { label: '已撤回', kind: 'final' },
  },
  transitions: [
    { from: 'draft', action: 'submit', to: 'county_review', label: '提交', kind: 'submit', by: ['owner'] },
    { from: 'returned', action: 'resubmit', to: '@returnedFrom', label: '补正后重新提交', kind: 'submit', by: ['owner'] },
    { from: ['draft', 'returned', 'county_review', 'city_review'], action: 'withdraw', to: 'withdrawn', label: '撤回', kind: 'withdraw', by: ['owner'] },
    { from: 'county_review', action: 'approve', to: 'city_review', label: '推荐', kind: 'approve', by: ['county_reviewer'], needs: { comment: 'optional' } },
    {
      from: ['county_review', 'city_review', 'decision'],
      action: 'return',
      to: 'returned',
      label: '退回补正',
      kind: 'return',
      by: ['county_reviewer', 'city_reviewer'],
      needs: { comment: 'optional', returnItems: true },
    },
    {
      from: ['county_review', 'city_review'],
      action: 'reject',
      to: 'rejected',
      label: '不予通过',
      kind: 'reject',
      by: ['county_reviewer', 'city_reviewer'],
      needs: { comment: 'required' },
    },
    {
      from: 'city_review',
      action: 'send_to_panel',
      to: 'panel',
      label: '提交专家评审',
      kind: 'approve',
      by: ['city_reviewer'],
      needs: { panel: { role: 'expert', minSetting: 'workflow.panelMinMembers' } },
    },
    { from: 'panel', action: 'appoint', to: 'panel', label: '增补专家', kind: 'other', by: ['city_reviewer'], needs: { panel: { role: 'expert', min: 1 } } },
    {
      from: 'panel',
      action: 'score',
      to: 'panel',
      label: '评分',
      kind: 'score',
      by: ['expert'],
      needs: { comment: 'optional', score: { criteria: panelCriteria } },
    },
    { from: 'panel', action: 'recuse', to: 'panel', label: '回避', kind: 'recuse', by: ['expert'], needs: { comment: 'required' } },
    { from: 'panel', action: 'panel_pass', to: 'publicity', label: '评审通过', kind: 'system', by: ['system'] },
    { from: 'panel', action: 'panel_fail', to: 'city_review', label: '评审未通过', kind: 'system', by: ['system'] },
    { from: 'publicity', action: 'publicity_end', to: 'decision', label: '公示期满', kind: 'system', by: ['system'], guards: [noOpenObjections] },
    {
      from: 'decision',
      action: 'certify',
      to: 'approved',
      label: '认定',
      kind: 'approve',
      by: ['city_reviewer'],
      guards: [noOpenObjections],
      effects: ['test.record-decision'],
    },
    { from: 'decision', action: 'decline', to: 'rejected', label: '不予认定', kind: 'reject', by: ['city_reviewer'], needs: { comment: 'required' } },
  ],
  snapshot: async (caseId: number, em: EntityManager) => {
    const [row]: Array<{ data: Record<string, unknown> }> = await em.query(`SELECT data FROM test_case_data WHERE case_id = $1`, [caseId]);
    return row?.data ?? {};
  },
};

@Injectable()
class TestWorkflowSetup implements OnModuleInit {
  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.define(testWorkflow);
    // Idempotent like every effect (one row per event, whatever the retries); `runs` counts executions
    // and `slowEffectMs` in the case data lets the fault tests kill a worker in the middle of one.
    this.registry.effect('test.record-decision', async ({ row, eventId }) => {
      const [d]: Array<{ data: { slowEffectMs?: number } }> = await this.ds.query(`SELECT data FROM test_case_data WHERE case_id = $1`, [row.id]);
      await this.ds.query(`INSERT INTO test_effect_starts (case_id, event_id) VALUES ($1, $2)`, [row.id, eventId]);
      if (d?.data.slowEffectMs) await new Promise((r) => setTimeout(r, d.data.slowEffectMs));
      await this.ds.query(
        `INSERT INTO test_effects (case_id, event_id) VALUES ($1, $2) ON CONFLICT (case_id, event_id) DO UPDATE SET runs = test_effects.runs + 1`,
        [row.id, eventId],
      );
    });
  }
}

@Module({ imports: [WorkflowModule], providers: [TestWorkflowSetup] })
export class TestWorkflowModule {}

/** Tables the test workflow keeps its data in (created in each test database that uses it). */
export async function createTestWorkflowTables(em: EntityManager): Promise<void> {
  await em.query(`
    CREATE TABLE IF NOT EXISTS test_case_data (case_id bigint PRIMARY KEY REFERENCES cases(id), data jsonb NOT NULL);
    CREATE TABLE IF NOT EXISTS test_effects (case_id bigint NOT NULL, event_id bigint NOT NULL, runs integer NOT NULL DEFAULT 1, PRIMARY KEY (case_id, event_id));
    CREATE TABLE IF NOT EXISTS test_effect_starts (id serial PRIMARY KEY, case_id bigint NOT NULL, event_id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now());
  `);
}
