import { hasRole, type Actor } from '@portal/identity';
import type { CaseRow } from '../engine/case-row.js';

/**
 * The phone an objection was lodged with, reduced to its digits (a mainland mobile number without its
 * +86 / 0086 prefix), so that "138 1234 1234", "+86 138-1234-1234" and "13812341234" are one phone.
 */
export function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const mobile = /^(?:0086|86)(1\d{10})$/.exec(digits);
  return mobile ? mobile[1]! : digits;
}

/** A phone as everyone but its resolvers sees it: first 3 and last 4 digits (138****1234); short numbers keep the last 2. */
export function maskPhone(phone: string): string {
  const digits = phoneKey(phone);
  if (digits.length >= 11) return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
  if (digits.length >= 7) return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
  return '*'.repeat(Math.max(3, digits.length));
}

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
