import { CERTIFICATION_LEVELS, LEVEL_RANK, type CertificationLevel, type SettingValues } from '@portal/contracts';

/** A subsidy already granted to the enterprise (not cancelled or recovered). */
export interface GrantedSubsidy {
  level: CertificationLevel;
  amountFen: number;
}

/**
 * The one-time subsidy for a certification level (task 22: 5万 city, 20万 provincial, 50万 national,
 * settings). Policy setting: the full amount (default), or only the difference over what lower levels
 * already granted.
 */
export function subsidyAmount(
  level: CertificationLevel,
  settings: SettingValues,
  granted: GrantedSubsidy[],
): { amountFen: number; policy: 'full' | 'difference' } {
  const fullFen = settings[CERTIFICATION_LEVELS[level].subsidySetting] * 100;
  if (!settings['certification.subsidyDifferenceOnly']) return { amountFen: fullFen, policy: 'full' };
  const lower = granted.filter((g) => LEVEL_RANK[g.level] < LEVEL_RANK[level]).reduce((sum, g) => sum + g.amountFen, 0);
  return { amountFen: Math.max(0, fullFen - lower), policy: 'difference' };
}
