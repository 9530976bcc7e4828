import {
  addYears,
  CERTIFICATION_CHECKLIST,
  COUNTY_CODES,
  creditCodeProblem,
  CREDIT_CODE_PROBLEM_MESSAGES,
  portalDate,
  type Declarations,
  type EligibilityRule,
  type EvidenceItem,
  type SettingValues,
} from '@portal/contracts';

/** Where the rules come from (DOMAIN.md §1; seed task 21). */
const NDRC_590 = '《建设产教融合型企业实施办法（试行）》（发改社会〔2019〕590号）';
const WENZHOU = '《温州市产教融合型企业培育认定办法（试行）》；温政办〔2023〕32号 任务21';
const GB32100 = 'GB 32100-2015《法人和其他组织统一社会信用代码编码规则》';

export interface EligibilityInput {
  creditCode: string | null;
  countyCode: string | null;
  declarations: Declarations;
  evidence: EvidenceItem[];
  /** purposes of the attachments on the application */
  attachmentPurposes: string[];
  /** the latest revocation of a certification of this enterprise, if any */
  lastRevokedAt: Date | null;
  /** whether it already holds a standing city-level certification */
  activeCityCertification: boolean;
  now: Date;
}

type Settings = Pick<
  SettingValues,
  'certification.minEvidenceItems' | 'certification.minCooperationYears' | 'certification.minInvestmentYuan' | 'certification.blockYearsAfterRevocation'
>;

const rule = (code: string, label: string, ok: boolean, failStatus: 'warn' | 'block', passMsg: string, failMsg: string, source: string): EligibilityRule => ({
  code,
  label,
  status: ok ? 'pass' : failStatus,
  message: ok ? passMsg : failMsg,
  source,
});

/** The rules whose threshold is a setting: a threshold of 0 turns the rule off (it is not shown as passed). */
const THRESHOLD_RULES: Record<string, keyof Settings> = {
  evidence_count: 'certification.minEvidenceItems',
  cooperation_years: 'certification.minCooperationYears',
  investment: 'certification.minInvestmentYuan',
};

/**
 * The revocation rule (DOMAIN.md §1: no new application for N years after a revocation), the one definition that
 * both the pre-check and starting an application read. In Asia/Shanghai calendar dates: revoked on date R, the
 * enterprise may not apply on any date before R + N years (the same date N years on; a 29 February falls on
 * 28 February, as `addYears` and the civil code's 月末日 have it) and may apply again from that date on — so the
 * revocation date itself counts as the first day of the N years, and the user reads "D 前不得再次申报（D 起可申报）".
 * Answers D while `today` (the portal's date, YYYY-MM-DD) is before it, else null; `years` ≤ 0 turns the rule off.
 */
export function revocationBlockedUntil(lastRevokedAt: Date | null, years: number, today: string): string | null {
  if (!lastRevokedAt || years <= 0) return null;
  const until = addYears(portalDate(lastRevokedAt), years);
  return today < until ? until : null;
}

/**
 * The eligibility pre-check run before submission: each rule passes, warns or blocks, with its source.
 * Thresholds are settings; a threshold set to 0 means the rule is off, and it is left out (a "不低于 0 元"
 * shown as passed would claim a check that was never made). A blocking rule keeps the application from
 * being submitted.
 */
export function eligibility(input: EligibilityInput, s: Settings): EligibilityRule[] {
  return allRules(input, s).filter((r) => !(r.code in THRESHOLD_RULES) || s[THRESHOLD_RULES[r.code]] > 0);
}

