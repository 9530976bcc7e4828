import { CERTIFICATION_CHECKLIST, COUNTY_CODES, settingDefaults, type EligibilityRule, type EvidenceItem, type SettingValues } from '@portal/contracts';
import { blocking, eligibility, revocationBlockedUntil, type EligibilityInput } from './eligibility.rules.js';

/**
 * The pre-check (DOMAIN.md §1, seed task 21): every rule at, below and above its threshold, with the
 * thresholds taken from settings (defaults: 3 evidence items, 2 years, 0 元, 5 years after a revocation).
 */

const ALL_CODES = [
  'credit_code',
  'wenzhou_registered',
  'main_business',
  'no_major_accident',
  'not_dishonest',
  'evidence_count',
  'cooperation_years',
  'investment',
  'attachments',
  'not_blocked',
  'not_certified',
];
/** Under the defaults: the investment threshold is 0, so that rule is off and not shown. */
const DEFAULT_CODES = ALL_CODES.filter((c) => c !== 'investment');

const evidence = (n: number, years: number[] = [2023, 2024], investmentYuan = 0): EvidenceItem[] =>
  Array.from({ length: n }, (_, i) => ({
    type: i === 0 && investmentYuan > 0 ? 'investment' : 'internship',
    description: `校企合作佐证 ${i + 1}`,
    schoolName: '温州职业技术学院',
    year: years[i % years.length],
    ...(i === 0 && investmentYuan > 0 ? { amountYuan: investmentYuan } : { count: 10 }),
    source: 'manual',
  }));

/** An application that passes every rule under the default settings. */
const good = (over: Partial<EligibilityInput> = {}): EligibilityInput => ({
  creditCode: '91330302MA2C8X1Y03',
  countyCode: '330302',
  declarations: { noMajorAccident: true, notDishonest: true, mainBusinessNotEducation: true },
  evidence: evidence(3),
  attachmentPurposes: CERTIFICATION_CHECKLIST.map((c) => c.purpose),
  lastRevokedAt: null,
  activeCityCertification: false,
  now: new Date('2025-06-15T02:00:00Z'),
  ...over,
});

const settings = (over: Partial<SettingValues> = {}): SettingValues => ({ ...settingDefaults(), ...over });
const run = (over: Partial<EligibilityInput> = {}, s: Partial<SettingValues> = {}) => eligibility(good(over), settings(s));
const ruleOf = (rules: EligibilityRule[], code: string): EligibilityRule => {
  const r = rules.find((x) => x.code === code);
  if (!r) throw new Error(`no rule ${code}`);
  return r;
};
const statusOf = (over: Partial<EligibilityInput>, code: string, s: Partial<SettingValues> = {}) => ruleOf(run(over, s), code).status;
/** Codes of the rules that do not pass. */
const notPassing = (rules: EligibilityRule[]) => rules.filter((r) => r.status !== 'pass').map((r) => `${r.code}:${r.status}`);

