/** The personas of DOMAIN.md, as role codes shared by the server and the web app. */
export const ROLES = ['admin', 'city_reviewer', 'county_reviewer', 'expert', 'finance', 'enterprise_applicant', 'school_admin', 'teacher'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  city_reviewer: { zh: '市级审核', en: 'City reviewer' },
  county_reviewer: { zh: '县级审核', en: 'County reviewer' },
  expert: { zh: '评审专家', en: 'Expert' },
  finance: { zh: '财政', en: 'Finance officer' },
  enterprise_applicant: { zh: '企业申报人', en: 'Enterprise applicant' },
  school_admin: { zh: '学校管理员', en: 'School admin' },
  teacher: { zh: '专业教师', en: 'Teacher' },
};

export const ORGANISATION_KINDS = ['enterprise', 'school', 'authority'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, { zh: string; en: string }> = {
  enterprise: { zh: '企业', en: 'Enterprise' },
  school: { zh: '职业院校', en: 'School' },
  authority: { zh: '主管部门', en: 'Authority' },
};

/**
 * Which roles a user of each kind of organisation may hold. Experts are appointed by the city and may
 * sit in any organisation (they recuse from their own organisation's cases).
 */
export const ROLES_BY_ORGANISATION_KIND: Record<OrganisationKind, readonly Role[]> = {
  enterprise: ['enterprise_applicant', 'expert'],
  school: ['school_admin', 'teacher', 'expert'],
  authority: ['admin', 'city_reviewer', 'county_reviewer', 'finance', 'expert'],
};

/** Roles whose holder acts for one county only; the user's jurisdiction must then be a county code. */
export const COUNTY_SCOPED_ROLES: readonly Role[] = ['county_reviewer'];

/**
 * Roles an organisation manager may grant to users of their own organisation. Anything else
 * (reviewer roles, expert, admin, jurisdiction) is granted by an admin only.
 */
export const DELEGABLE_ROLES: Partial<Record<Role, readonly Role[]>> = {
  enterprise_applicant: ['enterprise_applicant'],
  school_admin: ['school_admin', 'teacher'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
