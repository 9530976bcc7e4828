import { AUTHORITY_TYPES, COUNTIES, INDUSTRIES, ORGANISATION_KINDS, ROLES, SCHOOL_TYPES, type Role } from '@portal/contracts';

export interface Choice {
  id: string;
  name: string;
}

/** Place names and industry names are Chinese in every locale (they are proper names): no translation. */
export const countyChoices: Choice[] = COUNTIES.map((c) => ({ id: c.code, name: c.name }));
export const industryChoices: Choice[] = INDUSTRIES.map((i) => ({ id: i.code, name: i.name }));
export const schoolTypeChoices: Choice[] = SCHOOL_TYPES.map((s) => ({ id: s.code, name: s.name }));
export const authorityTypeChoices: Choice[] = AUTHORITY_TYPES.map((a) => ({ id: a.code, name: a.name }));

/** Kinds and roles are translation keys (app.kinds.*, app.roles.*): Chinese or English with the locale. */
export const kindChoices: Choice[] = ORGANISATION_KINDS.map((k) => ({ id: k, name: `app.kinds.${k}` }));

export function roleChoices(roles: readonly Role[] = ROLES): Choice[] {
  return roles.map((r) => ({ id: r, name: `app.roles.${r}` }));
}

export const kindKey = (kind: string | null | undefined) => (kind ? `app.kinds.${kind}` : '');
export const roleKey = (role: string) => `app.roles.${role}`;