function allRules(input: EligibilityInput, s: Settings): EligibilityRule[] {
  const codeProblem = input.creditCode ? creditCodeProblem(input.creditCode) : 'length';
  const years = new Set(input.evidence.map((e) => e.year).filter((y): y is number => typeof y === 'number'));
  const investment = input.evidence.filter((e) => e.type === 'investment').reduce((sum, e) => sum + (e.amountYuan ?? 0), 0);
  const missing = CERTIFICATION_CHECKLIST.filter((c) => !input.attachmentPurposes.includes(c.purpose));
  const blockYears = s['certification.blockYearsAfterRevocation'];
  const blockedUntil = revocationBlockedUntil(input.lastRevokedAt, blockYears, portalDate(input.now));
  return [
    rule(
      'credit_code',
      '统一社会信用代码有效',
      !codeProblem,
      'block',
      '统一社会信用代码校验通过',
      codeProblem ? CREDIT_CODE_PROBLEM_MESSAGES[codeProblem] : '',
      GB32100,
    ),
    rule(
      'wenzhou_registered',
      '在温州市注册',
      input.countyCode !== null && COUNTY_CODES.includes(input.countyCode),
      'block',
      '注册地在温州市辖区内',
      '企业注册地须在温州市所辖县（市、区）',
      WENZHOU,
    ),
    rule(
      'main_business',
      '主营业务不是教育培训',
      input.declarations.mainBusinessNotEducation,
      'block',
      '已声明主营业务不属于教育培训',
      '主营业务为教育培训的企业不在认定范围内（请确认声明）',
      NDRC_590,
    ),
    rule(
      'no_major_accident',
      '近三年无重大安全、环保、质量事故',
      input.declarations.noMajorAccident,
      'block',
      '已声明无重大事故',
      '须声明近三年无重大安全、环保、质量事故',
      NDRC_590,
    ),
    rule(
      'not_dishonest',
      '未被列入失信名单',
      input.declarations.notDishonest,
      'block',
      '已声明未被列入严重失信主体名单',
      '须声明未被列入严重失信主体名单',
      NDRC_590,
    ),
    rule(
      'evidence_count',
      `校企合作佐证不少于 ${s['certification.minEvidenceItems']} 条`,
      input.evidence.length >= s['certification.minEvidenceItems'],
      'block',
      `已提供 ${input.evidence.length} 条校企合作佐证`,
      `校企合作佐证 ${input.evidence.length} 条，不足 ${s['certification.minEvidenceItems']} 条`,
      NDRC_590,
    ),
    rule(
      'cooperation_years',
      `校企合作不少于 ${s['certification.minCooperationYears']} 年`,
      years.size >= s['certification.minCooperationYears'],
      'warn',
      `佐证覆盖 ${years.size} 个年度`,
      `佐证仅覆盖 ${years.size} 个年度，不足 ${s['certification.minCooperationYears']} 年`,
      WENZHOU,
    ),
    rule(
      'investment',
      `职业教育投入不低于 ${s['certification.minInvestmentYuan']} 元`,
      investment >= s['certification.minInvestmentYuan'],
      'warn',
      `职业教育投入合计 ${investment} 元`,
      `职业教育投入合计 ${investment} 元，低于 ${s['certification.minInvestmentYuan']} 元`,
      WENZHOU,
    ),
    rule('attachments', '申报材料齐全', missing.length === 0, 'block', '申报材料齐全', `缺少：${missing.map((m) => m.label).join('、')}`, WENZHOU),
    rule(
      'not_blocked',
      `撤销认定后 ${blockYears} 年内不得申报`,
      blockedUntil === null,
      'block',
      '无撤销认定记录或已满限制期',
      `认定资格于 ${input.lastRevokedAt ? portalDate(input.lastRevokedAt) : ''} 被撤销，${blockedUntil ?? ''} 前不得再次申报（${blockedUntil ?? ''} 起可申报）`,
      WENZHOU,
    ),
    rule(
      'not_certified',
      '尚未获得市级认定',
      !input.activeCityCertification,
      'block',
      '尚无有效的市级认定',
      '已是有效的市级产教融合型企业，无需重复申报',
      WENZHOU,
    ),
  ];
}

export const blocking = (rules: EligibilityRule[]): EligibilityRule[] => rules.filter((r) => r.status === 'block');
