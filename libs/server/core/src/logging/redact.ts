import { maskPhone } from '@portal/contracts';

/**
 * An 18- (or 15-) digit identity number anywhere in a text, kept only as its first 6 and last 4 characters; also
 * right after a percent-encoded character (a URL's `filter=%7B%22q%22%3A%22330302…`), whose hex may end in a digit.
 */
const ID_NUMBER = /(?:(?<!\d)|(?<=%[0-9A-Fa-f]{2}))(\d{6})\d{5,8}(\d{3}[\dXx])(?![\dXx])/g;

/**
 * A mainland mobile number (1[3-9] and 9 more digits) standing alone, with or without the country code 86 and
 * grouped 3-4-4 by a space, a hyphen or their URL forms (`+`, `%20`); also right after a percent-encoded character
 * (`%22139…`). Longer runs of digits are not phones and stay as they are.
 */
const SEP = '(?:[ -]|%20|\\+)?';
const MOBILE = new RegExp(`(?:(?<!\\d)|(?<=%[0-9A-Fa-f]{2}))((?:86${SEP})?)(1[3-9]\\d${SEP}\\d{4}${SEP}\\d{4})(?!\\d)`, 'g');

/** Mask identity numbers in text bound for a log (URLs, messages). */
export function maskIdNumbers(text: string): string {
  return text.replace(ID_NUMBER, (_m, head: string, tail: string) => `${head}********${tail}`);
}

/** Mask mainland mobile numbers in text bound for a log, as the contracts mask a phone (139****5678). */
export function maskMobileNumbers(text: string): string {
  return text.replace(MOBILE, (_m, prefix: string, phone: string) => `${prefix}${maskPhone(phone.replace(/%20|\D/g, ''))}`);
}

/** Mask the personal numbers a log line may carry (identity numbers, then mobile numbers): URLs, messages. */
export function maskPersonalNumbers(text: string): string {
  return maskMobileNumbers(maskIdNumbers(text));
}
