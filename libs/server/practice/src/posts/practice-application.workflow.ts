import type { WorkflowDefinition } from '@portal/workflow';

/** The workflow key of a teacher's application for a 千企万岗 post. */
export const PRACTICE_APPLICATION_WORKFLOW = 'practice-application';

/**
 * The transitions a post whose period is over holds back (the school letting a teacher go, the enterprise accepting):
 * the module gives them PracticeApplicationsService.periodOpen as their guard.
 */
export const NEEDS_OPEN_PERIOD: readonly string[] = ['school_approve', 'accept'];

/**
 * 千企万岗岗位申请 (task 47): the teacher (owner person; owner organisation: the teacher's school) applies for a post →
 * the school's admins let the teacher go or not (待学校审批) → the post's enterprise (party `host`) accepts or not
 * (待企业接收); the teacher may withdraw while it is open; once the post's period is over (Asia/Shanghai date, plus the
 * setting practice.postEndedGraceDays) the engine's periodic sweep closes it as 岗位已结束 (`expire`), telling the teacher. Accepting takes one opening of the post in act()'s
 * transaction (PracticeApplicationsService.onAction): a full post refuses and the case does not move.
 * The enterprise declines at its own stage only (the engine lets a party act at its stage, not at the school's).
 * Applying is one request: the service opens the case at `draft` and takes `apply` (a system transition, recorded
 * under the teacher) in the same transaction, so no draft is ever left behind and no user can take `apply` again.
 */
export const practiceApplicationWorkflow: WorkflowDefinition = {
  key: PRACTICE_APPLICATION_WORKFLOW,
  title: '千企万岗岗位申请',
  resource: 'practice-applications',
  initial: 'draft',
  ownerRoles: ['teacher'],
  parties: { host: { label: '岗位发布企业', roles: ['enterprise_applicant'] } },
  // the teacher reads their own, the school's admins the school's, the enterprise its posts' (a party); admins all of
  // them through PracticeApplicationsService; the bureaus do not follow the handshake
  read: { ownerOrganisation: ['school_admin'], reviewers: false },
  separation: { judgement: 'consecutive' },
  states: {
    draft: { label: '填写申请', kind: 'applicant' },
    applied: { label: '待学校审批', kind: 'review', role: 'school_admin', scope: 'owner_organisation', sla: 'workflow.reviewWorkingDays' },
    school_approved: { label: '待企业接收', kind: 'review', actor: 'party:host', sla: 'workflow.reviewWorkingDays' },
    accepted: { label: '已接收', kind: 'final', outcome: 'positive' },
    school_declined: { label: '学校未同意', kind: 'final', outcome: 'negative' },
    declined: { label: '企业未接收', kind: 'final', outcome: 'negative' },
    withdrawn: { label: '已撤回', kind: 'final', outcome: 'neutral' },
    // the post's period ended (plus the setting's grace days) while the application was still open: the engine closes it
    post_ended: { label: '岗位已结束', kind: 'final', outcome: 'neutral' },
  },
  transitions: [
    { from: 'draft', action: 'apply', to: 'applied', label: '申请岗位', kind: 'submit', by: ['system'] },
    {
      from: 'applied',
      action: 'school_approve',
      to: 'school_approved',
      label: '同意外出实践',
      kind: 'approve',
      by: ['school_admin'],
      needs: { comment: 'optional' },
    },
    // a refusal says why: the teacher (and, for the enterprise's, the school) reads it
    { from: 'applied', action: 'school_decline', to: 'school_declined', label: '不同意', kind: 'reject', by: ['school_admin'], needs: { comment: 'required' } },
    { from: 'school_approved', action: 'accept', to: 'accepted', label: '接收', kind: 'approve', by: ['party:host'], needs: { comment: 'optional' } },
    { from: 'school_approved', action: 'decline', to: 'declined', label: '不接收', kind: 'reject', by: ['party:host'], needs: { comment: 'required' } },
    { from: ['applied', 'school_approved'], action: 'withdraw', to: 'withdrawn', label: '撤回申请', kind: 'withdraw', by: ['owner_person'] },
    // PracticeApplicationsService.closeEnded, from the engine's periodic sweep: nobody can act on it any more
    { from: ['applied', 'school_approved'], action: 'expire', to: 'post_ended', label: '岗位期间结束', kind: 'system', by: ['system'] },
  ],
};
