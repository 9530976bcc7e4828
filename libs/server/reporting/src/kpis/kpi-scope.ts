import { COUNTIES, countyName, type KpiScopeKind } from '@portal/contracts';
import { DomainException, type IndicatorScope } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';

/** City-wide readers of the dashboard: admins, city reviewers, city finance. */
export function isCityWide(actor: Actor): boolean {
  return isAdmin(actor) || hasRole(actor, 'city_reviewer') || (hasRole(actor, 'finance') && actor.jurisdiction === null);
}

/** The county a county reviewer or county finance officer answers for, if any. */
export function countyOf(actor: Actor): string | null {
  return hasRole(actor, 'county_reviewer', 'finance') && actor.jurisdiction ? actor.jurisdiction : null;
}

/** Parse 'city' | 'county:330302' | 'school:12' | 'enterprise:34' (the DTO has checked the shape). */
export function parseScope(raw: string): IndicatorScope {
  if (raw === 'city') return { kind: 'city' };
  const [kind, code] = raw.split(':');
  if (kind === 'county') {
    if (!COUNTIES.some((c) => c.code === code))
      throw DomainException.validation('范围中的县（市、区）代码不是温州市的县（市、区）', [{ field: 'scope', messages: ['县（市、区）代码不正确'] }]);
    return { kind: 'county', countyCode: code };
  }
  return { kind: kind as 'school' | 'enterprise', orgId: Number(code) };
}

/**
 * Whose numbers the caller may see, and by default: the city sees everything (city by default); a county
 * reviewer or county finance officer its county; an enterprise's applicant its enterprise; a school's admin its
 * school. Anyone else (a teacher, an expert only) is refused: 403.
 */
export function scopeFor(actor: Actor, requested: IndicatorScope | undefined): IndicatorScope {
  if (isCityWide(actor)) return requested ?? { kind: 'city' };
  const own: IndicatorScope | null = countyOf(actor)
    ? { kind: 'county', countyCode: countyOf(actor)! }
    : hasRole(actor, 'enterprise_applicant') && actor.organisationKind === 'enterprise'
      ? { kind: 'enterprise', orgId: actor.organisationId }
      : hasRole(actor, 'school_admin') && actor.organisationKind === 'school'
        ? { kind: 'school', orgId: actor.organisationId }
        : null;
  if (!own) throw DomainException.forbidden('您的角色没有驾驶舱数据');
  if (requested && scopeCode(requested) !== scopeCode(own)) throw DomainException.forbidden('只能查看本县（市、区）或本单位的数据');
  return own;
}

export function scopeCode(scope: IndicatorScope): string {
  switch (scope.kind) {
    case 'city':
      return 'city';
    case 'county':
      return `county:${scope.countyCode}`;
    default:
      return `${scope.kind}:${scope.orgId}`;
  }
}

export function scopeKind(scope: IndicatorScope): KpiScopeKind {
  return scope.kind;
}

export function countyLabel(code: string): string {
  return countyName(code) ?? code;
}
