import type { OrganisationKind, Role } from '@portal/contracts';

/** Who is acting: the authenticated user as every service sees it (loaded fresh on each request). */
export interface Actor {
  id: number;
  username: string;
  displayName: string;
  roles: Role[];
  organisationId: number;
  organisationKind: OrganisationKind;
  organisationName: string;
  organisationCountyCode: string | null;
  /** County code for county-scoped roles; null = city-wide. */
  jurisdiction: string | null;
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}

export const isAdmin = (actor: Actor): boolean => actor.roles.includes('admin');
