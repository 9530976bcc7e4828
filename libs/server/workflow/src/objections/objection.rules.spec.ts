import type { Actor } from '@portal/identity';
import { maskName, seesObjectorPhone } from './objection.rules.js';

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
