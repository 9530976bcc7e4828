import { rmbDigits, rmbUppercase } from './money.js';

/**
 * Amounts in words as finance documents write them, checked against 《正确填写票据和结算凭证的基本规定》
 * (中国人民银行《支付结算办法》附件): 人民币 before the amount, 整 after 元, one 零 for a run of zeros
 * inside the number, and 零 optional where the 万 or 元 place is zero but the next place is not
 * (its examples: ￥1,680.32 → 人民币壹仟陆佰捌拾元零叁角贰分 or …元叁角贰分). A leading ten is written
 * 壹拾 (its example: ￥107,000.53 → 人民币壹拾万柒仟元伍角叁分).
 */
describe('rmbUppercase', () => {
  it.each([
    [5_000_000, '人民币伍万元整'], // city subsidy, 5万
    [20_000_000, '人民币贰拾万元整'], // provincial, 20万
    [50_000_000, '人民币伍拾万元整'], // national, 50万
    // ￥1,000,000.50: 元 is always written; the 零 between 元 and 角 (元 place zero, 角 not) is optional,
    // and this function leaves it out — so not "壹佰万零伍角", which would drop the 元
    [100_000_050, '人民币壹佰万元伍角'],
    [1, '人民币零元零壹分'], // 角 place zero, 分 not: 零 after 元 (rule 4); the rules are silent on amounts under one 元
    [0, '人民币零元整'],
    [10_010_000, '人民币壹拾万零壹佰元整'], // ￥100,100: a run of zeros inside → one 零
  ])('%i fen → %s', (fen, words) => {
    expect(rmbUppercase(fen)).toBe(words);
  });

  it('follows the examples of the official rules', () => {
    expect(rmbUppercase(140_950)).toBe('人民币壹仟肆佰零玖元伍角'); // ￥1,409.50
    expect(rmbUppercase(600_714)).toBe('人民币陆仟零柒元壹角肆分'); // ￥6,007.14
    expect(rmbUppercase(168_032)).toBe('人民币壹仟陆佰捌拾元叁角贰分'); // ￥1,680.32 (零 optional)
    expect(rmbUppercase(10_700_053)).toBe('人民币壹拾万柒仟元伍角叁分'); // ￥107,000.53 (零 optional)
    expect(rmbUppercase(1_640_902)).toBe('人民币壹万陆仟肆佰零玖元零贰分'); // ￥16,409.02
    expect(rmbUppercase(32_504)).toBe('人民币叁佰贰拾伍元零肆分'); // ￥325.04
  });

  it('writes zeros across sections once and drops trailing ones', () => {
    expect(rmbUppercase(1_000_500)).toBe('人民币壹万零伍元整'); // ￥10,005
    expect(rmbUppercase(10_000_000_100)).toBe('人民币壹亿零壹元整'); // ￥100,000,001
    expect(rmbUppercase(10_000_000_000)).toBe('人民币壹亿元整');
    expect(rmbUppercase(1_000)).toBe('人民币壹拾元整');
    expect(rmbUppercase(30_000_050_000)).toBe('人民币叁亿零伍佰元整'); // ￥300,000,500
    expect(rmbUppercase(12_345_678_987)).toBe('人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元捌角柒分');
  });

  it.each([-1, -5_000_000, 0.5, 5_000_000.25, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    'refuses %p: not a non-negative whole number of fen',
    (bad) => {
      expect(() => rmbUppercase(bad)).toThrow(/not an amount in fen/);
    },
  );
});

describe('rmbDigits', () => {
  it('writes ¥ with thousands separators and two decimals', () => {
    expect(rmbDigits(5_000_000)).toBe('¥50,000.00');
    expect(rmbDigits(100_000_050)).toBe('¥1,000,000.50');
    expect(rmbDigits(1)).toBe('¥0.01');
  });
});
