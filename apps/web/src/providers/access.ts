import { isRole, type Role } from '@portal/contracts';

/**
 * What each role may do with each resource, mirroring what the server allows. This only hides what the
 * server would refuse anyway (menus, buttons, pages); the server is the one that decides.
 */
const RULES: Record<string, Partial<Record<Role, readonly string[]>>> = {
  organisations: {
    admin: ['list', 'show', 'create', 'edit', 'delete', 'export'],
    city_reviewer: ['list', 'show', 'export'],
    county_reviewer: ['list', 'show', 'export'],
    // their own organisation only (the server scopes it); reached through 我的单位
    enterprise_applicant: ['show', 'edit'],
    school_admin: ['show', 'edit'],
  },
  users: {
    admin: ['list', 'show', 'create', 'edit', 'export'],
    // the users of their own organisation only (the server scopes it)
    enterprise_applicant: ['list', 'create', 'edit'],
    school_admin: ['list', 'create', 'edit'],
  },
  settings: { admin: ['list', 'edit'] },
  // the holiday and 调休 calendar: everyone may read it (GET), only admins change it
  'calendar-days': { admin: ['list', 'edit', 'create', 'delete'] },
  'login-events': { admin: ['list', 'export'] },
  // 待办: the server answers each user's own and claimable tasks (an enterprise its 补正 tasks)
  tasks: {
    admin: ['list'],
    city_reviewer: ['list'],
    county_reviewer: ['list'],
    expert: ['list'],
    enterprise_applicant: ['list'],
  },
  // 认定申请: enterprise its own, county its county, city all, experts those on their panel (server-scoped);
  // changes go through POST /:id/actions and the enterprise's own page, never a generic edit
  'certification-applications': {
    admin: ['list', 'show'],
    city_reviewer: ['list', 'show'],
    county_reviewer: ['list', 'show'],
    expert: ['list', 'show'],
    enterprise_applicant: ['list', 'show'],
  },
  // 认定企业: the city records provincial/national certifications and revokes (@Roles city_reviewer, admin)
  certifications: {
    admin: ['list', 'create', 'revoke'],
    city_reviewer: ['list', 'create', 'revoke'],
    county_reviewer: ['list'],
    finance: ['list'],
    enterprise_applicant: ['list'],
  },
  // 省级/国家级认定备案: proposed by the enterprise, confirmed by the city
  'certification-records': {
    admin: ['list', 'show'],
    city_reviewer: ['list', 'show'],
    enterprise_applicant: ['list', 'show', 'create'],
  },
  // 补助台账: finance pays (its county), the city or finance cancels, everyone else reads their scope
  subsidies: {
    admin: ['list', 'cancel'],
    city_reviewer: ['list', 'cancel'],
    county_reviewer: ['list'],
    finance: ['list', 'pay', 'cancel', 'recover'],
    enterprise_applicant: ['list'],
  },
  // 规划目标: everyone reads them (the dashboard shows them), the admin edits
  targets: {
    admin: ['list', 'create', 'edit', 'delete', 'export'],
    city_reviewer: ['list', 'export'],
    county_reviewer: ['list', 'export'],
    finance: ['list', 'export'],
  },
  // 订单班: the school its own (and registers), the enterprise those it is a party of, county its county, city all
  'order-classes': {
    admin: ['list', 'show'],
    city_reviewer: ['list', 'show'],
    county_reviewer: ['list', 'show'],
    enterprise_applicant: ['list', 'show'],
    school_admin: ['list', 'show', 'create'],
  },
  documents: {
    admin: ['list'],
    city_reviewer: ['list'],
    county_reviewer: ['list'],
    finance: ['list'],
    enterprise_applicant: ['list'],
    school_admin: ['list'],
    teacher: ['list'],
  },
  // 教师入企实践: every logged-in user searches posts; enterprises publish them
  'practice-posts': {
    admin: ['list', 'show', 'export'],
    teacher: ['list', 'show', 'export'],
    school_admin: ['list', 'show', 'export'],
    enterprise_applicant: ['list', 'show', 'create', 'export'],
  },
  'practice-applications': {
    admin: ['list', 'export'],
    teacher: ['list', 'export'],
    school_admin: ['list', 'export'],
    enterprise_applicant: ['list', 'export'],
  },
  // records: the teacher's own, the school's, the host's (server-scoped); changes through POST /:id/actions;
  // the bureaus read counted records only (the lists behind the dashboard's person-times)
  'practice-records': {
    teacher: ['list', 'show', 'create', 'export'],
    school_admin: ['list', 'show', 'export'],
    enterprise_applicant: ['list', 'show', 'export'],
    admin: ['list', 'export'],
    city_reviewer: ['list', 'export'],
    county_reviewer: ['list', 'export'],
  },
  'practice-hosts': { teacher: ['list'] },
  teachers: {
    admin: ['list', 'export'],
    city_reviewer: ['list', 'export'],
    county_reviewer: ['list', 'export'],
    school_admin: ['list', 'create', 'edit', 'export'],
  },
};

export function toRoles(value: unknown): Role[] {
  return Array.isArray(value) ? value.filter(isRole) : [];
}

export function can(roles: readonly Role[], resource: string, action: string): boolean {
  const rule = RULES[resource];
  if (!rule) return false;
  return roles.some((r) => rule[r]?.includes(action) ?? false);
}

export const hasRole = (roles: readonly Role[] | undefined, ...wanted: Role[]): boolean => !!roles && roles.some((r) => wanted.includes(r));

/** Users who manage their own organisation (我的单位, 本单位用户). */
export const isOrganisationManager = (roles: readonly Role[] | undefined): boolean => hasRole(roles, 'enterprise_applicant', 'school_admin');
