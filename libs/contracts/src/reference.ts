/** Wenzhou's county-level divisions (GB/T 2260), DOMAIN.md. */
export const COUNTIES = [
  { code: '330302', name: '鹿城区' },
  { code: '330303', name: '龙湾区' },
  { code: '330304', name: '瓯海区' },
  { code: '330305', name: '洞头区' },
  { code: '330324', name: '永嘉县' },
  { code: '330326', name: '平阳县' },
  { code: '330327', name: '苍南县' },
  { code: '330328', name: '文成县' },
  { code: '330329', name: '泰顺县' },
  { code: '330381', name: '瑞安市' },
  { code: '330382', name: '乐清市' },
  { code: '330383', name: '龙港市' },
] as const;
export type CountyCode = (typeof COUNTIES)[number]['code'];
export const COUNTY_CODES: readonly string[] = COUNTIES.map((c) => c.code);
export const WENZHOU_CITY_CODE = '330300';

export function countyName(code: string | null | undefined): string | undefined {
  return COUNTIES.find((c) => c.code === code)?.name;
}

/** The "5+5+N" industries of the plan (task 1): five traditional, five emerging, N = others. */
export const INDUSTRIES = [
  { code: 'electrical', name: '电气', group: 'traditional' },
  { code: 'footwear', name: '鞋业', group: 'traditional' },
  { code: 'apparel', name: '服装', group: 'traditional' },
  { code: 'auto_parts', name: '汽摩配', group: 'traditional' },
  { code: 'pumps_valves', name: '泵阀', group: 'traditional' },
  { code: 'digital_economy', name: '数字经济', group: 'emerging' },
  { code: 'smart_equipment', name: '智能装备', group: 'emerging' },
  { code: 'life_health', name: '生命健康', group: 'emerging' },
  { code: 'nev', name: '新能源智能网联汽车', group: 'emerging' },
  { code: 'new_materials', name: '新材料', group: 'emerging' },
  { code: 'other', name: '其他', group: 'other' },
] as const;
export type IndustryCode = (typeof INDUSTRIES)[number]['code'];
export const INDUSTRY_CODES: readonly string[] = INDUSTRIES.map((i) => i.code);

export const SCHOOL_TYPES = [
  { code: 'secondary', name: '中职' },
  { code: 'higher', name: '高职' },
  { code: 'technician', name: '技工院校' },
  { code: 'undergraduate', name: '本科职业' },
] as const;
export type SchoolType = (typeof SCHOOL_TYPES)[number]['code'];
export const SCHOOL_TYPE_CODES: readonly string[] = SCHOOL_TYPES.map((s) => s.code);

/** Authority bodies: education bureaus review, 发改委 co-decides at city level, 财政局 pays. */
export const AUTHORITY_TYPES = [
  { code: 'education', name: '教育局' },
  { code: 'development', name: '发展和改革委员会' },
  { code: 'finance', name: '财政局' },
] as const;
export type AuthorityType = (typeof AUTHORITY_TYPES)[number]['code'];
export const AUTHORITY_TYPE_CODES: readonly string[] = AUTHORITY_TYPES.map((a) => a.code);
