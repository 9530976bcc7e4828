import type { OrganisationKind, Role } from '@portal/contracts';
import {
  canReadUser,
  forbiddenOrganisationFields,
  forbiddenUserFields,
  grantableRoles,
  inScope,
  managesOrganisation,
  organisationScope,
  roleAssignmentProblems,
  userScope,
} from './access.rules.js';
import type { Actor } from './actor.js';

/**
 * The pure authorization rules behind organisations and users. The services use them for single objects
 * and (as scopes) for lists; these specs pin the policy down persona by persona.
 */

// organisation ids of the fixtures below
const CITY_BUREAU = 10; // 温州市教育局 (no county)
const LUCHENG_BUREAU = 11; // 鹿城区教育局 330302
const LUCHENG_FINANCE = 12; // 鹿城区财政局 330302
const CITY_FINANCE = 13; // 温州市财政局
const ENTERPRISE = 20; // an enterprise in 330302
const OTHER_ENTERPRISE = 21; // an enterprise in 330381
const SCHOOL = 30; // a school in 330302
const OTHER_SCHOOL = 31; // a school in 330304

let nextId = 100;
function actor(roles: Role[], organisationId: number, organisationKind: OrganisationKind, extra: Partial<Actor> = {}): Actor {
  return {
    id: nextId++,
    username: `u${nextId}`,
    displayName: '测试用户',
    roles,
    organisationId,
    organisationKind,
    organisationName: '测试单位',
    organisationCountyCode: null,
    jurisdiction: null,
    ...extra,
  };
}

const admin = actor(['admin'], CITY_BUREAU, 'authority');
const city = actor(['city_reviewer'], CITY_BUREAU, 'authority');
const county = actor(['county_reviewer'], LUCHENG_BUREAU, 'authority', { organisationCountyCode: '330302', jurisdiction: '330302' });
const countyFinance = actor(['finance'], LUCHENG_FINANCE, 'authority', { organisationCountyCode: '330302', jurisdiction: '330302' });
const cityFinance = actor(['finance'], CITY_FINANCE, 'authority');
const expertInSchool = actor(['expert'], OTHER_SCHOOL, 'school', { organisationCountyCode: '330304' });
const enterprise = actor(['enterprise_applicant'], ENTERPRISE, 'enterprise', { organisationCountyCode: '330302' });
const otherEnterprise = actor(['enterprise_applicant'], OTHER_ENTERPRISE, 'enterprise', { organisationCountyCode: '330381' });
const schoolAdmin = actor(['school_admin'], SCHOOL, 'school', { organisationCountyCode: '330302' });
const teacher = actor(['teacher'], SCHOOL, 'school', { organisationCountyCode: '330302' });

const ORGS = {
  cityBureau: { id: CITY_BUREAU, countyCode: null, kind: 'authority' as const },
  luchengBureau: { id: LUCHENG_BUREAU, countyCode: '330302', kind: 'authority' as const },
  enterprise: { id: ENTERPRISE, countyCode: '330302', kind: 'enterprise' as const },
  otherEnterprise: { id: OTHER_ENTERPRISE, countyCode: '330381', kind: 'enterprise' as const },
  school: { id: SCHOOL, countyCode: '330302', kind: 'school' as const },
  otherSchool: { id: OTHER_SCHOOL, countyCode: '330304', kind: 'school' as const },
};
type OrgName = keyof typeof ORGS;

