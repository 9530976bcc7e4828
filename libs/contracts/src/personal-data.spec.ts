import fc from 'fast-check';
import { idNumberCheckChar, idNumberFacts, idNumberProblem, maskIdNumber, maskPhone, phoneKey } from './personal-data.js';

/** A valid ID number for a region code, birth date and sequence (the check character computed). */
const make = (region: string, birth: string, seq: string) => {
  const first17 = `${region}${birth.replace(/-/g, '')}${seq}`;
  return first17 + idNumberCheckChar(first17);
};

describe('居民身份证号码 (GB 11643-1999)', () => {
  it("accepts the standard's own example and valid numbers with X", () => {
    expect(idNumberProblem('11010519491231002X', '2026-11-30')).toBeUndefined(); // the standard's example
    expect(idNumberProblem('11010519491231002x', '2026-11-30')).toBeUndefined();
    expect(idNumberProblem(make('330302', '2008-02-29', '123'), '2026-11-30')).toBeUndefined();
  });

  it('names the problem', () => {
    expect(idNumberProblem('1101051949123100', '2026-11-30')).toBe('length');
    expect(idNumberProblem('11010519491231002Y', '2026-11-30')).toBe('character');
    expect(idNumberProblem(make('990302', '2008-01-01', '123'), '2026-11-30')).toBe('region');
    expect(idNumberProblem(`330302200702291230`, '2026-11-30')).toBe('birth_date'); // 2007 has no 29 February
    expect(idNumberProblem(make('330302', '2027-01-01', '123'), '2026-11-30')).toBe('birth_date'); // born after today
    expect(idNumberProblem('110105194912310021', '2026-11-30')).toBe('check_char');
  });

  it('finds every single-character change (the check character catches it)', () => {
    const valid = make('330302', '2005-06-15', '271');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const changed = valid.slice(0, pos) + String((Number(valid[pos]) + delta) % 10) + valid.slice(pos + 1);
        expect(idNumberProblem(changed, '2026-11-30')).toBeDefined();
      }),
    );
  });

  it('reads the birth date and gender', () => {
    expect(idNumberFacts(make('330302', '2005-06-15', '271'))).toEqual({ birthDate: '2005-06-15', gender: 'male' });
    expect(idNumberFacts(make('330302', '2005-06-15', '282'))).toEqual({ birthDate: '2005-06-15', gender: 'female' });
  });
});

describe('masking', () => {
  it('shows at most the first 6 and last 4 characters of an ID number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('1234')).toBe('****');
  });

  it.each([
    ['13812341234', '138****1234'],
    ['+86 138 1234 1234', '138****1234'],
    ['0577-88886666', '057*****6666'],
    ['88886666', '88****66'],
    ['12345', '*****'],
  ])('shows the phone %s as %s', (input, masked) => expect(maskPhone(input)).toBe(masked));

  it('takes one phone however it is written', () => {
    expect(new Set(['138 1234 1234', '+86 138-1234-1234', '13812341234', '0086 13812341234'].map(phoneKey))).toEqual(new Set(['13812341234']));
  });
});

describe('phoneKey', () => {
  it.each([
    ['13812341234', '13812341234'],
    ['138 1234 1234', '13812341234'],
    ['+86 138-1234-1234', '13812341234'],
    ['0086 13812341234', '13812341234'],
    ['(0577) 8888-6666', '057788886666'],
  ])('%s → %s', (input, key) => expect(phoneKey(input)).toBe(key));
});
