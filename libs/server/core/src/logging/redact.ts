/**
 * An 18- (or 15-) digit identity number anywhere in a text, kept only as its first 6 and last 4 characters; also
 * right after a percent-encoded character (a URL's `filter=%7B%22q%22%3A%22330302…`), whose hex may end in a digit.
 */
const ID_NUMBER = /(?:(?<!\d)|(?<=%[0-9A-Fa-f]{2}))(\d{6})\d{5,8}(\d{3}[\dXx])(?![\dXx])/g;

/** Mask identity numbers in text bound for a log (URLs, messages). */
export function maskIdNumbers(text: string): string {
  return text.replace(ID_NUMBER, (_m, head: string, tail: string) => `${head}********${tail}`);
}
