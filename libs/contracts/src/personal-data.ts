import { isIsoDay, portalToday } from './dates.js';

/**
 * Personal data: 居民身份证号码 (GB 11643-1999) and phone numbers, checked as typed and shown masked everywhere but
 * where a person's job needs the full value.
 */

/** Weights of the first 17 characters, and the check character for each remainder mod 11. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** Province-level codes of GB/T 2260 (the first two digits of an address code). */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '91',
]);

export type IdNumberProblem = 'length' | 'character' | 'region' | 'birth_date' | 'check_char';

export const ID_NUMBER_PROBLEM_MESSAGES: Record<IdNumberProblem, string> = {
  length: '身份证号码应为18位',
  character: '身份证号码应为17位数字加1位数字或X',
  region: '身份证号码的地址码不正确',
  birth_date: '身份证号码中的出生日期不存在或晚于今天',
  check_char: '身份证号码校验位不正确',
};

/** The check character of the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '';
}

/** Why an 18-character ID number is invalid, or undefined when it is valid. A lower-case x is taken as X. */
export function idNumberProblem(raw: string, today = portalToday()): IdNumberProblem | undefined {
  const id = raw.toUpperCase();
  if (id.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(id)) return 'character';
  if (!PROVINCES.has(id.slice(0, 2))) return 'region';
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isIsoDay(birth) || birth > today || birth < '1900-01-01') return 'birth_date';
  return idNumberCheckChar(id.slice(0, 17)) === id[17] ? undefined : 'check_char';
}

/** The facts an ID number states: birth date (YYYY-MM-DD) and gender (the 17th digit: odd male, even female). */
export function idNumberFacts(id: string): { birthDate: string; gender: 'male' | 'female' } {
  return { birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, gender: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

/** An ID number as every view, export and log shows it: at most its first 6 and last 4 characters. */
export function maskIdNumber(id: string): string {
  return id.length <= 10 ? '*'.repeat(id.length) : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/**
 * A phone reduced to its digits (a mainland mobile number without its +86 / 0086 prefix), so that
 * "138 1234 1234", "+86 138-1234-1234" and "13812341234" are one phone.
 */
export function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const mobile = /^(?:0086|86)(1\d{10})$/.exec(digits);
  return mobile ? mobile[1] : digits;
}

/** A phone as everyone but those whose job needs it sees it: first 3 and last 4 digits (138****1234); short numbers keep the last 2. */
export function maskPhone(phone: string): string {
  const digits = phoneKey(phone);
  if (digits.length >= 11) return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
  if (digits.length >= 7) return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
  return '*'.repeat(Math.max(3, digits.length));
}
