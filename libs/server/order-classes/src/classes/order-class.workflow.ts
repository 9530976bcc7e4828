import { IsPortalDay } from '@portal/core';
import { ORDER_CLASS_CHECKLIST } from '@portal/contracts';
import type { ActionHookContext, Guard, WorkflowDefinition } from '@portal/workflow';
import { IsInt, IsString, MaxLength, Min, MinLength } from 'class-validator';

export const ORDER_CLASS_WORKFLOW = 'order-class';
/** The effect of filing: the 订单班备案回执 issued through the documents service. */
export const FILE_RECEIPT_EFFECT = 'order-classes.receipt';

/**
 * The classes that count toward the plan's target (seed task 30, 200+ order classes): filed by the county bureau
 * (备案) and not terminated since — running (`active`), reporting their completion (`reporting`) or completed
 * (`closed`). A class refused (`not_filed`), withdrawn before filing (`withdrawn`) or terminated after filing
 * (`terminated`) does not count. The list's filter `counted: true`, the progress figure and the dashboard use it.
 */
export const FILED_STATES = ['active', 'reporting', 'closed'] as const;
/** The state a class enters when it is filed (its first entry is the filing date) and the one that ends it early. */
export const FILED_ENTRY_STATE = 'active';
export const ENDED_EARLY_STATE = 'terminated';

/**
 * A roster change while the class runs (加入 / 退出): the student (for a join, the roster row the change
 * staged), the date and the reason. No personal data: the event records exactly this.
 */
export class RosterChangeData {
  @IsInt({ message: '学生应为名单中的学生编号' })
  @Min(1, { message: '学生应为名单中的学生编号' })
  studentId!: number;

  @IsPortalDay('日期应为 YYYY-MM-DD')
  date!: string;

  @IsString({ message: '原因应为文本' })
  @MinLength(2, { message: '请填写原因（至少 2 个字）' })
  @MaxLength(200, { message: '原因不能超过 200 字' })
  reason!: string;
}

export interface OrderClassGuards {
  /** the registration is complete (fields and the checklist's attachments) */
  complete: Guard;
  /** the class has students on its roster */
  hasStudents: Guard;
  /** every student still on the roster has an outcome */
  outcomesReported: Guard;
}

/**
 * 订单班 (DOMAIN.md §2, seed task 30): the school drafts → the enterprise (party `enterprise`) confirms as
 * co-signer or returns it with comments → the education bureau of the school's county files it (备案, which
 * issues the 订单班备案回执) or returns it → active (roster changes recorded as self-loop actions) → the
 * school ends the training and reports each student's outcome (结业报告) → closed. The school may withdraw
 * before filing; the bureau may refuse to file; a running class may be terminated.
 */
export function orderClassWorkflow(guards: OrderClassGuards, onAction: (ctx: ActionHookContext) => Promise<void>): WorkflowDefinition {
  return {
    key: ORDER_CLASS_WORKFLOW,
    title: '订单班备案',
    resource: 'order-classes',
    initial: 'draft',
    ownerRoles: ['school_admin'],
    parties: { enterprise: { label: '合作企业', roles: ['enterprise_applicant'] } },
    // the school's admins (not its teachers), the enterprise, and reviewers in scope once submitted
    read: { ownerOrganisation: ['school_admin'], reviewers: true },
    separation: { judgement: 'distinct' },
    checklist: ORDER_CLASS_CHECKLIST,
    states: {
      draft: { label: '填报中', kind: 'applicant' },
      returned: { label: '退回修改', kind: 'applicant' },
      enterprise_confirm: { label: '企业确认', kind: 'review', actor: 'party:enterprise', sla: 'workflow.reviewWorkingDays' },
      county_filing: {
        label: '县级备案',
        kind: 'review',
        role: 'county_reviewer',
        scope: 'county',
        sla: 'workflow.reviewWorkingDays',
        supervisorRole: 'city_reviewer',
      },
      active: { label: '培养中', kind: 'active', role: 'school_admin', scope: 'owner_organisation' },
      // the school reports each student's outcome: no one's judgement, no SLA; its submission closes the class
      reporting: { label: '结业报告', kind: 'active', role: 'school_admin', scope: 'owner_organisation' },
      closed: { label: '已结业', kind: 'final', outcome: 'positive' },
      terminated: { label: '已终止', kind: 'final', outcome: 'negative' },
      not_filed: { label: '不予备案', kind: 'final', outcome: 'negative' },
      withdrawn: { label: '已撤回', kind: 'final', outcome: 'neutral' },
    },
    transitions: [
      { from: 'draft', action: 'submit', to: 'enterprise_confirm', label: '提交企业确认', kind: 'submit', by: ['owner'], guards: [guards.complete] },
      // a changed registration is co-signed again, whoever returned it
      {
        from: 'returned',
        action: 'resubmit',
        to: 'enterprise_confirm',
        label: '修改后重新提交',
        kind: 'submit',
        by: ['owner'],
        guards: [guards.complete],
      },
      {
        from: ['draft', 'returned', 'enterprise_confirm', 'county_filing'],
        action: 'withdraw',
        to: 'withdrawn',
        label: '撤回',
        kind: 'withdraw',
        by: ['owner'],
        needs: { comment: 'optional' },
      },
      {
        from: 'enterprise_confirm',
        action: 'confirm',
        to: 'county_filing',
        label: '确认合作（会签）',
        kind: 'approve',
        by: ['party:enterprise'],
        needs: { comment: 'optional' },
      },
      {
        from: ['enterprise_confirm', 'county_filing'],
        action: 'return',
        to: 'returned',
        label: '退回修改',
        kind: 'return',
        by: ['party:enterprise', 'county_reviewer'],
        needs: { comment: 'required', returnItems: true },
      },
      {
        from: 'county_filing',
        action: 'file',
        to: 'active',
        label: '予以备案',
        kind: 'approve',
        by: ['county_reviewer'],
        needs: { comment: 'optional' },
        effects: [FILE_RECEIPT_EFFECT],
      },
      { from: 'county_filing', action: 'refuse', to: 'not_filed', label: '不予备案', kind: 'reject', by: ['county_reviewer'], needs: { comment: 'required' } },
      { from: 'active', action: 'record_leave', to: 'active', label: '登记学生退出', kind: 'other', by: ['owner'], data: RosterChangeData },
      { from: 'active', action: 'record_join', to: 'active', label: '登记学生加入', kind: 'other', by: ['owner'], data: RosterChangeData },
      {
        from: 'active',
        action: 'finish',
        to: 'reporting',
        label: '结束培养，填报结业情况',
        kind: 'other',
        by: ['owner'],
        guards: [guards.hasStudents],
        needs: { comment: 'optional' },
      },
      { from: 'active', action: 'terminate', to: 'terminated', label: '终止订单班', kind: 'other', by: ['owner'], needs: { comment: 'required' } },
      {
        from: 'reporting',
        action: 'report',
        to: 'closed',
        label: '提交结业报告',
        kind: 'submit',
        by: ['owner'],
        guards: [guards.outcomesReported],
        needs: { comment: 'optional' },
      },
    ],
    onAction,
  };
}