describe('organisationScope / inScope: which organisations a persona may read', () => {
  it.each<[string, Actor, Partial<Record<OrgName, boolean>>]>([
    ['admin: all', admin, { cityBureau: true, luchengBureau: true, enterprise: true, otherEnterprise: true, school: true, otherSchool: true }],
    ['city reviewer: all', city, { cityBureau: true, luchengBureau: true, enterprise: true, otherEnterprise: true, school: true, otherSchool: true }],
    [
      'county reviewer 330302: its county, not others, not the city',
      county,
      { cityBureau: false, luchengBureau: true, enterprise: true, otherEnterprise: false, school: true, otherSchool: false },
    ],
    [
      'county finance 330302: its county',
      countyFinance,
      { cityBureau: false, luchengBureau: true, enterprise: true, otherEnterprise: false, school: true, otherSchool: false },
    ],
    ['city finance (no jurisdiction): all', cityFinance, { cityBureau: true, enterprise: true, otherEnterprise: true, otherSchool: true }],
    ['expert: its own organisation only', expertInSchool, { otherSchool: true, school: false, enterprise: false, cityBureau: false }],
    [
      'enterprise applicant: its own enterprise only, not its county',
      enterprise,
      { enterprise: true, otherEnterprise: false, school: false, luchengBureau: false },
    ],
    ['other enterprise: its own only', otherEnterprise, { otherEnterprise: true, enterprise: false }],
    ['school admin: its own school only', schoolAdmin, { school: true, otherSchool: false, enterprise: false }],
    ['teacher: its own school only', teacher, { school: true, otherSchool: false, enterprise: false }],
  ])('%s', (_label, who, expected) => {
    const scope = organisationScope(who);
    for (const [name, allowed] of Object.entries(expected)) {
      expect([name, inScope(scope, ORGS[name as OrgName])]).toEqual([name, allowed]);
    }
  });

  it('answers the shape the list query uses', () => {
    expect(organisationScope(admin)).toEqual({ all: true });
    expect(organisationScope(county)).toEqual({ all: false, countyCodes: ['330302'], organisationIds: [LUCHENG_BUREAU] });
    expect(organisationScope(enterprise)).toEqual({ all: false, countyCodes: [], organisationIds: [ENTERPRISE] });
    // a county reviewer whose jurisdiction is missing sees no county at all (fails closed)
    expect(organisationScope({ ...county, jurisdiction: null })).toEqual({ all: false, countyCodes: [], organisationIds: [LUCHENG_BUREAU] });
  });

  it('a jurisdiction on a role that is not county-wide widens nothing', () => {
    const odd = actor(['teacher'], SCHOOL, 'school', { jurisdiction: '330381' });
    expect(inScope(organisationScope(odd), ORGS.otherEnterprise)).toBe(false);
  });
});

describe('managesOrganisation', () => {
  it('is the enterprise applicant of an enterprise and the school admin of a school, for their own organisation', () => {
    expect(managesOrganisation(enterprise, ENTERPRISE)).toBe(true);
    expect(managesOrganisation(enterprise, OTHER_ENTERPRISE)).toBe(false);
    expect(managesOrganisation(schoolAdmin, SCHOOL)).toBe(true);
    expect(managesOrganisation(teacher, SCHOOL)).toBe(false);
    expect(managesOrganisation(expertInSchool, OTHER_SCHOOL)).toBe(false);
    // authorities have no manager role: only the admin manages them
    expect(managesOrganisation(county, LUCHENG_BUREAU)).toBe(false);
    expect(managesOrganisation(admin, CITY_BUREAU)).toBe(false);
  });
});

