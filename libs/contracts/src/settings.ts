/**
 * Policy numbers an admin may change at run time (DOMAIN.md, rules of thumb). Each has a default here;
 * the database keeps overrides. Later features add their own keys.
 */
export const SETTING_DEFINITIONS = {
  // no lock an attacker could hold: after this many failures in a row each further attempt for the username
  // waits (base · 2^(failures − threshold) seconds, at most the cap); attempts inside the wait are not checked
  'auth.maxFailedLogins': { default: 5, label: '连续登录失败几次后开始延时', min: 1, max: 100 },
  'auth.loginDelayBaseSeconds': { default: 1, label: '登录失败延时起点（秒，此后每失败一次加倍）', min: 1, max: 3600 },
  'auth.lockMinutes': { default: 15, label: '登录失败延时上限（分钟）', min: 1, max: 1440 },
  'auth.tokenTtlMinutes': { default: 120, label: '登录令牌有效期（分钟）', min: 5, max: 1440 },
  'auth.minPasswordLength': { default: 8, label: '密码最短长度', min: 6, max: 64 },
  'workflow.panelMinMembers': { default: 3, label: '评审专家组最少人数', min: 1, max: 15 },
  // 产教融合型企业认定 (tasks 21-24)
  'certification.subsidyCityYuan': { default: 50_000, label: '市级认定补助（元）', min: 0, max: 10_000_000 },
  'certification.subsidyProvincialYuan': { default: 200_000, label: '省级认定补助（元）', min: 0, max: 10_000_000 },
  'certification.subsidyNationalYuan': { default: 500_000, label: '国家级认定补助（元）', min: 0, max: 10_000_000 },
  'certification.subsidyDifferenceOnly': { default: 0, label: '高级别只补差额（1 是，0 全额）', min: 0, max: 1 },
  'certification.validityYears': { default: 3, label: '认定有效期（年）', min: 1, max: 10 },
  'certification.blockYearsAfterRevocation': { default: 5, label: '撤销后不得再申报（年）', min: 0, max: 20 },
  'certification.minEvidenceItems': { default: 3, label: '校企合作佐证最少条数', min: 0, max: 50 },
  'certification.minCooperationYears': { default: 2, label: '校企合作最少年数（不足为警示）', min: 0, max: 20 },
  'certification.minInvestmentYuan': { default: 0, label: '职业教育投入最低金额（元，不足为警示）', min: 0, max: 100_000_000 },
  'certification.annualReportMonth': { default: 3, label: '年度报告截止月份（次年该月底前）', min: 1, max: 12 },
  'certification.annualReportReminderDays': { default: 30, label: '年度报告截止前提醒（天）', min: 1, max: 120 },
  'certification.annualBudgetYuan': { default: 5_000_000, label: '年度补助预算（元）', min: 0, max: 1_000_000_000 },
  'attachments.maxMegabytes': { default: 20, label: '附件大小上限（MB）', min: 1, max: 100 },
  'workflow.reviewWorkingDays': { default: 10, label: '每个审核阶段的办理时限（工作日）', min: 1, max: 60 },
  'workflow.publicityWorkingDays': { default: 5, label: '公示期（工作日）', min: 1, max: 30 },
  'workflow.panelPassMark': { default: 60, label: '专家评审通过分数线（平均总分）', min: 0, max: 100 },
  'workflow.reminderWorkingDays': { default: 1, label: '到期前提醒（工作日）', min: 0, max: 10 },
} as const;
export type SettingKey = keyof typeof SETTING_DEFINITIONS;
export type SettingValues = { [K in SettingKey]: number };

export function settingDefaults(): SettingValues {
  const out = {} as SettingValues;
  for (const key of Object.keys(SETTING_DEFINITIONS) as SettingKey[]) out[key] = SETTING_DEFINITIONS[key].default;
  return out;
}
