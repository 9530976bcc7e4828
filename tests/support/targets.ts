import type { TargetDto } from '@portal/contracts';
import type { TestApp } from '@portal/testing';

/** The city's target of an indicator (规划目标), as an admin lists it. */
export async function cityTarget(t: TestApp, admin: string, indicator: string): Promise<TargetDto> {
  const res = await t
    .http()
    .get(`/api/targets?filter=${encodeURIComponent(JSON.stringify({ indicator, countyCode: 'city' }))}`)
    .set('Authorization', admin);
  const [target] = res.body as TargetDto[];
  if (res.status !== 200 || !target) throw new Error(`no city target of ${indicator}: ${res.status}`);
  return target;
}

/** A county's own target of an indicator, added by an admin (POST /api/targets); answers the response. */
export function addCountyTarget(
  t: TestApp,
  admin: string,
  target: { indicator: string; label: string; unit: string; value: number; seedTask: number; countyCode: string },
) {
  return t
    .http()
    .post('/api/targets')
    .set('Authorization', admin)
    .send({ deadline: '2025-12-31', ...target });
}
