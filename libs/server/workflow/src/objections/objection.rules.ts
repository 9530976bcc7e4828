import { hasRole, type Actor } from '@portal/identity';
import type { CaseRow } from '../engine/case-row.js';

/** A real name as the party objected to sees it: the family name only. */
export function maskName(name: string): string {
  return `${name.slice(0, 1)}**`;
}

/**
 * Who resolves objections on this case and therefore may call the objector back: a city reviewer outside
 * the applicant's organisation. Everyone else (the applicant, county reviewers, experts, admins) sees the
 * phone masked.
 */
export function seesObjectorPhone(actor: Actor, row: Pick<CaseRow, 'ownerOrgId'>): boolean {
  return hasRole(actor, 'city_reviewer') && actor.organisationId !== row.ownerOrgId;
}
