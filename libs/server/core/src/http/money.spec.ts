import { isYuan, yuanToFen } from './money.js';

describe('isYuan: money is a whole number of fen', () => {
  it.each([0, 1, 0.01, 0.29, 120000.05, 50000, 10_000_000_000])('accepts %p', (v) => expect(isYuan(v)).toBe(true));
  it.each([1e-7, 1.5e-9, 1e21, 1 / 3, 0.001, NaN, Infinity, '5', null, 9e15])('refuses %p', (v) => expect(isYuan(v)).toBe(false));
  it('converts to integer fen without floating-point residue', () => {
    expect(yuanToFen(0.29)).toBe(29);
    expect(yuanToFen(120000.05)).toBe(12000005);
  });
});
