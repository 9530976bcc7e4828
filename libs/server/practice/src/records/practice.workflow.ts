import type { WorkflowDefinition } from '@portal/workflow';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** The workflow key and resource of a teacher's practice record. */
export const PRACTICE_WORKFLOW = 'practice-record';

/** A practice case's title: who, where, when. */
export const recordTitle = (teacher: string, host: string, start: string, end: string): string => `${teacher}：${host}（${start} 至 ${end}）`;

/** The host's confirmation: the hours it confirms (at most the hours claimed: a mentor may only correct them down). */
export class ConfirmPracticeHoursData {
  @IsInt({ message: '确认学时应为整数' })
  @Min(1, { message: '确认学时至少为 1' })
  @Max(100_000, { message: '确认学时过大' })
  hours!: number;

  @IsOptional()
  @IsString({ message: '说明应为文本' })
  @MaxLength(500, { message: '说明不能超过 500 字' })
  note?: string;
}

/**
 * 教师企业实践记录 (DOMAIN.md §3): the teacher (owner person) logs the practice → the host enterprise (party
 * `host`: its named mentor, else its applicants) confirms the hours, possibly fewer, or returns it → the
 * teacher's school (its admins, an owner-organisation stage) approves or returns → counted (final, positive:
 * the record enters the ledger and its certificate is issued). A record returned at either stage goes back to
 * the host after the teacher's correction: hours the school has not seen confirmed never reach it.
 * `import_approved` is the bulk import's: the school counts a past record it imports (the engine's systemAct
 * records it under the importing admin, with its reason); no user can take it through the actions endpoint.
 */
export const practiceWorkflow: WorkflowDefinition = {
  key: PRACTICE_WORKFLOW,
  title: '教师企业实践',
  resource: 'practice-records',
  initial: 'draft',
  ownerRoles: ['teacher'],
  parties: { host: { label: '接收企业', roles: ['enterprise_applicant'] } },
  // a teacher reads only their own records, the school's admins all of the school's; bureaus do not follow the work in
  // progress: they read counted records only (the figures of task 47), through PracticeRecordsService's list and detail
  read: { ownerOrganisation: ['school_admin'], reviewers: false },
  separation: { judgement: 'consecutive' },
  states: {
    draft: { label: '填报中', kind: 'applicant' },
    returned: { label: '退回修改', kind: 'applicant' },
    host_confirm: { label: '企业确认学时', kind: 'review', actor: 'party:host', sla: 'workflow.reviewWorkingDays' },
    school_approval: { label: '学校审核', kind: 'review', role: 'school_admin', scope: 'owner_organisation', sla: 'workflow.reviewWorkingDays' },
    counted: { label: '已认定', kind: 'final', outcome: 'positive' },
    rejected: { label: '不予认定', kind: 'final', outcome: 'negative' },
    withdrawn: { label: '已撤回', kind: 'final', outcome: 'neutral' },
  },
  transitions: [
    { from: 'draft', action: 'submit', to: 'host_confirm', label: '提交企业确认', kind: 'submit', by: ['owner_person'] },
    { from: 'returned', action: 'resubmit', to: 'host_confirm', label: '修改后重新提交', kind: 'submit', by: ['owner_person'] },
    { from: ['draft', 'returned', 'host_confirm'], action: 'withdraw', to: 'withdrawn', label: '撤回', kind: 'withdraw', by: ['owner_person'] },
    {
      from: 'host_confirm',
      action: 'confirm',
      to: 'school_approval',
      label: '确认学时',
      kind: 'approve',
      by: ['party:host'],
      needs: { comment: 'optional' },
      data: ConfirmPracticeHoursData,
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
    {
      from: 'school_approval',
      action: 'approve',
      to: 'counted',
      label: '审核通过',
      kind: 'approve',
      by: ['school_admin'],
      needs: { comment: 'optional' },
      effects: ['practice.certificate'],
    },
    { from: 'school_approval', action: 'reject', to: 'rejected', label: '不予认定', kind: 'reject', by: ['school_admin'], needs: { comment: 'required' } },
    { from: 'draft', action: 'import_approved', to: 'counted', label: '导入并认定', kind: 'system', by: ['system'], effects: ['practice.certificate'] },
  ],
};
