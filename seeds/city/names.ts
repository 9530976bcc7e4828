import { COUNTIES, CREDIT_CODE_ALPHABET, creditCodeCheckChar, idNumberCheckChar, INDUSTRIES } from '@portal/contracts';
import type { Prng } from './random.js';

const BRAND_A = '瓯华正德信宏天泰永恒东嘉金万鑫瑞安康明达中国新盛利源通成兴隆丰汇佳创宇鸿远博胜海江山';
const BRAND_B = '江龙昌邦诚峰远凯润顺诺鼎辉力航威林森阳光晟腾越驰锦程业荣达科元昊泽普冠振旭耀宁豪';
const BRAND_C = ['实业', '精工', '智造', '科技', '机电', '集团', '控股', '工贸', '制造', '电子'];
/** A word of each industry's trade, as enterprises in Wenzhou name themselves. */
const TRADE: Record<string, string[]> = {
  electrical: ['电气', '电器', '开关', '电力设备'],
  footwear: ['鞋业', '制鞋', '皮革'],
  apparel: ['服饰', '服装', '制衣'],
  auto_parts: ['汽摩配', '汽车部件', '车业'],
  pumps_valves: ['阀门', '泵业', '流体设备'],
  digital_economy: ['信息技术', '数字科技', '软件'],
  smart_equipment: ['智能装备', '自动化', '机械'],
  life_health: ['生物医药', '医疗器械', '健康科技'],
  nev: ['新能源', '智能网联', '动力科技'],
  new_materials: ['新材料', '高分子材料', '合金材料'],
};
const SUFFIX = ['有限公司', '股份有限公司', '有限公司', '有限公司'];
const ROADS = [
  '滨江路',
  '人民路',
  '车站大道',
  '瓯江路',
  '学院路',
  '飞霞路',
  '温州大道',
  '经济开发区滨海大道',
  '工业园区创新路',
  '东港路',
  '塘下镇韩田路',
  '柳市镇长虹路',
];
const SURNAMES = '陈王李张林黄吴刘郑周徐潘金杨胡朱叶蔡何谢施池孙方';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文斌宇浩然欣怡子涵梓轩晨曦思远嘉琪';

/** Industries' codes, the 5+5 first, then N (others). */
export const INDUSTRY_LIST: readonly string[] = INDUSTRIES.map((i) => i.code);

/** County weights: the urban districts and the big county-level cities hold more firms than the mountain counties. */
export const COUNTY_WEIGHTS: ReadonlyArray<readonly [string, number]> = COUNTIES.map((c) => [
  c.code,
  (
    {
      '330302': 14,
      '330381': 14,
      '330382': 14,
      '330303': 10,
      '330304': 10,
      '330324': 8,
      '330326': 7,
      '330327': 6,
      '330383': 6,
      '330305': 3,
      '330328': 3,
      '330329': 3,
    } as Record<string, number>
  )[c.code] ?? 5,
]);

export function countyLabel(code: string): string {
  return COUNTIES.find((c) => c.code === code)?.name ?? '温州市';
}

/** A unique name for the i-th generated enterprise (the brand is injective in i; the place and trade make it read true). */
export function enterpriseName(i: number, countyCode: string, industry: string, rnd: Prng): string {
  const a = BRAND_A[i % BRAND_A.length];
  const b = BRAND_B[Math.floor(i / BRAND_A.length) % BRAND_B.length];
  const rest = Math.floor(i / (BRAND_A.length * BRAND_B.length));
  const c = rest === 0 ? '' : `${BRAND_C[rest % BRAND_C.length]}${rest >= BRAND_C.length ? rest : ''}`;
  const place = rnd.chance(0.5) ? '温州' : countyLabel(countyCode).replace(/[区县市]$/, '');
  const trade = rnd.pick(TRADE[industry] ?? ['实业', '贸易', '科技']);
  return `${place}${a}${b}${c}${trade}${rnd.pick(SUFFIX)}`;
}

/** A 统一社会信用代码 (GB 32100-2015) of a company registered in the county, unique per i, with its check character. */
export function creditCode(i: number, countyCode: string): string {
  // 9 (工商) 1 (企业) · the county's division code · an organisation code 'MA5' + six base-31 digits of a bijection of i
  const m = 31 ** 6;
  let v = (i * 7_654_321 + 12_345) % m;
  let digits = '';
  for (let k = 0; k < 6; k++) {
    digits = CREDIT_CODE_ALPHABET[v % 31] + digits;
    v = Math.floor(v / 31);
  }
  const first17 = `91${countyCode}MA5${digits}`;
  return first17 + creditCodeCheckChar(first17)!;
}

export function personName(rnd: Prng): string {
  return rnd.pick([...SURNAMES]) + rnd.pick([...GIVEN]) + (rnd.chance(0.6) ? rnd.pick([...GIVEN]) : '');
}

export function address(countyCode: string, rnd: Prng): string {
  return `温州市${countyLabel(countyCode)}${rnd.pick(ROADS)}${rnd.int(1, 999)}号`;
}

/** A landline of the 0577 area (organisations' contacts; no personal mobile numbers in the enterprise register). */
export function landline(rnd: Prng): string {
  return `0577-${rnd.int(55, 89)}${String(rnd.int(0, 999_999)).padStart(6, '0')}`;
}

/** A valid 居民身份证号码 (GB 11643-1999) of someone born in a Wenzhou county on the day given, with the gender's digit. */
export function idNumber(countyCode: string, birthDate: string, male: boolean, rnd: Prng): string {
  const seq = rnd.int(0, 49) * 2 + (male ? 1 : 0);
  const first17 = `${countyCode}${birthDate.replace(/-/g, '')}${String(rnd.int(0, 9))}${String(seq).padStart(2, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/** A mainland mobile number (students' rosters keep it sealed). */
export function mobile(rnd: Prng): string {
  return `1${rnd.pick(['38', '39', '58', '59', '37', '88', '36'])}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`;
}
