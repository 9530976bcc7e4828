import {
  COUNTY_CODES,
  DELEGABLE_ROLES,
  ROLE_LABELS,
  ROLES_BY_ORGANISATION_KIND,
  isRole,
  type FieldProblem,
  type OrganisationKind,
  type Role,
} from '@portal/contracts';
import { hasRole, isAdmin, type Actor } from './actor.js';

/**
 * Who may see and change organisations and users. Pure functions of the actor and the object, used by
 * the services for single objects and (as a scope) for lists, so that both always agree.
 */

/** Roles whose holder must have a county jurisdiction. */
export const COUNTY_REQUIRED_ROLES: readonly Role[] = ['county_reviewer'];
/** Roles that may be limited to a county (null = city level). */
export const COUNTY_OPTIONAL_ROLES: readonly Role[] = ['finance'];

export type Scope = { all: true } | { all: false; countyCodes: string[]; organisationIds: number[] };

/** Organisations an actor may read: everything (admin, city), a county (county roles), or its own. */
export function organisationScope(actor: Actor): Scope {
  if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) return { all: true };
  const countyWide = hasRole(actor, 'county_reviewer') || hasRole(actor, 'finance');
  if (hasRole(actor, 'finance') && actor.jurisdiction === null) return { all: true };
  return {
    all: false,
    countyCodes: countyWide && actor.jurisdiction ? [actor.jurisdiction] : [],
    organisationIds: [actor.organisationId],
  };
}

export function inScope(scope: Scope, org: { id: number; countyCode: string | null }): boolean {
  if (scope.all) return true;
  return scope.organisationIds.includes(org.id) || (org.countyCode !== null && scope.countyCodes.includes(org.countyCode));
}

/** Who manages the users and the record of an organisation of a kind (besides admins). */
const MANAGER_ROLE: Partial<Record<OrganisationKind, Role>> = { enterprise: 'enterprise_applicant', school: 'school_admin' };

export function managesOrganisation(actor: Actor, organisationId: number): boolean {
  const role = MANAGER_ROLE[actor.organisationKind];
  return role !== undefined && actor.organisationId === organisationId && actor.roles.includes(role);
}

/** Fields of an organisation record its own manager may edit; everything else is the admin's. */
const SELF_EDITABLE: Record<OrganisationKind, readonly string[]> = {
  enterprise: ['address', 'contactName', 'contactPhone', 'industry'],
  school: ['address', 'contactName', 'contactPhone'],
  authority: [],
};

/** The fields of `patch` the actor may not write on this organisation (empty = allowed). */
export function forbiddenOrganisationFields(actor: Actor, org: { id: number; kind: OrganisationKind }, patch: object): string[] {
  const fields = Object.keys(patch);
  if (isAdmin(actor)) return [];
  if (!managesOrganisation(actor, org.id)) return fields.length ? fields : ['*'];
  return fields.filter((f) => !SELF_EDITABLE[org.kind].includes(f));
}

/** Users an actor may read: all (admin), its organisation's (managers), or itself. */
export type UserScope = { all: true } | { all: false; organisationId?: number; userId: number };

export function userScope(actor: Actor): UserScope {
  if (isAdmin(actor)) return { all: true };
  if (managesOrganisation(actor, actor.organisationId)) return { all: false, organisationId: actor.organisationId, userId: actor.id };
  return { all: false, userId: actor.id };
}

export function canReadUser(actor: Actor, target: { id: number; organisationId: number }): boolean {
  const s = userScope(actor);
  return s.all || s.userId === target.id || s.organisationId === target.organisationId;
}

/** The roles an actor may grant, or 'any' for admins. */
export function grantableRoles(actor: Actor): readonly Role[] | 'any' {
  if (isAdmin(actor)) return 'any';
  const out = new Set<Role>();
  for (const r of actor.roles) for (const g of DELEGABLE_ROLES[r] ?? []) out.add(g);
  return [...out];
}

/** Problems with a set of roles and a jurisdiction for a user of an organisation kind. */
export function roleAssignmentProblems(kind: OrganisationKind, roles: unknown[], jurisdiction: string | null): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const bad = roles.filter((r) => !isRole(r) || !ROLES_BY_ORGANISATION_KIND[kind].includes(r));
  if (bad.length)
    problems.push({ field: 'roles', messages: [`该类单位的用户不能担任：${bad.map((r) => (isRole(r) ? ROLE_LABELS[r].zh : String(r))).join('、')}`] });
  const valid = roles.filter(isRole);
  if (jurisdiction !== null && !COUNTY_CODES.includes(jurisdiction)) {
    problems.push({ field: 'jurisdiction', messages: ['管辖区域应为温州市的县（市、区）代码'] });
  }
  const needs = valid.filter((r) => COUNTY_REQUIRED_ROLES.includes(r));
  if (needs.length && jurisdiction === null) problems.push({ field: 'jurisdiction', messages: ['县级审核用户必须指定管辖的县（市、区）'] });
  const may = valid.some((r) => COUNTY_REQUIRED_ROLES.includes(r) || COUNTY_OPTIONAL_ROLES.includes(r));
  if (!may && jurisdiction !== null) problems.push({ field: 'jurisdiction', messages: ['只有县级审核或财政用户可以指定管辖区域'] });
  return problems;
}

/**
 * Field-level rule for writing a user: which fields of the write the actor may not set. Admins may set
 * anything; an organisation manager may manage its own organisation's users with delegable roles only,
 * never their organisation or jurisdiction; everyone else may change only their own profile fields.
 */
export function forbiddenUserFields(
  actor: Actor,
  target: { id: number; organisationId: number; roles: Role[] } | null,
  write: { organisationId?: number; roles?: Role[]; jurisdiction?: string | null } & object,
): string[] {
  if (isAdmin(actor)) return [];
  const fields = Object.keys(write);
  const targetOrg = target?.organisationId ?? write.organisationId ?? actor.organisationId;
  if (!managesOrganisation(actor, targetOrg)) {
    if (target && target.id === actor.id) return fields.filter((f) => !['displayName', 'email', 'phone'].includes(f));
    return fields.length ? fields : ['*'];
  }
  const grantable = grantableRoles(actor) as readonly Role[];
  const out: string[] = [];
  if (write.organisationId !== undefined && write.organisationId !== actor.organisationId) out.push('organisationId');
  if ('jurisdiction' in write && write.jurisdiction !== null && write.jurisdiction !== undefined) out.push('jurisdiction');
  if (write.roles && !write.roles.every((r) => grantable.includes(r))) out.push('roles');
  // a manager may not edit a colleague who holds roles the manager could not grant (an expert, say)
  if (target && target.id !== actor.id && !target.roles.every((r) => grantable.includes(r))) out.push(...fields.filter((f) => !out.includes(f)));
  return out;
}
