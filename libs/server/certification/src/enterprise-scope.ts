import { hasRole, isAdmin, type Actor } from '@portal/identity';

/**
 * Who sees an enterprise's certifications and subsidies: admins, the city (reviewers and city finance)
 * everything; county reviewers and county finance their county; an enterprise its own. Answers a SQL
 * condition over the given columns, pushing its parameters.
 */
export function enterpriseScope(actor: Actor, params: unknown[], columns: { enterprise: string; county: string }): string {
  if (isAdmin(actor) || hasRole(actor, 'city_reviewer') || (hasRole(actor, 'finance') && actor.jurisdiction === null)) return 'TRUE';
  const parts = [`${columns.enterprise} = $${params.push(actor.organisationId)}`];
  if (hasRole(actor, 'county_reviewer', 'finance') && actor.jurisdiction) parts.push(`${columns.county} = $${params.push(actor.jurisdiction)}`);
  return `(${parts.join(' OR ')})`;
}
