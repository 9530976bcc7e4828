import type { Actor } from '@portal/identity';
import { maskName, maskPhone, phoneKey, seesObjectorPhone } from './objection.rules.js';

describe('phoneKey', () => {
  it.each([
    ['13812341234', '13812341234'],
    ['138 1234 1234', '13812341234'],
    ['+86 138-1234-1234', '13812341234'],
    ['0086 13812341234', '13812341234'],
    ['(0577) 8888-6666', '057788886666'],
  ])('%s → %s', (input, key) => expect(phoneKey(input)).toBe(key));
});

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['+86 138 1234 1234', '138****1234'],
    ['0577-88886666', '057*****6666'],
    ['88886666', '88****66'],
    ['12345', '*****'],
  ])('%s → %s', (input, masked) => expect(maskPhone(input)).toBe(masked));
});

it('maskName keeps the family name only', () => expect(maskName('张三丰')).toBe('张**'));

describe('seesObjectorPhone', () => {
  const actor = (roles: string[], organisationId = 1) => ({ id: 9, roles, organisationId }) as unknown as Actor;
  it('a city reviewer outside the applicant organisation sees it', () => expect(seesObjectorPhone(actor(['city_reviewer']), { ownerOrgId: 2 })).toBe(true));
  it('nobody else does: admin, county reviewer, expert, the applicant', () => {
    expect(seesObjectorPhone(actor(['admin']), { ownerOrgId: 2 })).toBe(false);
    expect(seesObjectorPhone(actor(['county_reviewer']), { ownerOrgId: 2 })).toBe(false);
    expect(seesObjectorPhone(actor(['expert']), { ownerOrgId: 2 })).toBe(false);
    expect(seesObjectorPhone(actor(['city_reviewer', 'enterprise_applicant'], 2), { ownerOrgId: 2 })).toBe(false);
  });
});
