import { CERTIFICATION_CHECKLIST } from '@portal/contracts';
import type { WorkflowDefinition, Guard } from '@portal/workflow';
import { noOpenObjections } from '@portal/workflow';

export const CERTIFICATION_WORKFLOW = 'certification';
export const RECORD_WORKFLOW = 'certification-record';
/** The attachment purpose of a record's published list (省/国家公布名单或认定文件). */
export const PUBLISHED_LIST = 'published_list';

/** Panel criteria (会签 scores; the pass mark on the average total is the setting workflow.panelPassMark). */
export const PANEL_CRITERIA = [
  { key: 'cooperation', label: '校企合作基础', max: 30 },
  { key: 'talent', label: '人才培养贡献', max: 30 },
  { key: 'investment', label: '投入与保障', max: 20 },
  { key: 'plan', label: '三年规划', max: 20 },
];

/**
 * The city-level 产教融合型企业认定 (DOMAIN.md §1, as provinces practise 发改社会〔2019〕590号):
 * submit → county 初审/推荐 → city 复核 → expert panel (会签) → 待公示 (the city publishes the 公示 list,
 * one or many at once; a clerical step outside separation of duties) → 公示 → 认定 or 不予认定.
 * Any review stage may return for 补正 or reject; the applicant may withdraw before the decision.
 * `eligible` is the pre-check guard (blocking rules keep a submission back).
 */
export function certificationWorkflow(eligible: Guard): WorkflowDefinition {
  return {
    key: CERTIFICATION_WORKFLOW,
    title: '产教融合型企业认定',
    resource: 'certification-applications',
    initial: 'draft',
    ownerRoles: ['enterprise_applicant'],
    checklist: CERTIFICATION_CHECKLIST,
    states: {
      draft: { label: '填报中', kind: 'applicant' },
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
        supervisorRole: 'city_reviewer',
        panel: {
          rule: 'all',
          criteria: PANEL_CRITERIA,
          passMarkSetting: 'workflow.panelPassMark',
          minMembersSetting: 'workflow.panelMinMembers',
          onPass: 'panel_pass',
          onFail: 'panel_fail',
        },
      },
      publicity_pending: {
        label: '待公示',
        kind: 'review',
        role: 'city_reviewer',
        scope: 'city',
        sla: 'workflow.reviewWorkingDays',
        supervisorRole: 'admin',
        clerical: true,
      },
      publicity: { label: '公示', kind: 'timed', timed: { workingDaysSetting: 'workflow.publicityWorkingDays', onExpire: 'publicity_end', objections: true } },
      decision: { label: '认定决定', kind: 'review', role: 'city_reviewer', scope: 'city', sla: 'workflow.reviewWorkingDays', supervisorRole: 'admin' },
      certified: { label: '已认定', kind: 'final', outcome: 'positive' },
      // dynamic management: the city revokes a certification (fraud, major accident, 失信); the application says so
      revoked: { label: '已撤销认定', kind: 'final', outcome: 'negative' },
      not_certified: { label: '不予认定', kind: 'final', outcome: 'negative' },
      rejected: { label: '审核不通过', kind: 'final', outcome: 'negative' },
      withdrawn: { label: '已撤回', kind: 'final', outcome: 'neutral' },
    },
    transitions: [
      { from: 'draft', action: 'submit', to: 'county_review', label: '提交申报', kind: 'submit', by: ['owner'], guards: [eligible] },
      { from: 'returned', action: 'resubmit', to: '@returnedFrom', label: '补正后重新提交', kind: 'submit', by: ['owner'], guards: [eligible] },
      {
        from: ['draft', 'returned', 'county_review', 'city_review', 'panel', 'publicity_pending'],
        action: 'withdraw',
        to: 'withdrawn',
        label: '撤回申请',
        kind: 'withdraw',
        by: ['owner'],
        needs: { comment: 'optional' },
      },
      {
        from: 'county_review',
        action: 'recommend',
        to: 'city_review',
        label: '同意推荐',
        kind: 'approve',
        by: ['county_reviewer'],
        needs: { comment: 'optional' },
      },
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
        label: '审核不通过',
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
        needs: { comment: 'optional', panel: { role: 'expert', minSetting: 'workflow.panelMinMembers' } },
      },
      { from: 'panel', action: 'appoint', to: 'panel', label: '增补专家', kind: 'other', by: ['city_reviewer'], needs: { panel: { role: 'expert', min: 1 } } },
      {
        from: 'panel',
        action: 'score',
        to: 'panel',
        label: '提交评分',
        kind: 'score',
        by: ['expert'],
        needs: { comment: 'optional', score: { criteria: PANEL_CRITERIA } },
      },
      { from: 'panel', action: 'recuse', to: 'panel', label: '申请回避', kind: 'recuse', by: ['expert'], needs: { comment: 'required' } },
      { from: 'panel', action: 'panel_pass', to: 'publicity_pending', label: '评审通过，待公示', kind: 'system', by: ['system'] },
      // publishing the 公示 list is clerical: the city may put many applications on notice in one batch
      {
        from: 'publicity_pending',
        action: 'publicize',
        to: 'publicity',
        label: '发布公示',
        kind: 'approve',
        by: ['city_reviewer'],
        needs: { comment: 'optional' },
      },
      { from: 'panel', action: 'panel_fail', to: 'city_review', label: '评审未通过，退回市级复核', kind: 'system', by: ['system'] },
      { from: 'publicity', action: 'publicity_end', to: 'decision', label: '公示期满', kind: 'system', by: ['system'], guards: [noOpenObjections] },
      {
        from: 'decision',
        action: 'certify',
        to: 'certified',
        label: '予以认定',
        kind: 'approve',
        by: ['city_reviewer'],
        guards: [noOpenObjections],
        effects: ['certification.certify'],
        needs: { comment: 'optional' },
      },
      { from: 'decision', action: 'decline', to: 'not_certified', label: '不予认定', kind: 'reject', by: ['city_reviewer'], needs: { comment: 'required' } },
      // taken by the certification's revocation (POST /api/certifications/:id/revoke), under the reviewer who revoked it
      { from: 'certified', action: 'revoke', to: 'revoked', label: '撤销认定', kind: 'system', by: ['system'] },
    ],
  };
}

