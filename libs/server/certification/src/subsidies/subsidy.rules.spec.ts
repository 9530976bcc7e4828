import { settingDefaults, type SettingValues } from '@portal/contracts';
import { subsidyAmount, type GrantedSubsidy } from './subsidy.rules.js';

/** Task 22: one-time 5万 (city), 20万 (provincial), 50万 (national); amounts in fen (1 元 = 100 fen). */
const WAN = 10_000 * 100;

const full = (over: Partial<SettingValues> = {}): SettingValues => ({ ...settingDefaults(), ...over });
const difference = (over: Partial<SettingValues> = {}): SettingValues => full({ 'certification.subsidyDifferenceOnly': 1, ...over });

describe('subsidy amount by level', () => {
  describe('default policy: the full amount', () => {
    it('has the documented defaults: 5万 / 20万 / 50万, full amount', () => {
      const s = settingDefaults();
      expect(s['certification.subsidyCityYuan']).toBe(50_000);
      expect(s['certification.subsidyProvincialYuan']).toBe(200_000);
      expect(s['certification.subsidyNationalYuan']).toBe(500_000);
      expect(s['certification.subsidyDifferenceOnly']).toBe(0);
    });

    it.each([
      ['city', 5 * WAN],
      ['provincial', 20 * WAN],
      ['national', 50 * WAN],
    ] as const)('%s → %i fen with nothing granted before', (level, fen) => {
      expect(subsidyAmount(level, full(), [])).toEqual({ amountFen: fen, policy: 'full' });
    });

    it('pays the full amount whatever lower levels were granted', () => {
      const granted: GrantedSubsidy[] = [
        { level: 'city', amountFen: 5 * WAN },
        { level: 'provincial', amountFen: 20 * WAN },
      ];
      expect(subsidyAmount('provincial', full(), granted.slice(0, 1))).toEqual({ amountFen: 20 * WAN, policy: 'full' });
      expect(subsidyAmount('national', full(), granted)).toEqual({ amountFen: 50 * WAN, policy: 'full' });
    });

    it('follows the amount settings (元 → fen)', () => {
      const s = full({ 'certification.subsidyCityYuan': 80_000, 'certification.subsidyProvincialYuan': 1, 'certification.subsidyNationalYuan': 0 });
      expect(subsidyAmount('city', s, []).amountFen).toBe(8_000_000);
      expect(subsidyAmount('provincial', s, []).amountFen).toBe(100);
      expect(subsidyAmount('national', s, []).amountFen).toBe(0);
    });
  });

  describe('difference policy (certification.subsidyDifferenceOnly = 1)', () => {
    it('city, with nothing lower, is its full amount', () => {
      expect(subsidyAmount('city', difference(), [])).toEqual({ amountFen: 5 * WAN, policy: 'difference' });
    });

    it('provincial after a granted city 5万 → 15万', () => {
      expect(subsidyAmount('provincial', difference(), [{ level: 'city', amountFen: 5 * WAN }])).toEqual({ amountFen: 15 * WAN, policy: 'difference' });
    });

    it('national after city 5万 and provincial 20万 (granted in full) → 25万', () => {
      const granted: GrantedSubsidy[] = [
        { level: 'city', amountFen: 5 * WAN },
        { level: 'provincial', amountFen: 20 * WAN },
      ];
      expect(subsidyAmount('national', difference(), granted)).toEqual({ amountFen: 25 * WAN, policy: 'difference' });
    });

    it('national after city 5万 and provincial 15万 (itself a difference) → 30万: the three add up to 50万', () => {
      const city = subsidyAmount('city', difference(), []).amountFen;
      const provincial = subsidyAmount('provincial', difference(), [{ level: 'city', amountFen: city }]).amountFen;
      const national = subsidyAmount('national', difference(), [
        { level: 'city', amountFen: city },
        { level: 'provincial', amountFen: provincial },
      ]).amountFen;
      expect([city, provincial, national]).toEqual([5 * WAN, 15 * WAN, 30 * WAN]);
      expect(city + provincial + national).toBe(50 * WAN);
    });

    it('national with nothing lower → 50万', () => {
      expect(subsidyAmount('national', difference(), [])).toEqual({ amountFen: 50 * WAN, policy: 'difference' });
    });

    it('counts lower levels only: a same-level or higher grant is not deducted', () => {
      expect(
        subsidyAmount('provincial', difference(), [
          { level: 'national', amountFen: 50 * WAN },
          { level: 'provincial', amountFen: 20 * WAN },
        ]).amountFen,
      ).toBe(20 * WAN);
      expect(subsidyAmount('city', difference(), [{ level: 'provincial', amountFen: 20 * WAN }]).amountFen).toBe(5 * WAN);
    });

    it('is never negative when the settings make a lower level larger', () => {
      const s = difference({ 'certification.subsidyCityYuan': 300_000 });
      expect(subsidyAmount('provincial', s, [{ level: 'city', amountFen: 30 * WAN }])).toEqual({ amountFen: 0, policy: 'difference' });
      const t = difference({ 'certification.subsidyNationalYuan': 100_000 });
      expect(
        subsidyAmount('national', t, [
          { level: 'city', amountFen: 5 * WAN },
          { level: 'provincial', amountFen: 15 * WAN },
        ]),
      ).toEqual({ amountFen: 0, policy: 'difference' });
    });
  });
});