describe('eligibility pre-check', () => {
  it('passes a complete application on every rule, each rule with a label, a message and a source', () => {
    const rules = run();
    expect(rules.map((r) => r.code)).toEqual(DEFAULT_CODES);
    expect(notPassing(rules)).toEqual([]);
    expect(blocking(rules)).toEqual([]);
    for (const r of rules) {
      expect(r.label.length).toBeGreaterThan(0);
      expect(r.message.length).toBeGreaterThan(0);
      expect(typeof r.source).toBe('string');
      expect(r.source).toMatch(/《.+》|GB 32100/);
    }
    expect(ruleOf(rules, 'credit_code').source).toContain('GB 32100-2015');
    expect(ruleOf(rules, 'main_business').source).toContain('发改社会〔2019〕590号');
    expect(ruleOf(rules, 'not_blocked').source).toContain('温政办〔2023〕32号');
  });

  it('each failing rule also carries its source', () => {
    const rules = eligibility(
      {
        creditCode: 'X',
        countyCode: '330102',
        declarations: { noMajorAccident: false, notDishonest: false, mainBusinessNotEducation: false },
        evidence: [],
        attachmentPurposes: [],
        lastRevokedAt: new Date('2025-01-01T00:00:00Z'),
        activeCityCertification: true,
        now: new Date('2025-06-15T00:00:00Z'),
      },
      settings({ 'certification.minInvestmentYuan': 1 }),
    );
    expect(notPassing(rules)).toEqual(ALL_CODES.map((c) => `${c}:${c === 'cooperation_years' || c === 'investment' ? 'warn' : 'block'}`));
    for (const r of rules) expect(r.source.length).toBeGreaterThan(10);
  });

  describe('evidence count (block below certification.minEvidenceItems)', () => {
    it.each([
      [2, 'block'],
      [3, 'pass'],
      [4, 'pass'],
    ])('with the default 3: %i items → %s', (n, status) => {
      const rules = run({ evidence: evidence(n) });
      expect(ruleOf(rules, 'evidence_count').status).toBe(status);
      expect(blocking(rules).map((r) => r.code)).toEqual(status === 'block' ? ['evidence_count'] : []);
    });

    it('follows the setting: 4 items block when 5 are required, 5 and 6 pass; 0 required turns the rule off', () => {
      const s = { 'certification.minEvidenceItems': 5 };
      expect(statusOf({ evidence: evidence(4) }, 'evidence_count', s)).toBe('block');
      expect(statusOf({ evidence: evidence(5) }, 'evidence_count', s)).toBe('pass');
      expect(statusOf({ evidence: evidence(6) }, 'evidence_count', s)).toBe('pass');
      expect(run({ evidence: [] }, { 'certification.minEvidenceItems': 0 }).map((r) => r.code)).not.toContain('evidence_count');
      const r = ruleOf(run({ evidence: evidence(4) }, s), 'evidence_count');
      expect(r.label).toContain('5');
      expect(r.message).toBe('校企合作佐证 4 条，不足 5 条');
    });
  });

  describe('cooperation years (a warning below certification.minCooperationYears)', () => {
    it.each([
      [[2024], 'warn'],
      [[2023, 2024], 'pass'],
      [[2022, 2023, 2024], 'pass'],
    ])('with the default 2: evidence over %j → %s, never blocking', (years, status) => {
      const rules = run({ evidence: evidence(3, years) });
      expect(ruleOf(rules, 'cooperation_years').status).toBe(status);
      expect(blocking(rules)).toEqual([]);
    });

    it('counts distinct years only, ignores items without a year, and follows the setting', () => {
      const undated = evidence(3).map(({ year: _year, ...rest }) => rest);
      expect(statusOf({ evidence: undated }, 'cooperation_years')).toBe('warn');
      expect(ruleOf(run({ evidence: undated }), 'cooperation_years').message).toBe('佐证仅覆盖 0 个年度，不足 2 年');
      expect(statusOf({ evidence: evidence(6, [2024]) }, 'cooperation_years')).toBe('warn');
      const s = { 'certification.minCooperationYears': 3 };
      expect(statusOf({ evidence: evidence(3, [2023, 2024]) }, 'cooperation_years', s)).toBe('warn');
      expect(statusOf({ evidence: evidence(3, [2022, 2023, 2024]) }, 'cooperation_years', s)).toBe('pass');
      expect(statusOf({ evidence: evidence(4, [2021, 2022, 2023, 2024]) }, 'cooperation_years', s)).toBe('pass');
    });
  });

  describe('investment (a warning below certification.minInvestmentYuan)', () => {
    it('is off under the default 0: left out, not shown as "不低于 0 元" passed', () => {
      expect(run({ evidence: evidence(3) }).map((r) => r.code)).not.toContain('investment');
      expect(run({ evidence: evidence(3) }).some((r) => r.label.includes('不低于 0'))).toBe(false);
    });

    it('a threshold of 0 turns the evidence-count and cooperation-year rules off too', () => {
      const codes = run({ evidence: [] }, { 'certification.minEvidenceItems': 0, 'certification.minCooperationYears': 0 }).map((r) => r.code);
      expect(codes).not.toContain('evidence_count');
      expect(codes).not.toContain('cooperation_years');
      expect(codes).toContain('attachments');
    });

    it.each([
      [99_999, 'warn'],
      [100_000, 'pass'],
      [100_001, 'pass'],
    ])('with 100,000 元 required: %i 元 → %s, never blocking', (amount, status) => {
      const rules = run({ evidence: evidence(3, [2023, 2024], amount) }, { 'certification.minInvestmentYuan': 100_000 });
      expect(ruleOf(rules, 'investment').status).toBe(status);
      expect(blocking(rules)).toEqual([]);
    });

    it('sums the investment items only', () => {
      const items: EvidenceItem[] = [
        { type: 'investment', description: '设备', year: 2023, amountYuan: 60_000, source: 'manual' },
        { type: 'investment', description: '奖学金', year: 2024, amountYuan: 40_000, source: 'manual' },
        { type: 'internship', description: '实习（金额不计入投入）', year: 2024, amountYuan: 500_000, source: 'manual' },
      ];
      const r = ruleOf(run({ evidence: items }, { 'certification.minInvestmentYuan': 100_001 }), 'investment');
      expect(r).toMatchObject({ status: 'warn', message: '职业教育投入合计 100000 元，低于 100001 元' });
      expect(statusOf({ evidence: items }, 'investment', { 'certification.minInvestmentYuan': 100_000 })).toBe('pass');
    });
  });

  describe('no new application within certification.blockYearsAfterRevocation years of a revocation', () => {
    const revokedAt = new Date('2020-06-15T02:00:00Z');
    const day = 86_400_000;
    const limit = new Date('2025-06-15T02:00:00Z');

    it('blocks one day before the 5-year limit and names the date it ends', () => {
      const r = ruleOf(run({ lastRevokedAt: revokedAt, now: new Date(limit.getTime() - day) }), 'not_blocked');
      expect(r.status).toBe('block');
      expect(r.label).toBe('撤销认定后 5 年内不得申报');
      expect(r.message).toBe('认定资格于 2020-06-15 被撤销，2025-06-15 前不得再次申报（2025-06-15 起可申报）');
    });

    it('passes one day after the limit', () => {
      expect(statusOf({ lastRevokedAt: revokedAt, now: new Date(limit.getTime() + day) }, 'not_blocked')).toBe('pass');
    });

    it('passes the day after a revocation when the setting is 0, and blocks when it is 1', () => {
      const now = new Date(revokedAt.getTime() + day);
      expect(statusOf({ lastRevokedAt: revokedAt, now }, 'not_blocked', { 'certification.blockYearsAfterRevocation': 0 })).toBe('pass');
      expect(statusOf({ lastRevokedAt: revokedAt, now }, 'not_blocked', { 'certification.blockYearsAfterRevocation': 1 })).toBe('block');
      expect(
        statusOf({ lastRevokedAt: revokedAt, now: new Date(revokedAt.getTime() + 367 * day) }, 'not_blocked', { 'certification.blockYearsAfterRevocation': 1 }),
      ).toBe('pass');
    });

    it('passes without any revocation', () => {
      expect(ruleOf(run({ lastRevokedAt: null }), 'not_blocked')).toMatchObject({ status: 'pass', message: '无撤销认定记录或已满限制期' });
    });

    // Asia/Shanghai calendar dates at both ends, whatever the process's time zone: 00:30 in Wenzhou is 16:30 UTC the
    // day before, 23:30 is 15:30 UTC the same day
    it('counts from the Wenzhou date of a revocation made at 00:30 (16:30 UTC the day before)', () => {
      const at = new Date('2020-06-15T16:30:00Z'); // 2020-06-16 00:30 in Wenzhou
      expect(revocationBlockedUntil(at, 5, '2025-06-15')).toBe('2025-06-16');
      const lastBlocked = ruleOf(run({ lastRevokedAt: at, now: new Date('2025-06-15T15:59:00Z') }), 'not_blocked'); // 2025-06-15 23:59
      expect(lastBlocked).toMatchObject({ status: 'block', message: '认定资格于 2020-06-16 被撤销，2025-06-16 前不得再次申报（2025-06-16 起可申报）' });
      // from 00:00 on 2025-06-16 in Wenzhou (16:00 UTC on the 15th) the enterprise may apply again
      expect(statusOf({ lastRevokedAt: at, now: new Date('2025-06-15T16:00:00Z') }, 'not_blocked')).toBe('pass');
      expect(statusOf({ lastRevokedAt: at, now: new Date('2025-06-15T16:30:00Z') }, 'not_blocked')).toBe('pass');
    });

    it('counts from the Wenzhou date of a revocation made at 23:30 (15:30 UTC the same day)', () => {
      const at = new Date('2020-06-15T15:30:00Z'); // 2020-06-15 23:30 in Wenzhou
      expect(revocationBlockedUntil(at, 5, '2025-06-14')).toBe('2025-06-15');
      expect(revocationBlockedUntil(at, 5, '2025-06-15')).toBeNull();
      // 2025-06-14 23:30 in Wenzhou: still blocked; 2025-06-15 00:30 (16:30 UTC on the 14th): allowed
      expect(statusOf({ lastRevokedAt: at, now: new Date('2025-06-14T15:30:00Z') }, 'not_blocked')).toBe('block');
      expect(statusOf({ lastRevokedAt: at, now: new Date('2025-06-14T16:30:00Z') }, 'not_blocked')).toBe('pass');
    });

    it('ends a block counted from 29 February on 28 February of a year without one', () => {
      const at = new Date('2024-02-29T02:00:00Z');
      expect(revocationBlockedUntil(at, 1, '2025-02-27')).toBe('2025-02-28');
      expect(revocationBlockedUntil(at, 1, '2025-02-28')).toBeNull();
      expect(revocationBlockedUntil(at, 4, '2028-02-28')).toBe('2028-02-29');
    });

    it('is off when the setting is 0 or there is no revocation', () => {
      expect(revocationBlockedUntil(new Date('2025-06-15T02:00:00Z'), 0, '2025-06-15')).toBeNull();
      expect(revocationBlockedUntil(null, 5, '2025-06-15')).toBeNull();
    });
  });

  describe('attachments checklist', () => {
    it.each(CERTIFICATION_CHECKLIST.map((c) => [c.purpose, c.label] as const))('blocks when %s is missing, naming it', (purpose, label) => {
      const r = ruleOf(run({ attachmentPurposes: CERTIFICATION_CHECKLIST.map((c) => c.purpose).filter((p) => p !== purpose) }), 'attachments');
      expect(r.status).toBe('block');
      expect(r.message).toBe(`缺少：${label}`);
    });

    it('ignores attachments of other purposes and lists every missing item', () => {
      const r = ruleOf(run({ attachmentPurposes: ['business_license', 'published_list', 'other'] }), 'attachments');
      expect(r.status).toBe('block');
      expect(r.message).toBe('缺少：校企合作协议、无重大安全、环保、质量事故声明、信用承诺书');
    });
  });

  describe('declarations', () => {
    it.each([
      ['noMajorAccident', 'no_major_accident'],
      ['notDishonest', 'not_dishonest'],
      ['mainBusinessNotEducation', 'main_business'],
    ] as const)('%s false blocks %s (and nothing else)', (field, code) => {
      const rules = run({ declarations: { noMajorAccident: true, notDishonest: true, mainBusinessNotEducation: true, [field]: false } });
      expect(notPassing(rules)).toEqual([`${code}:block`]);
    });
  });

  describe('统一社会信用代码 (GB 32100-2015)', () => {
    it.each([
      ['a wrong check character', '91330302MA2C8X1Y04', '统一社会信用代码校验位不正确'],
      ['a letter that is not allowed (O)', '91330302MA2C8X1O03', '统一社会信用代码含有不允许的字符（仅限数字和除I、O、S、V、Z外的大写字母）'],
      ['17 characters', '91330302MA2C8X1Y0', '统一社会信用代码应为18位'],
    ])('blocks %s', (_what, code, message) => {
      const rules = run({ creditCode: code });
      expect(notPassing(rules)).toEqual(['credit_code:block']);
      expect(ruleOf(rules, 'credit_code').message).toBe(message);
    });

    it('blocks a missing code', () => {
      expect(ruleOf(run({ creditCode: null }), 'credit_code')).toMatchObject({ status: 'block', message: '统一社会信用代码应为18位' });
    });
  });

  describe('registered in Wenzhou', () => {
    it('passes each of the 12 Wenzhou counties', () => {
      expect(COUNTY_CODES).toHaveLength(12);
      for (const code of COUNTY_CODES) expect([code, statusOf({ countyCode: code }, 'wenzhou_registered')]).toEqual([code, 'pass']);
    });

    it.each([
      ['330102', '杭州市上城区'],
      ['330300', '温州市 (not a county)'],
      ['330331', 'not a code'],
    ])('blocks %s (%s)', (code) => {
      expect(notPassing(run({ countyCode: code }))).toEqual(['wenzhou_registered:block']);
    });

    it('blocks a missing county', () => {
      expect(statusOf({ countyCode: null }, 'wenzhou_registered')).toBe('block');
    });
  });

  it('blocks an enterprise that already holds an active city certification', () => {
    const rules = run({ activeCityCertification: true });
    expect(notPassing(rules)).toEqual(['not_certified:block']);
    expect(ruleOf(rules, 'not_certified').message).toBe('已是有效的市级产教融合型企业，无需重复申报');
  });
});
