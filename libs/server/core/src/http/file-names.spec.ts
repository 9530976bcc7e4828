import { safeDisplayFilename } from './file-names.js';

describe('safeDisplayFilename', () => {
  it.each([
    ['报告\u202Efdp.exe', '报告fdp.exe'],
    ['\u2066合同\u2069\u200F\u200E\u061C.pdf', '合同.pdf'],
    ['a\u0085b\u009Fc\u200Bd\uFEFF.pdf', 'abcd.pdf'],
    ['line\u2028break\r\n.pdf', 'linebreak.pdf'],
    ['../../etc/passwd.pdf', 'passwd.pdf'],
    ['C:\\Windows\\win.ini.pdf', 'win.ini.pdf'],
    ['...hidden.pdf', 'hidden.pdf'],
    ['"quoted"<name>|?.pdf', 'quotedname.pdf'],
    ['e\u0301cole.pdf', '\u00e9cole.pdf'],
  ])('%j → %j', (given, expected) => expect(safeDisplayFilename(given, '附件.pdf')).toBe(expected));

  it('falls back when nothing is left, and cuts long names by code point', () => {
    expect(safeDisplayFilename('\u202E\u202D\u202A', '附件.pdf')).toBe('附件.pdf');
    expect(safeDisplayFilename(undefined, '附件.pdf')).toBe('附件.pdf');
    expect(safeDisplayFilename('😀'.repeat(200), 'x')).toBe('😀'.repeat(120));
  });
});