describe('forbiddenOrganisationFields', () => {
  const all = {
    name: '新名称',
    creditCode: '91330302MA2C8X1Y03',
    countyCode: '330381',
    industry: 'footwear',
    address: '新地址',
    contactName: '张三',
    contactPhone: '0577-1',
    schoolType: 'higher',
    authorityType: 'education',
  };

  it('admin may write anything on any organisation', () => {
    expect(forbiddenOrganisationFields(admin, ORGS.enterprise, all)).toEqual([]);
    expect(forbiddenOrganisationFields(admin, ORGS.cityBureau, all)).toEqual([]);
  });

  it('an enterprise manager may write address, contact and industry of its own enterprise, nothing else', () => {
    expect(forbiddenOrganisationFields(enterprise, ORGS.enterprise, { address: 'a', contactName: 'b', contactPhone: 'c', industry: 'footwear' })).toEqual([]);
    expect(forbiddenOrganisationFields(enterprise, ORGS.enterprise, all).sort()).toEqual(['authorityType', 'countyCode', 'creditCode', 'name', 'schoolType']);
    expect(forbiddenOrganisationFields(enterprise, ORGS.enterprise, { name: 'x' })).toEqual(['name']);
    expect(forbiddenOrganisationFields(enterprise, ORGS.enterprise, {})).toEqual([]);
  });

  it('a school manager may write address and contact of its own school, not an industry', () => {
    expect(forbiddenOrganisationFields(schoolAdmin, ORGS.school, { address: 'a', contactName: 'b', contactPhone: 'c' })).toEqual([]);
    expect(forbiddenOrganisationFields(schoolAdmin, ORGS.school, { industry: 'footwear', schoolType: 'secondary' }).sort()).toEqual(['industry', 'schoolType']);
  });

  it('nobody else may write anything, even an empty change', () => {
    expect(forbiddenOrganisationFields(enterprise, ORGS.otherEnterprise, { address: 'a' })).toEqual(['address']);
    expect(forbiddenOrganisationFields(teacher, ORGS.school, { address: 'a' })).toEqual(['address']);
    expect(forbiddenOrganisationFields(city, ORGS.enterprise, { contactName: 'x' })).toEqual(['contactName']);
    expect(forbiddenOrganisationFields(county, ORGS.luchengBureau, { address: 'a' })).toEqual(['address']);
    expect(forbiddenOrganisationFields(expertInSchool, ORGS.otherSchool, {})).toEqual(['*']);
    expect(forbiddenOrganisationFields(schoolAdmin, ORGS.otherSchool, {})).toEqual(['*']);
  });
});

describe('userScope / canReadUser', () => {
  const colleagueOfSchool = { id: 9001, organisationId: SCHOOL };
  const colleagueOfEnterprise = { id: 9002, organisationId: ENTERPRISE };
  const stranger = { id: 9003, organisationId: OTHER_SCHOOL };

  it('admin reads every user', () => {
    expect(userScope(admin)).toEqual({ all: true });
    for (const u of [colleagueOfSchool, colleagueOfEnterprise, stranger]) expect(canReadUser(admin, u)).toBe(true);
  });

  it('a manager reads the users of its own organisation and itself', () => {
    expect(userScope(schoolAdmin)).toEqual({ all: false, organisationId: SCHOOL, userId: schoolAdmin.id });
    expect(canReadUser(schoolAdmin, colleagueOfSchool)).toBe(true);
    expect(canReadUser(schoolAdmin, stranger)).toBe(false);
    expect(canReadUser(enterprise, colleagueOfEnterprise)).toBe(true);
    expect(canReadUser(enterprise, colleagueOfSchool)).toBe(false);
  });

  it('everyone else reads only itself (a teacher not its colleagues, a reviewer not the users of its county)', () => {
    expect(userScope(teacher)).toEqual({ all: false, userId: teacher.id });
    expect(canReadUser(teacher, { id: teacher.id, organisationId: SCHOOL })).toBe(true);
    expect(canReadUser(teacher, colleagueOfSchool)).toBe(false);
    expect(canReadUser(city, { id: admin.id, organisationId: CITY_BUREAU })).toBe(false);
    expect(canReadUser(county, colleagueOfSchool)).toBe(false);
  });
});

describe('grantableRoles', () => {
  it.each<[string, Actor, readonly Role[] | 'any']>([
    ['admin', admin, 'any'],
    ['enterprise applicant', enterprise, ['enterprise_applicant']],
    ['school admin', schoolAdmin, ['school_admin', 'teacher']],
    ['teacher', teacher, []],
    ['city reviewer', city, []],
    ['county reviewer', county, []],
    ['expert', expertInSchool, []],
    ['finance', countyFinance, []],
  ])('%s', (_label, who, expected) => {
    const granted = grantableRoles(who);
    expect(granted === 'any' ? granted : [...granted].sort()).toEqual(expected === 'any' ? expected : [...expected].sort());
  });

  it('never lets a manager grant expert, admin or a reviewer role', () => {
    for (const who of [enterprise, schoolAdmin]) {
      const granted = grantableRoles(who) as readonly Role[];
      for (const r of ['expert', 'admin', 'city_reviewer', 'county_reviewer', 'finance'] as Role[]) expect(granted).not.toContain(r);
    }
  });
});

