import { AUTHORITY_TYPES, COUNTIES, INDUSTRIES } from '@portal/contracts';
import type { EntityManager } from 'typeorm';

/** The schools named in the plan's seed documents (tasks 6-8), with their county and type. */
export const SEED_SCHOOLS = [
  { name: '温州职业技术学院', countyCode: '330304', schoolType: 'higher' },
  { name: '浙江工贸职业技术学院', countyCode: '330302', schoolType: 'higher' },
  { name: '温州科技职业学院', countyCode: '330302', schoolType: 'higher' },
  { name: '浙江安防职业技术学院', countyCode: '330303', schoolType: 'higher' },
  { name: '浙江东方职业技术学院', countyCode: '330304', schoolType: 'higher' },
  { name: '温州技师学院', countyCode: '330304', schoolType: 'technician' },
] as const;

export const CITY_EDUCATION_BUREAU = '温州市教育局';

/** Authorities: the city's education, development and finance bodies, and each county's education and finance bureaus. */
export function seedAuthorities(): Array<{ name: string; countyCode: string | null; authorityType: string }> {
  const type = (code: string) => AUTHORITY_TYPES.find((t) => t.code === code)!.name;
  const city = [
    { name: CITY_EDUCATION_BUREAU, countyCode: null, authorityType: 'education' },
    { name: `温州市${type('development')}`, countyCode: null, authorityType: 'development' },
    { name: `温州市${type('finance')}`, countyCode: null, authorityType: 'finance' },
  ];
  const counties = COUNTIES.flatMap((c) => [
    { name: `${c.name}${type('education')}`, countyCode: c.code, authorityType: 'education' },
    { name: `${c.name}${type('finance')}`, countyCode: c.code, authorityType: 'finance' },
  ]);
  return [...city, ...counties];
}

/** Idempotent: inserts what is missing, updates names of what exists, never deletes. */
export async function seedReferenceData(em: EntityManager): Promise<void> {
  for (const c of COUNTIES) {
    await em.query(`INSERT INTO counties (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name`, [c.code, c.name]);
  }
  for (const i of INDUSTRIES) {
    await em.query(
      `INSERT INTO industries (code, name, "group") VALUES ($1, $2, $3) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, "group" = EXCLUDED."group"`,
      [i.code, i.name, i.group],
    );
  }
  for (const s of SEED_SCHOOLS) {
    await em.query(`INSERT INTO organisations (kind, name, county_code, school_type) VALUES ('school', $1, $2, $3) ON CONFLICT (kind, name) DO NOTHING`, [
      s.name,
      s.countyCode,
      s.schoolType,
    ]);
  }
  for (const a of seedAuthorities()) {
    await em.query(`INSERT INTO organisations (kind, name, county_code, authority_type) VALUES ('authority', $1, $2, $3) ON CONFLICT (kind, name) DO NOTHING`, [
      a.name,
      a.countyCode,
      a.authorityType,
    ]);
  }
}
