/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and A-Y without I, O, S, V, Z.
 * Position 18 is a check character over the first 17 with the weights below (mod 31).
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export type CreditCodeProblem = 'length' | 'character' | 'authority' | 'check_digit';

/**
 * Position 1 is the registration authority (登记管理部门), position 2 the kind of organisation it registers (机构类别):
 * the pairs GB 32100-2015 defines (9 工商: 1 企业, 2 个体工商户, 3 农民专业合作社; 1 机构编制: 1 机关, 2 事业单位…).
 */
const AUTHORITY_KINDS: Record<string, string> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '123',
  A: '19',
  N: '1239',
  Y: '1',
};

/** The check character for the first 17 characters, or undefined when one is outside the alphabet. */
export function creditCodeCheckChar(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_ALPHABET.indexOf(first17[i] ?? '');
    if (v < 0) return undefined;
    sum += v * WEIGHTS[i];
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_ALPHABET[check];
}

/** Why a code is invalid, or undefined when it is valid. Input is taken as typed (upper-case expected). */
export function creditCodeProblem(code: string): CreditCodeProblem | undefined {
  if (code.length !== 18) return 'length';
  if (!SHAPE.test(code)) return 'character';
  if (!AUTHORITY_KINDS[code[0]]?.includes(code[1])) return 'authority';
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? undefined : 'check_digit';
}

export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(code) === undefined;
}

export const CREDIT_CODE_PROBLEM_MESSAGES: Record<CreditCodeProblem, string> = {
  length: '统一社会信用代码应为18位',
  character: '统一社会信用代码含有不允许的字符（仅限数字和除I、O、S、V、Z外的大写字母）',
  authority: '统一社会信用代码前两位（登记管理部门、机构类别）不正确，企业一般以 91 开头',
  check_digit: '统一社会信用代码校验位不正确',
};