/**
 * A provincial or national certification proposed by the enterprise with the published list attached,
 * confirmed by the city; the confirmation records it and creates its subsidy.
 */
export function recordWorkflow(hasPublishedList: Guard): WorkflowDefinition {
  return {
    key: RECORD_WORKFLOW,
    title: '省级、国家级认定备案',
    resource: 'certification-records',
    initial: 'draft',
    ownerRoles: ['enterprise_applicant'],
    checklist: [{ purpose: PUBLISHED_LIST, label: '公布名单或认定文件' }],
    states: {
      draft: { label: '填报中', kind: 'applicant' },
      returned: { label: '退回补正', kind: 'applicant' },
      city_confirm: { label: '市级确认', kind: 'review', role: 'city_reviewer', scope: 'city', sla: 'workflow.reviewWorkingDays', supervisorRole: 'admin' },
      confirmed: { label: '已确认', kind: 'final', outcome: 'positive' },
      revoked: { label: '已撤销认定', kind: 'final', outcome: 'negative' },
      rejected: { label: '不予确认', kind: 'final', outcome: 'negative' },
      withdrawn: { label: '已撤回', kind: 'final', outcome: 'neutral' },
    },
    transitions: [
      { from: 'draft', action: 'submit', to: 'city_confirm', label: '提交', kind: 'submit', by: ['owner'], guards: [hasPublishedList] },
      { from: 'returned', action: 'resubmit', to: 'city_confirm', label: '补正后重新提交', kind: 'submit', by: ['owner'], guards: [hasPublishedList] },
      { from: ['draft', 'returned', 'city_confirm'], action: 'withdraw', to: 'withdrawn', label: '撤回', kind: 'withdraw', by: ['owner'] },
      {
        from: 'city_confirm',
        action: 'confirm',
        to: 'confirmed',
        label: '确认',
        kind: 'approve',
        by: ['city_reviewer'],
        effects: ['certification.record'],
        needs: { comment: 'optional' },
      },
      {
        from: 'city_confirm',
        action: 'return',
        to: 'returned',
        label: '退回补正',
        kind: 'return',
        by: ['city_reviewer'],
        needs: { comment: 'optional', returnItems: true },
      },
      { from: 'city_confirm', action: 'reject', to: 'rejected', label: '不予确认', kind: 'reject', by: ['city_reviewer'], needs: { comment: 'required' } },
      { from: 'confirmed', action: 'revoke', to: 'revoked', label: '撤销认定', kind: 'system', by: ['system'] },
      // the city records a provincial/national certification itself (POST /certifications): a record case
      // opened and confirmed at once under the reviewer, so its subsidy and revocation have a chain to go on;
      // a submission, so reviewers read it like any submitted record (its facts are in the event)
      { from: 'draft', action: 'record', to: 'confirmed', label: '市级直接登记', kind: 'submit', by: ['system'] },
    ],
  };
}
