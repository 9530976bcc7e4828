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

/**
 * Wording an admin may change (the issuing authority, the standard paragraphs of documents). A text may
 * name placeholders in braces, e.g. {企业名称}, filled in when a document is issued; the default is the
 * wording the portal used before it became a setting.
 */
export const TEXT_SETTING_DEFINITIONS = {
  'documents.cityAuthority': { default: '温州市教育局', label: '市级证书、补助通知的签发机关', maxLength: 60, placeholders: [] },
  'documents.certificateBody': {
    default: '{企业名称}：经企业申报、县（市、区）推荐、市级复核、专家评审和公示，你单位被认定为温州市市级产教融合型企业。特发此证。',
    label: '市级产教融合型企业证书正文',
    maxLength: 500,
    placeholders: ['企业名称'],
  },
  'documents.subsidyNoticeBody': {
    default: '根据《温州市推动现代职业教育高质量跨越式发展实施方案(2023-2025)》（温政办〔2023〕32号）任务22，对通过{认定级别}认定的产教融合型企业给予一次性补助。请按规定将下列补助资金拨付至该企业，并在平台登记拨付凭证。',
    label: '补助资金拨付通知书正文',
    maxLength: 500,
    placeholders: ['认定级别'],
  },
} as const satisfies Record<string, { default: string; label: string; maxLength: number; placeholders: readonly string[] }>;
export type TextSettingKey = keyof typeof TEXT_SETTING_DEFINITIONS;
export type TextSettingValues = { [K in TextSettingKey]: string };

export function textSettingDefaults(): TextSettingValues {
  const out = {} as TextSettingValues;
  for (const key of Object.keys(TEXT_SETTING_DEFINITIONS) as TextSettingKey[]) out[key] = TEXT_SETTING_DEFINITIONS[key].default;
  return out;
}

/** A text setting with its placeholders filled in: `{企业名称}` → the value given for 企业名称. */
export function fillText(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^{}]{1,20})\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}