describe('roleAssignmentProblems', () => {
  const fields = (kind: OrganisationKind, roles: unknown[], jurisdiction: string | null) =>
    roleAssignmentProblems(kind, roles, jurisdiction).map((p) => p.field);

  it('accepts the roles each kind of organisation may hold', () => {
    expect(roleAssignmentProblems('enterprise', ['enterprise_applicant', 'expert'], null)).toEqual([]);
    expect(roleAssignmentProblems('school', ['school_admin', 'teacher', 'expert'], null)).toEqual([]);
    expect(roleAssignmentProblems('authority', ['admin', 'city_reviewer', 'expert'], null)).toEqual([]);
    expect(roleAssignmentProblems('authority', ['county_reviewer'], '330302')).toEqual([]);
    expect(roleAssignmentProblems('authority', ['finance'], '330381')).toEqual([]);
    expect(roleAssignmentProblems('authority', ['finance'], null)).toEqual([]);
  });

  it('refuses roles that do not fit the organisation kind, naming them in Chinese', () => {
    const p = roleAssignmentProblems('enterprise', ['teacher', 'admin'], null);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ field: 'roles' });
    expect(p[0].messages[0]).toContain('专业教师');
    expect(p[0].messages[0]).toContain('系统管理员');
    expect(fields('school', ['enterprise_applicant'], null)).toEqual(['roles']);
    expect(fields('authority', ['school_admin'], null)).toEqual(['roles']);
    expect(fields('school', ['superuser'], null)).toEqual(['roles']);
  });

  it('a county reviewer needs a jurisdiction', () => {
    const p = roleAssignmentProblems('authority', ['county_reviewer'], null);
    expect(p).toEqual([{ field: 'jurisdiction', messages: ['县级审核用户必须指定管辖的县（市、区）'] }]);
  });

  it('only a county reviewer or finance user may have a jurisdiction', () => {
    expect(fields('school', ['teacher'], '330302')).toEqual(['jurisdiction']);
    expect(fields('authority', ['city_reviewer'], '330302')).toEqual(['jurisdiction']);
    expect(fields('enterprise', ['enterprise_applicant'], '330302')).toEqual(['jurisdiction']);
  });

  it('a jurisdiction must be a Wenzhou county code', () => {
    expect(fields('authority', ['county_reviewer'], '110101')).toEqual(['jurisdiction']);
    expect(fields('authority', ['finance'], '330300')).toEqual(['jurisdiction']);
    expect(roleAssignmentProblems('authority', ['county_reviewer'], 'abc')[0].messages[0]).toContain('县（市、区）代码');
  });
});

