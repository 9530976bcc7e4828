import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { DomainException } from '@portal/core';
import { WorkflowModule, WorkflowRegistry, noOpenObjections, type WorkflowDefinition } from '@portal/workflow';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
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
    approved: { label: '已认定', kind: 'final', outcome: 'positive' },
    rejected: { label: '不予认定', kind: 'final', outcome: 'negative' },
    withdrawn: { label: '已撤回', kind: 'final', outcome: 'neutral' },
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

/**
 * The engine's second test workflow, of the other shape (a teacher's 入企实践 record): the owner is a person
 * (a teacher) of a school; the party `host` (an enterprise) confirms the hours with action data and may
 * return; the owner organisation's admin (the school's) approves at an owner-organisation stage; then an
 * `active` stage (the practice running) where the teacher records changes and the school closes it.
 * Teachers read only their own records; the school admin reads all of the school's; no reviewers.
 */
export const TEST_PRACTICE_WORKFLOW = 'test-practice';

/** The host's confirmation: the hours it confirms. */
export class ConfirmHoursData {
  @IsInt({ message: '学时应为整数' })
  @Min(1, { message: '学时至少为 1' })
  @Max(2000, { message: '学时不能超过 2000' })
  hours!: number;

  @IsOptional()
  @IsString({ message: '说明应为文本' })
  @MaxLength(200, { message: '说明不能超过 200 字' })
  note?: string;
}

/** A change recorded while the practice runs. */
export class RecordChangeData {
  @IsString({ message: '变更内容应为文本' })
  @MaxLength(200, { message: '变更内容不能超过 200 字' })
  change!: string;
}

export const testPracticeWorkflow: WorkflowDefinition = {
  key: TEST_PRACTICE_WORKFLOW,
  title: '测试实践',
  resource: 'test-practices',
  initial: 'draft',
  ownerRoles: ['teacher'],
  parties: { host: { label: '接收企业', roles: ['enterprise_applicant'] } },
  read: { ownerOrganisation: ['school_admin'], reviewers: false },
  separation: { judgement: 'consecutive' },
  states: {
    draft: { label: '填报中', kind: 'applicant' },
    returned: { label: '退回修改', kind: 'applicant' },
    host_confirm: { label: '企业确认', kind: 'review', actor: 'party:host', sla: 'workflow.reviewWorkingDays' },
    school_approval: { label: '学校审核', kind: 'review', role: 'school_admin', scope: 'owner_organisation', sla: 'workflow.reviewWorkingDays' },
    in_practice: { label: '实践中', kind: 'active', role: 'school_admin', scope: 'owner_organisation' },
    practised: { label: '已完成', kind: 'final', outcome: 'positive' },
    rejected: { label: '未通过', kind: 'final', outcome: 'negative' },
    withdrawn: { label: '已撤回', kind: 'final', outcome: 'neutral' },
  },
  transitions: [
    { from: 'draft', action: 'submit', to: 'host_confirm', label: '提交', kind: 'submit', by: ['owner_person'] },
    { from: 'returned', action: 'resubmit', to: '@returnedFrom', label: '修改后重新提交', kind: 'submit', by: ['owner_person'] },
    { from: ['draft', 'returned', 'host_confirm'], action: 'withdraw', to: 'withdrawn', label: '撤回', kind: 'withdraw', by: ['owner_person'] },
    {
      from: 'host_confirm',
      action: 'confirm',
      to: 'school_approval',
      label: '确认学时',
      kind: 'approve',
      by: ['party:host'],
      needs: { comment: 'optional' },
      data: ConfirmHoursData,
    },
    {
      from: ['host_confirm', 'school_approval'],
      action: 'return',
      to: 'returned',
      label: '退回修改',
      kind: 'return',
      by: ['party:host', 'school_admin'],
      needs: { comment: 'optional', returnItems: true },
    },
    { from: 'school_approval', action: 'approve', to: 'in_practice', label: '审核通过', kind: 'approve', by: ['school_admin'], needs: { comment: 'optional' } },
    { from: 'school_approval', action: 'reject', to: 'rejected', label: '不予通过', kind: 'reject', by: ['school_admin'], needs: { comment: 'required' } },
    { from: 'in_practice', action: 'record_change', to: 'in_practice', label: '登记变更', kind: 'other', by: ['owner_person'], data: RecordChangeData },
    { from: 'in_practice', action: 'close', to: 'practised', label: '结束实践', kind: 'approve', by: ['school_admin'], needs: { comment: 'optional' } },
  ],
  snapshot: async (caseId: number, em: EntityManager) => {
    const [row]: Array<{ data: Record<string, unknown> }> = await em.query(`SELECT data FROM test_case_data WHERE case_id = $1`, [caseId]);
    return row?.data ?? {};
  },
  // the feature's rows, written in act()'s transaction: confirmed hours and recorded changes
  onAction: async ({ em, after, action, data, actor }) => {
    if (action !== 'confirm' && action !== 'record_change') return;
    await em.query(`INSERT INTO test_practice_log (case_id, action, data, actor_id) VALUES ($1, $2, $3, $4)`, [
      after.id,
      action,
      JSON.stringify(data ?? {}),
      actor?.id ?? null,
    ]);
    // a hook that fails rolls the whole action back (the case keeps its state)
    if (action === 'record_change' && data?.change === 'fail-in-hook') throw DomainException.conflict('测试：功能拒绝了这项变更');
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
    this.registry.define(testPracticeWorkflow);
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
    CREATE TABLE IF NOT EXISTS test_practice_log (id serial PRIMARY KEY, case_id bigint NOT NULL REFERENCES cases(id), action text NOT NULL, data jsonb NOT NULL, actor_id integer);
    CREATE TABLE IF NOT EXISTS test_effect_starts (id serial PRIMARY KEY, case_id bigint NOT NULL, event_id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now());
  `);
}
