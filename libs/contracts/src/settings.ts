/** One policy number: its default, what users read about it (Chinese), and its allowed range. */
export interface SettingDefinition {
  default: number;
  label: string;
  description: string;
  min: number;
  max: number;
}

/**
 * Policy numbers an admin may change at run time (DOMAIN.md, rules of thumb). Each has a default here,
 * a Chinese label and a description the settings page shows (the key itself is never shown to users);
 * the database keeps overrides. Later features add their own keys.
 */
export const SETTING_DEFINITIONS = {
  // no lock an attacker could hold: after this many failures in a row each further attempt for the username
  // waits (base · 2^(failures − threshold) seconds, at most the cap); attempts inside the wait are not checked
  'auth.maxFailedLogins': {
    default: 5,
    label: '连续登录失败几次后开始延时',
    description: '同一账号连续输错密码达到此次数后，每次再尝试登录都须等待一段时间（逐次加倍），防止暴力猜测密码，又不会让他人把账号锁死。',
    min: 1,
    max: 100,
  },
  'auth.loginDelayBaseSeconds': {
    default: 1,
    label: '登录失败延时起点（秒）',
    description: '开始延时后的第一次等待秒数，此后每再失败一次加倍。',
    min: 1,
    max: 3600,
  },
  'auth.lockMinutes': { default: 15, label: '登录失败延时上限（分钟）', description: '连续登录失败后的等待时间最长不超过此分钟数。', min: 1, max: 1440 },
  'auth.tokenTtlMinutes': {
    default: 120,
    label: '登录令牌有效期（分钟）',
    description: '登录后无需重新登录即可使用的时长，到期后需重新登录。',
    min: 5,
    max: 1440,
  },
  'auth.minPasswordLength': { default: 8, label: '密码最短长度', description: '设置或修改密码时要求的最少字符数。', min: 6, max: 64 },
  'workflow.panelMinMembers': {
    default: 3,
    label: '评审专家组最少人数',
    description: '提交专家评审时至少选择的专家人数；专家组有效评分达到此人数才能得出评审结论。',
    min: 1,
    max: 15,
  },
  // 产教融合型企业认定 (tasks 21-24)
  'certification.subsidyCityYuan': {
    default: 50_000,
    label: '市级认定补助（元）',
    description: '被认定为市级产教融合型企业后一次性给予的补助金额（重点任务第22项）。',
    min: 0,
    max: 10_000_000,
  },
  'certification.subsidyProvincialYuan': {
    default: 200_000,
    label: '省级认定补助（元）',
    description: '被认定为省级产教融合型企业后一次性给予的补助金额。',
    min: 0,
    max: 10_000_000,
  },
  'certification.subsidyNationalYuan': {
    default: 500_000,
    label: '国家级认定补助（元）',
    description: '被认定为国家级产教融合型企业后一次性给予的补助金额。',
    min: 0,
    max: 10_000_000,
  },
  'certification.subsidyDifferenceOnly': {
    default: 0,
    label: '高级别只补差额（1 是，0 全额）',
    description: '企业升级认定时：1 表示只补与已拨补助的差额，0 表示按新级别全额补助。',
    min: 0,
    max: 1,
  },
  'certification.validityYears': { default: 3, label: '认定有效期（年）', description: '市级认定自认定之日起的有效年数，期满需重新认定。', min: 1, max: 10 },
  'certification.blockYearsAfterRevocation': {
    default: 5,
    label: '撤销后不得再申报（年）',
    description: '认定资格被撤销后，企业在此年数内不得再次申报。',
    min: 0,
    max: 20,
  },
  'certification.minEvidenceItems': {
    default: 3,
    label: '校企合作佐证最少条数',
    description: '资格预审要求的校企合作佐证材料最少条数，不足则不能提交。',
    min: 0,
    max: 50,
  },
  'certification.minCooperationYears': {
    default: 2,
    label: '校企合作最少年数（不足为警示）',
    description: '校企合作年数低于此值时，资格预审给出警示（不阻止提交）。',
    min: 0,
    max: 20,
  },
  'certification.minInvestmentYuan': {
    default: 0,
    label: '职业教育投入最低金额（元，不足为警示）',
    description: '职业教育投入低于此金额时，资格预审给出警示（不阻止提交）。',
    min: 0,
    max: 100_000_000,
  },
  'certification.annualReportMonth': {
    default: 3,
    label: '年度报告截止月份（次年该月底前）',
    description: '已认定企业须在次年此月月底前提交上一年度的产教融合年度报告。',
    min: 1,
    max: 12,
  },
  'certification.annualReportReminderDays': {
    default: 30,
    label: '年度报告截止前提醒（天）',
    description: '年度报告截止日前多少天开始提醒企业。',
    min: 1,
    max: 120,
  },
  'certification.annualBudgetYuan': {
    default: 5_000_000,
    label: '年度补助预算（元）',
    description: '当年可用于认定补助的预算总额，用于首页预算执行情况对比。',
    min: 0,
    max: 1_000_000_000,
  },
  'imports.maxFileMegabytes': {
    default: 10,
    label: '导入文件大小上限（MB）',
    description: '批量导入（学生名单、历年实践记录等）上传的 .xlsx 或 .csv 文件允许的最大大小。',
    min: 1,
    max: 100,
  },
  'imports.maxRows': { default: 20000, label: '每次导入最多行数', description: '一个导入文件最多可包含的数据行数，超过请分批导入。', min: 10, max: 1_000_000 },
  'imports.maxUnpackedMegabytes': {
    default: 200,
    label: '导入文件解压后大小上限（MB）',
    description: '.xlsx 文件是压缩包，解压后的总大小超过此值即拒绝（防止“压缩炸弹”拖垮服务器）。',
    min: 1,
    max: 2000,
  },
  'imports.keepHours': {
    default: 24,
    label: '导入预览保留时间（小时）',
    description: '上传后预览结果保留的小时数，过期未确认导入的文件即删除，需重新上传。',
    min: 1,
    max: 720,
  },
  // 教师入企实践 (tasks 47-48, 《职业学校教师企业实践规定》教师〔2016〕3号)
  'practice.hoursPerMonth': {
    default: 176,
    label: '企业实践每月折算学时',
    description: '教师企业实践折算为月数时，每月按此学时计算（月数 = 学时 ÷ 此值）。',
    min: 1,
    max: 744,
  },
  'practice.requiredMonths': {
    default: 6,
    label: '每个周期须完成的企业实践（月）',
    description: '专业课教师在每个周期（年数见下一项）内累计企业实践达到此月数，即满足职称评审的企业实践前置条件。',
    min: 1,
    max: 60,
  },
  'practice.windowYears': {
    default: 5,
    label: '企业实践累计周期（年）',
    description: '一条已认定的实践记录自结束之日起在此年数内计入累计（结束日 + 年数的前一天为最后一天；2 月 29 日结束的按 2 月 28 日计）。',
    min: 1,
    max: 20,
  },
  'practice.warnMonths': {
    default: 12,
    label: '企业实践即将不达标提醒（月）',
    description: '学校名单中列出在此月数内将因记录移出周期而不再达标的教师。',
    min: 1,
    max: 60,
  },
  'practice.maxHoursPerDay': {
    default: 8,
    label: '企业实践每天最多学时',
    description: '一条实践记录填报的学时不得超过实践天数乘以此值。',
    min: 1,
    max: 24,
  },
  'practice.postEndedGraceDays': {
    default: 0,
    label: '岗位结束后未办结申请的保留天数',
    description:
      '千企万岗岗位的实践期间结束后，仍处于“待学校审批”或“待企业接收”的申请再保留此天数，期满由系统关闭为“岗位已结束”并通知教师（0：岗位结束的次日关闭）。',
    min: 0,
    max: 365,
  },
  'attachments.maxMegabytes': { default: 20, label: '附件大小上限（MB）', description: '单个上传附件允许的最大文件大小。', min: 1, max: 100 },
  'attachments.maxPerCase': {
    default: 50,
    label: '每个事项附件数量上限',
    description: '一个申请（事项）最多可保存的附件数量，超过时上传被拒绝。',
    min: 1,
    max: 500,
  },
  'attachments.maxPerChecklistItem': {
    default: 1,
    label: '每个材料清单项文件数量上限',
    description: '材料清单每一项最多的文件数量；达到上限后再上传即替换原文件（补正时常用）。',
    min: 1,
    max: 20,
  },
  // 公示 objections are anonymous to the portal (no login): limits keep one phone or one address from flooding them
  'objections.maxPerPhonePerDay': {
    default: 5,
    label: '同一电话号码每日提出异议上限',
    description: '公示期间同一电话号码每天最多可提出的异议件数（按温州日期计）。',
    min: 1,
    max: 100,
  },
  'objections.maxPerAddressPerDay': {
    default: 20,
    label: '同一网络地址每日提出异议上限',
    description: '公示期间同一网络地址每天最多可提出的异议件数（按温州日期计）。',
    min: 1,
    max: 1000,
  },
  'workflow.reviewWorkingDays': {
    default: 10,
    label: '每个审核阶段的办理时限（工作日）',
    description: '县级初审、市级复核、专家评审、认定决定等每个审核阶段的办理时限，按工作日（含调休）计算。',
    min: 1,
    max: 60,
  },
  'workflow.publicityWorkingDays': {
    default: 5,
    label: '公示期（工作日）',
    description: '评审通过后社会公示的期限，按工作日计算；期满且无未处理异议时进入认定决定。',
    min: 1,
    max: 30,
  },
  'workflow.panelPassMark': {
    default: 60,
    label: '专家评审通过分数线（平均总分）',
    description: '专家组平均总分达到此分数即评审通过，否则退回市级复核。',
    min: 0,
    max: 100,
  },
  'workflow.correctionDays': {
    default: 10,
    label: '补正期限默认天数（自然日）',
    description: '退回补正时补正期限的默认值：自退回之日起的自然日数，审核人员退回时可改为其他日期。',
    min: 1,
    max: 90,
  },
  'workflow.invitationDays': {
    default: 30,
    label: '邀请有效期（自然日）',
    description: '以统一社会信用代码和邮箱邀请未注册单位时，邮件中的邀请链接自发出之日起的有效天数；过期后由邀请方重新发送。',
    min: 1,
    max: 365,
  },
  'workflow.reminderWorkingDays': {
    default: 1,
    label: '到期前提醒（工作日）',
    description: '待办到期前多少个工作日提醒办理人；0 表示只在到期当天（或期间无工作日时）提醒。',
    min: 0,
    max: 10,
  },
  // 订单班 (seed task 30)
  'orderClasses.maxStudents': {
    default: 300,
    label: '每个订单班学生人数上限',
    description: '一个订单班名单最多可登记的学生人数（含已退出的）；超过时新增或导入被拒绝。',
    min: 1,
    max: 20_000,
  },
} as const satisfies Record<string, SettingDefinition>;
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
  'documents.cityAuthority': {
    default: '温州市教育局',
    label: '市级证书、补助通知的签发机关',
    description: '印在市级产教融合型企业证书和补助资金拨付通知书落款处、并在公开核验页显示的签发机关名称。',
    maxLength: 60,
    placeholders: [],
  },
  'documents.certificateBody': {
    default: '{企业名称}：经企业申报、县（市、区）推荐、市级复核、专家评审和公示，你单位被认定为温州市市级产教融合型企业。特发此证。',
    label: '市级产教融合型企业证书正文',
    description: '证书正文；{企业名称} 在签发时替换为企业名称。修改只影响此后签发（含重新签发）的证书。',
    maxLength: 500,
    placeholders: ['企业名称'],
  },
  'documents.subsidyNoticeBody': {
    default:
      '根据《温州市推动现代职业教育高质量跨越式发展实施方案(2023-2025)》（温政办〔2023〕32号）任务22，对通过{认定级别}认定的产教融合型企业给予一次性补助。请按规定将下列补助资金拨付至该企业，并在平台登记拨付凭证。',
    label: '补助资金拨付通知书正文',
    description: '拨付通知书正文；{认定级别} 在签发时替换为市级、省级或国家级。修改只影响此后签发的通知书。',
    maxLength: 500,
    placeholders: ['认定级别'],
  },
  'documents.orderClassReceiptBody': {
    default: '{学校名称}与{企业名称}联合举办的订单班“{班级名称}”已经企业确认，予以备案。请按培养方案和合作协议组织教学、实习，并在结业后报送学生就业情况。',
    label: '订单班备案回执正文',
    description: '订单班备案回执正文；{学校名称}、{企业名称}、{班级名称} 在签发时替换。修改只影响此后签发的回执。',
    maxLength: 500,
    placeholders: ['学校名称', '企业名称', '班级名称'],
  },
} as const satisfies Record<string, { default: string; label: string; description: string; maxLength: number; placeholders: readonly string[] }>;
export type TextSettingKey = keyof typeof TEXT_SETTING_DEFINITIONS;
export type TextSettingValues = { [K in TextSettingKey]: string };

export function textSettingDefaults(): TextSettingValues {
  const out = {} as TextSettingValues;
  for (const key of Object.keys(TEXT_SETTING_DEFINITIONS) as TextSettingKey[]) out[key] = TEXT_SETTING_DEFINITIONS[key].default;
  return out;
}

/** A text setting with its placeholders filled in: `{企业名称}` → the value given for 企业名称. */
export function fillText(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^{}]{1,20})\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name] : whole));
}

/** One setting as the admin's settings page reads it: its value, default, wording and bounds. */
export type SettingRow =
  | { id: string; type: 'number'; value: number; default: number; label: string; description: string; min: number; max: number }
  | { id: string; type: 'text'; value: string; default: string; label: string; description: string; maxLength: number; placeholders: readonly string[] };