describe('forbiddenUserFields', () => {
  /** A write as the services pass it: any fields of the DTO (displayName, password, active…), not only the typed ones. */
  const forbidden = (who: Actor, target: Parameters<typeof forbiddenUserFields>[1], write: Record<string, unknown>) => forbiddenUserFields(who, target, write);
  const teacherRow = { id: 5001, organisationId: SCHOOL, roles: ['teacher'] as Role[] };
  const expertColleague = { id: 5002, organisationId: SCHOOL, roles: ['teacher', 'expert'] as Role[] };
  const otherSchoolTeacher = { id: 5003, organisationId: OTHER_SCHOOL, roles: ['teacher'] as Role[] };

  it('admin may set anything', () => {
    expect(forbidden(admin, null, { organisationId: OTHER_ENTERPRISE, roles: ['county_reviewer'], jurisdiction: '330302' })).toEqual([]);
    expect(forbidden(admin, expertColleague, { roles: ['admin'] })).toEqual([]);
  });

  it('a manager creates users of its own organisation with delegable roles', () => {
    expect(forbidden(schoolAdmin, null, { organisationId: SCHOOL, roles: ['teacher'] })).toEqual([]);
    expect(forbidden(schoolAdmin, null, { organisationId: SCHOOL, roles: ['school_admin', 'teacher'], jurisdiction: null })).toEqual([]);
    expect(forbidden(enterprise, null, { organisationId: ENTERPRISE, roles: ['enterprise_applicant'] })).toEqual([]);
  });

  it('a manager may not create a user in another organisation', () => {
    const out = forbidden(schoolAdmin, null, { organisationId: OTHER_SCHOOL, roles: ['teacher'] });
    expect(out).toEqual(expect.arrayContaining(['organisationId']));
    expect(forbidden(enterprise, null, { organisationId: OTHER_ENTERPRISE, roles: ['enterprise_applicant'] })).toContain('organisationId');
    // moving an own user out is refused as well
    expect(forbidden(schoolAdmin, teacherRow, { organisationId: OTHER_SCHOOL })).toEqual(['organisationId']);
  });

  it.each<Role>(['expert', 'admin', 'county_reviewer', 'city_reviewer', 'finance'])('a manager may not grant %s', (role) => {
    expect(forbidden(schoolAdmin, null, { organisationId: SCHOOL, roles: ['teacher', role] })).toEqual(['roles']);
    expect(forbidden(schoolAdmin, teacherRow, { roles: [role] })).toEqual(['roles']);
    expect(forbidden(enterprise, null, { organisationId: ENTERPRISE, roles: [role] })).toEqual(['roles']);
  });

  it('an enterprise manager may not grant school roles either', () => {
    expect(forbidden(enterprise, null, { organisationId: ENTERPRISE, roles: ['teacher'] })).toEqual(['roles']);
  });

  it('a manager may not set a jurisdiction (clearing it is no grant)', () => {
    expect(forbidden(schoolAdmin, null, { organisationId: SCHOOL, roles: ['teacher'], jurisdiction: '330302' })).toEqual(['jurisdiction']);
    expect(forbidden(schoolAdmin, teacherRow, { jurisdiction: '330302' })).toEqual(['jurisdiction']);
    expect(forbidden(schoolAdmin, teacherRow, { jurisdiction: null })).toEqual([]);
  });

  it('a manager may edit its own users, but not a colleague holding a role it could not grant', () => {
    expect(forbidden(schoolAdmin, teacherRow, { displayName: '新名字', phone: '123456', active: false, password: 'x' })).toEqual([]);
    expect(forbidden(schoolAdmin, expertColleague, { displayName: '新名字' })).toEqual(['displayName']);
    expect(forbidden(schoolAdmin, expertColleague, { displayName: 'a', active: false }).sort()).toEqual(['active', 'displayName']);
    // the manager itself may hold extra roles and still edit its own profile
    const expertManager = { ...schoolAdmin, roles: ['school_admin', 'expert'] as Role[] };
    expect(forbidden(expertManager, { id: expertManager.id, organisationId: SCHOOL, roles: expertManager.roles }, { displayName: 'x' })).toEqual([]);
  });

  it('a manager may not write users of another organisation at all', () => {
    expect(forbidden(schoolAdmin, otherSchoolTeacher, { displayName: 'x' })).toEqual(['displayName']);
    expect(forbidden(enterprise, teacherRow, {})).toEqual(['*']);
  });

  it('a plain user may change only displayName, email and phone of itself', () => {
    const self = { id: teacher.id, organisationId: SCHOOL, roles: ['teacher'] as Role[] };
    expect(forbidden(teacher, self, { displayName: 'x', email: 'a@b.cn', phone: '123456' })).toEqual([]);
    expect(forbidden(teacher, self, { roles: ['admin'] })).toEqual(['roles']);
    expect(forbidden(teacher, self, { roles: ['school_admin'], active: true, jurisdiction: '330302', organisationId: OTHER_SCHOOL }).sort()).toEqual([
      'active',
      'jurisdiction',
      'organisationId',
      'roles',
    ]);
    expect(forbidden(teacher, self, { password: 'x' })).toEqual(['password']);
  });

  it('a plain user may write nobody else, and may create nobody', () => {
    expect(forbidden(teacher, teacherRow, { displayName: 'x' })).toEqual(['displayName']);
    expect(forbidden(teacher, null, { organisationId: SCHOOL, roles: ['teacher'] }).sort()).toEqual(['organisationId', 'roles']);
    expect(forbidden(city, null, {})).toEqual(['*']);
    expect(forbidden(county, { id: 1, organisationId: CITY_BUREAU, roles: ['admin'] }, { roles: ['county_reviewer'] })).toEqual(['roles']);
  });
});
