/**
 * Policy numbers an admin may change at run time (DOMAIN.md, rules of thumb). Each has a default here;
 * the database keeps overrides. Later features add their own keys.
 */
export const SETTING_DEFINITIONS = {
  'auth.maxFailedLogins': { default: 5, label: '登录失败锁定次数', min: 1, max: 100 },
  'auth.lockMinutes': { default: 15, label: '账号锁定时长（分钟）', min: 1, max: 1440 },
  'auth.tokenTtlMinutes': { default: 120, label: '登录令牌有效期（分钟）', min: 5, max: 1440 },
  'auth.minPasswordLength': { default: 8, label: '密码最短长度', min: 6, max: 64 },
  'workflow.panelMinMembers': { default: 3, label: '评审专家组最少人数', min: 1, max: 15 },
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
