import { CREDIT_CODE_ALPHABET, creditCodeCheckChar, creditCodeProblem, isValidCreditCode } from './credit-code.js';

/** Codes of well-known registered organisations, as published (国家企业信用信息公示系统). */
const REAL_CODES = [
  '91110000802100433B', // 中国石油化工股份有限公司
  '914403001922038216', // 华为技术有限公司
  '91330100716105852F', // 阿里巴巴（中国）有限公司
  '12100000400000624D', // a public institution (事业单位, category 1)
];

describe('统一社会信用代码 check character (GB 32100-2015)', () => {
  it.each(REAL_CODES)('accepts the real code %s', (code) => {
    expect(creditCodeProblem(code)).toBeUndefined();
    expect(isValidCreditCode(code)).toBe(true);
  });

  it('rejects every single-character corruption of every real code', () => {
    let checked = 0;
    for (const code of REAL_CODES) {
      for (let pos = 0; pos < 18; pos++) {
        for (const c of CREDIT_CODE_ALPHABET) {
          if (c === code[pos]) continue;
          const corrupted = code.slice(0, pos) + c + code.slice(pos + 1);
          // a corruption in the 6-digit area code to a letter is a character error; all others break the check
          expect(isValidCreditCode(corrupted)).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBe(REAL_CODES.length * 18 * 30);
  });

  it('names the problem: length, forbidden character, check digit', () => {
    expect(creditCodeProblem('9111000080210043')).toBe('length');
    expect(creditCodeProblem('91110000802100433BX')).toBe('length');
    expect(creditCodeProblem('91110000802100I33B')).toBe('character'); // I is not allowed
    expect(creditCodeProblem('91110000802100O33B')).toBe('character'); // O is not allowed
    expect(creditCodeProblem('9111000080210043zb')).toBe('character'); // lower case
    expect(creditCodeProblem('9111A000802100433B')).toBe('character'); // letters in the area code
    expect(creditCodeProblem('91110000802100433C')).toBe('check_digit');
    // the first two name the authority and the kind it registers (GB 32100-2015): 14 is no pair, 91 an enterprise
    const withCheck = (first17: string) => first17 + creditCodeCheckChar(first17)!;
    expect(creditCodeProblem(withCheck('14168419900307462'))).toBe('authority');
    expect(creditCodeProblem(withCheck('94110000802100433'))).toBe('authority');
    expect(creditCodeProblem(withCheck('52330302MA5ABCDEF'))).toBeUndefined(); // 民政 · 民办非企业单位
  });

  it('maps a check value of 31 to 0 (the sum is a multiple of 31)', () => {
    // search for a 17-character body whose weighted sum is divisible by 31
    for (let i = 0; i < 31 * 31; i++) {
      const body = `91330302MA2C8X${String(i).padStart(3, '0')}`;
      if (creditCodeCheckChar(body) === '0') {
        expect(isValidCreditCode(`${body}0`)).toBe(true);
        return;
      }
    }
    throw new Error('no body with check character 0 found');
  });
});
