import type { Role } from '@portal/contracts';
import { hashPassword } from '@portal/identity';
import type { EntityManager } from 'typeorm';
import { CITY_EDUCATION_BUREAU } from './reference.seed.js';

/** The demo enterprise (鹿城区, 电气); its credit code carries a valid GB 32100-2015 check character. */
export const DEMO_ENTERPRISE = {
  name: '温州瓯江电气科技有限公司',
  creditCode: '91330302MA2C8X1Y03',
  countyCode: '330302',
  industry: 'electrical',
  address: '温州市鹿城区工业园区滨江路88号',
  contactName: '陈经理',
  contactPhone: '0577-88880001',
};

/** One demo account per persona, and the second city reviewer a journey needs (README lists them); they share the demo password. */
export const DEMO_ACCOUNTS: ReadonlyArray<{
  username: string;
  displayName: string;
  roles: Role[];
  organisation: { kind: string; name: string };
  jurisdiction?: string;
}> = [
  { username: 'admin', displayName: '系统管理员', roles: ['admin'], organisation: { kind: 'authority', name: CITY_EDUCATION_BUREAU } },
  { username: 'city', displayName: '市教育局审核员', roles: ['city_reviewer'], organisation: { kind: 'authority', name: CITY_EDUCATION_BUREAU } },
  // separation of duties: whoever did 市级复核 may not take the decision, so a journey needs a second city reviewer
  { username: 'city2', displayName: '市教育局审核员二', roles: ['city_reviewer'], organisation: { kind: 'authority', name: CITY_EDUCATION_BUREAU } },
  {
    username: 'county',
    displayName: '鹿城区教育局审核员',
    roles: ['county_reviewer'],
    organisation: { kind: 'authority', name: '鹿城区教育局' },
    jurisdiction: '330302',
  },
  { username: 'expert1', displayName: '评审专家一', roles: ['expert'], organisation: { kind: 'school', name: '温州职业技术学院' } },
  { username: 'expert2', displayName: '评审专家二', roles: ['expert'], organisation: { kind: 'school', name: '温州科技职业学院' } },
  { username: 'expert3', displayName: '评审专家三', roles: ['expert'], organisation: { kind: 'authority', name: '温州市发展和改革委员会' } },
  {
    username: 'finance',
    displayName: '鹿城区财政局经办人',
    roles: ['finance'],
    organisation: { kind: 'authority', name: '鹿城区财政局' },
    jurisdiction: '330302',
  },
  { username: 'enterprise', displayName: '企业申报人', roles: ['enterprise_applicant'], organisation: { kind: 'enterprise', name: DEMO_ENTERPRISE.name } },
  { username: 'school', displayName: '学校管理员', roles: ['school_admin'], organisation: { kind: 'school', name: '浙江工贸职业技术学院' } },
  { username: 'teacher', displayName: '王老师', roles: ['teacher'], organisation: { kind: 'school', name: '浙江工贸职业技术学院' } },
];

/**
 * Idempotent: the demo enterprise and demo accounts are created when missing; an existing account is left
 * as it is (its password is not reset).
 */
export async function seedDemoData(em: EntityManager, password: string): Promise<void> {
  const e = DEMO_ENTERPRISE;
  await em.query(
    `INSERT INTO organisations (kind, name, credit_code, county_code, industry, address, contact_name, contact_phone)
     VALUES ('enterprise', $1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [e.name, e.creditCode, e.countyCode, e.industry, e.address, e.contactName, e.contactPhone],
  );
  const existing: Array<{ username: string }> = await em.query(`SELECT username FROM users WHERE username = ANY($1)`, [DEMO_ACCOUNTS.map((a) => a.username)]);
  const missing = DEMO_ACCOUNTS.filter((a) => !existing.some((x) => x.username === a.username));
  const hashes = await Promise.all(missing.map(() => hashPassword(password)));
  for (const [i, a] of missing.entries()) {
    await em.query(
      `INSERT INTO users (username, display_name, password_hash, organisation_id, roles, jurisdiction)
       SELECT $1, $2, $3, o.id, $4, $5 FROM organisations o WHERE o.kind = $6 AND o.name = $7
       ON CONFLICT DO NOTHING`,
      [a.username, a.displayName, hashes[i], a.roles, a.jurisdiction ?? null, a.organisation.kind, a.organisation.name],
    );
  }
}
