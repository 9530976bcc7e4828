import { settingDefaults } from '@portal/contracts';
import { loginDelayPolicy, loginDelaySeconds } from './login-delay.rules.js';

describe('loginDelaySeconds: a progressive delay per username, capped', () => {
  it('with the default settings: nothing for 4 failures, then 1, 2, 4 … seconds up to 15 minutes', () => {
    const p = loginDelayPolicy(settingDefaults());
    expect(Array.from({ length: 17 }, (_, i) => loginDelaySeconds(i, p))).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    expect(loginDelaySeconds(10_000, p)).toBe(900);
  });

  it('follows the settings', () => {
    const p = loginDelayPolicy({ 'auth.maxFailedLogins': 2, 'auth.loginDelayBaseSeconds': 30, 'auth.lockMinutes': 2 });
    expect([1, 2, 3, 4, 5].map((f) => loginDelaySeconds(f, p))).toEqual([0, 30, 60, 120, 120]);
  });
});
