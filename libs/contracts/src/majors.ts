/**
 * 专业 (majors) an order class trains for: a selection of the 《职业教育专业目录（2021年）》 codes (高职专科 six
 * digits) that fit Wenzhou's "5+5+N" industries. Reference data: the server validates against it and the web
 * app offers it; an admin-editable table may replace it later without changing its shape.
 */
export const MAJORS = [
  { code: '460301', name: '机电一体化技术', industry: 'smart_equipment' },
  { code: '460104', name: '数控技术', industry: 'smart_equipment' },
  { code: '460305', name: '工业机器人技术', industry: 'smart_equipment' },
  { code: '460302', name: '智能机电技术', industry: 'smart_equipment' },
  { code: '460303', name: '智能控制技术', industry: 'smart_equipment' },
  { code: '460102', name: '机械设计与制造', industry: 'pumps_valves' },
  { code: '460110', name: '模具设计与制造', industry: 'pumps_valves' },
  { code: '460306', name: '电气自动化技术', industry: 'electrical' },
  { code: '430102', name: '供用电技术', industry: 'electrical' },
  { code: '460307', name: '供配电技术（电气设备）', industry: 'electrical' },
  { code: '460701', name: '汽车制造与试验技术', industry: 'auto_parts' },
  { code: '460702', name: '新能源汽车技术', industry: 'nev' },
  { code: '460704', name: '智能网联汽车技术', industry: 'nev' },
  { code: '500211', name: '汽车检测与维修技术', industry: 'auto_parts' },
  { code: '480401', name: '服装设计与工艺', industry: 'apparel' },
  { code: '480402', name: '服装陈列与展示设计', industry: 'apparel' },
  { code: '480405', name: '皮革制品设计与工艺', industry: 'footwear' },
  { code: '510201', name: '计算机应用技术', industry: 'digital_economy' },
  { code: '510203', name: '软件技术', industry: 'digital_economy' },
  { code: '510205', name: '大数据技术', industry: 'digital_economy' },
  { code: '510209', name: '人工智能技术应用', industry: 'digital_economy' },
  { code: '510101', name: '电子信息工程技术', industry: 'digital_economy' },
  { code: '510401', name: '物联网应用技术', industry: 'digital_economy' },
  { code: '530701', name: '电子商务', industry: 'digital_economy' },
  { code: '490201', name: '药品生产技术', industry: 'life_health' },
  { code: '520802', name: '眼视光技术', industry: 'life_health' },
  { code: '470101', name: '生物技术及应用（医疗器械）', industry: 'life_health' },
  { code: '430205', name: '高分子材料智能制造技术', industry: 'new_materials' },
  { code: '430203', name: '新材料与应用技术', industry: 'new_materials' },
  { code: '530802', name: '现代物流管理', industry: 'other' },
  { code: '530302', name: '大数据与会计', industry: 'other' },
] as const;
export type MajorCode = (typeof MAJORS)[number]['code'];
export const MAJOR_CODES: readonly string[] = MAJORS.map((m) => m.code);

export function majorName(code: string | null | undefined): string | undefined {
  return MAJORS.find((m) => m.code === code)?.name;
}
