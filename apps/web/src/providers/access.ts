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
  'login-events': { admin: ['list', 'export'] },
};

export function toRoles(value: unknown): Role[] {
  return Array.isArray(value) ? value.filter(isRole) : [];
}

export function can(roles: readonly Role[], resource: string, action: string): boolean {
  const rule = RULES[resource];
  if (!rule) return false;
  return roles.some((r) => rule[r]?.includes(action) ?? false);
}

export const hasRole = (roles: readonly Role[] | undefined, ...wanted: Role[]): boolean =>
  !!roles && roles.some((r) => wanted.includes(r));

/** Users who manage their own organisation (我的单位, 本单位用户). */
export const isOrganisationManager = (roles: readonly Role[] | undefined): boolean =>
  hasRole(roles, 'enterprise_applicant', 'school_admin');
