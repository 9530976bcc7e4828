import { COUNTIES } from '@portal/contracts';
import type { EntityManager } from 'typeorm';
import { insertRows, reserveIds } from './engine.js';
import { address, COUNTY_WEIGHTS, creditCode, enterpriseName, INDUSTRY_LIST, landline, personName } from './names.js';
import type { Prng } from './random.js';
import type { CitySizes } from './sizes.js';

/** Identity's tables of a generated city: enterprises, more schools, and their users (organisations, users). */

export interface Org {
  id: number;
  name: string;
  countyCode: string;
  industry?: string;
  creditCode?: string;
  /** the enterprise's applicant, or the school's admin */
  userId: number;
}

export interface CityPeople {
  enterprises: Org[];
  schools: Org[];
  teachers: Array<{ id: number; schoolId: number; name: string }>;
  /** county code → the county reviewer's and the finance officer's user ids */
  countyReviewer: Map<string, number>;
  finance: Map<string, number>;
  fixed: Record<'city' | 'city2' | 'expert1' | 'expert2' | 'expert3' | 'admin', number>;
  demo: { enterprise: Org; school: Org; teacherId: number };
}

const SCHOOL_KINDS = ['职业技术学校', '职业中等专业学校', '技工学校'];

export async function seedCityPeople(em: EntityManager, sizes: CitySizes, passwordHash: string, rnd: Prng, tag: string): Promise<CityPeople> {
  const users = async (names: string[]) =>
    new Map(
      (await em.query<Array<{ username: string; id: number }>>(`SELECT username, id FROM users WHERE username = ANY($1)`, [names])).map((u) => [
        u.username,
        u.id,
      ]),
    );
  const demoUsers = await users(['admin', 'city', 'city2', 'county', 'expert1', 'expert2', 'expert3', 'finance', 'enterprise', 'school', 'teacher']);
  const need = (u: string) => {
    const id = demoUsers.get(u);
    if (id === undefined) throw new Error(`demo city: the demo account ${u} is missing`);
    return id;
  };
  const [demoEnt] = await em.query<Array<{ id: number; name: string; county_code: string; industry: string; credit_code: string }>>(
    `SELECT o.id, o.name, o.county_code, o.industry, o.credit_code FROM organisations o JOIN users u ON u.organisation_id = o.id WHERE u.username = 'enterprise'`,
  );
  const seedSchools = await em.query<Array<{ id: number; name: string; county_code: string }>>(
    `SELECT id, name, county_code FROM organisations WHERE kind = 'school' ORDER BY id`,
  );

  // enterprises
  const entBase = await reserveIds(em, 'organisations', sizes.enterprises + sizes.schools);
  const userBase = await reserveIds(em, 'users', sizes.enterprises + sizes.schools + seedSchools.length + sizes.teachers + 2 * COUNTIES.length);
  let nextUser = userBase;
  const enterprises: Org[] = [];
  const orgRows: unknown[][] = [];
  const userRows: unknown[][] = [];
  for (let i = 0; i < sizes.enterprises; i++) {
    const county = rnd.weighted(COUNTY_WEIGHTS);
    // 5+5+N: the traditional five hold most firms, the emerging five a good share, N the rest
    const industry = rnd.weighted(INDUSTRY_LIST.map((c, k) => [c, k < 5 ? 12 : k < 10 ? 7 : 5] as const));
    const name = enterpriseName(i, county, industry, rnd);
    const org: Org = { id: entBase + i, name, countyCode: county, industry, creditCode: creditCode(i, county), userId: nextUser++ };
    enterprises.push(org);
    orgRows.push([
      org.id,
      'enterprise',
      name,
      org.creditCode,
      county,
      industry,
      null,
      address(county, rnd),
      `${personName(rnd).slice(0, 1)}经理`,
      landline(rnd),
    ]);
    userRows.push([org.userId, `qy${tag}${String(i + 1).padStart(6, '0')}`, `${name}申报人`, org.id, ['enterprise_applicant'], null]);
  }
  const schools: Org[] = [];
  for (let i = 0; i < sizes.schools; i++) {
    const county = COUNTIES[i % COUNTIES.length].code;
    const label = COUNTIES[i % COUNTIES.length].name;
    const name = i < COUNTIES.length ? `温州市${label}${SCHOOL_KINDS[0]}` : `${label}第${Math.floor(i / COUNTIES.length) + 1}${SCHOOL_KINDS[i % 3]}`;
    const org: Org = { id: entBase + sizes.enterprises + i, name: `${name}${tag ? `（${tag}）` : ''}`, countyCode: county, userId: nextUser++ };
    schools.push(org);
    orgRows.push([org.id, 'school', org.name, null, county, null, i % 3 === 2 ? 'technician' : 'secondary', address(county, rnd), null, landline(rnd)]);
    userRows.push([org.userId, `xx${tag}${String(i + 1).padStart(5, '0')}`, `${org.name}管理员`, org.id, ['school_admin'], null]);
  }
  // the seed schools: their admins (浙江工贸's is the demo account 'school')
  const demoSchool = seedSchools.find((s) => s.name === '浙江工贸职业技术学院')!;
  for (const [k, s] of seedSchools.entries()) {
    let adminId = s.id === demoSchool.id ? need('school') : undefined;
    if (adminId === undefined) {
      const existing = await em.query<Array<{ id: number }>>(
        `SELECT id FROM users WHERE organisation_id = $1 AND 'school_admin' = ANY(roles) ORDER BY id LIMIT 1`,
        [s.id],
      );
      adminId = existing[0]?.id;
    }
    if (adminId === undefined) {
      adminId = nextUser++;
      userRows.push([adminId, `school${tag}${k + 1}`, `${s.name}管理员`, s.id, ['school_admin'], null]);
    }
    schools.unshift({ id: s.id, name: s.name, countyCode: s.county_code, userId: adminId });
  }
  // a county reviewer and a finance officer in every county (鹿城区's are the demo accounts)
  const countyReviewer = new Map<string, number>();
  const finance = new Map<string, number>();
  const bureaus = await em.query<Array<{ id: number; county_code: string; authority_type: string }>>(
    `SELECT id, county_code, authority_type FROM organisations WHERE kind = 'authority' AND county_code IS NOT NULL`,
  );
  const existingOfficers = await em.query<Array<{ id: number; jurisdiction: string; roles: string[] }>>(
    `SELECT id, jurisdiction, roles FROM users WHERE jurisdiction IS NOT NULL AND (roles && ARRAY['county_reviewer', 'finance']) ORDER BY id`,
  );
  for (const c of COUNTIES) {
    for (const [role, map, type, prefix, label] of [
      ['county_reviewer', countyReviewer, 'education', 'county', '教育局审核员'],
      ['finance', finance, 'finance', 'finance', '财政局经办人'],
    ] as const) {
      const have = existingOfficers.find((u) => u.jurisdiction === c.code && u.roles.includes(role));
      if (have) {
        map.set(c.code, have.id);
        continue;
      }
      const id = nextUser++;
      const bureau = bureaus.find((b) => b.county_code === c.code && b.authority_type === type)!;
      userRows.push([id, `${prefix}${c.code}${tag}`, `${c.name}${label}`, bureau.id, [role], c.code]);
      map.set(c.code, id);
    }
  }
  const teachers: CityPeople['teachers'] = [];
  const teacherRows: unknown[][] = [];
  for (let i = 0; i < sizes.teachers; i++) {
    const school = schools[i % schools.length];
    const t = { id: nextUser++, schoolId: school.id, name: `${personName(rnd)}` };
    teachers.push(t);
    teacherRows.push([t.id, `js${tag}${String(i + 1).padStart(6, '0')}`, `${t.name}老师`, school.id, ['teacher'], null]);
  }
  await insertRows(
    em,
    'organisations',
    {
      id: 'int',
      kind: 'text',
      name: 'text',
      credit_code: 'text',
      county_code: 'text',
      industry: 'text',
      school_type: 'text',
      address: 'text',
      contact_name: 'text',
      contact_phone: 'text',
    },
    orgRows,
  );
  const cols = { id: 'int', username: 'text', display_name: 'text', organisation_id: 'int', roles: 'text', jurisdiction: 'text' };
  for (const rows of [userRows, teacherRows]) {
    // roles is text[]: each generated user has one role, wrapped here
    await insertRows(
      em,
      'users',
      { ...cols, password_hash: 'text' },
      rows.map((r) => [r[0], r[1], r[2], r[3], (r[4] as string[])[0], r[5], passwordHash]),
      {
        into: 'id, username, display_name, organisation_id, roles, jurisdiction, password_hash',
        select: 'u.id, u.username, u.display_name, u.organisation_id, ARRAY[u.roles], u.jurisdiction, u.password_hash',
      },
    );
  }
  const demoEnterprise: Org = {
    id: demoEnt.id,
    name: demoEnt.name,
    countyCode: demoEnt.county_code,
    industry: demoEnt.industry,
    creditCode: demoEnt.credit_code,
    userId: need('enterprise'),
  };
  return {
    enterprises,
    schools,
    teachers,
    countyReviewer,
    finance,
    fixed: { city: need('city'), city2: need('city2'), expert1: need('expert1'), expert2: need('expert2'), expert3: need('expert3'), admin: need('admin') },
    demo: { enterprise: demoEnterprise, school: schools.find((s) => s.id === demoSchool.id)!, teacherId: need('teacher') },
  };
}
