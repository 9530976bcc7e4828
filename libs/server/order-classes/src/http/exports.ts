import { countyName, GENDER_LABELS, INDUSTRIES, STUDENT_DESTINATIONS, type OrderClassDto, type OrderClassStudentDto } from '@portal/contracts';
import type { ExportCell, ExportColumn } from '@portal/core';

/** The order-class list as exported (.xlsx): the filters applied, Chinese headers, no personal data. */
export const CLASS_EXPORT_COLUMNS: ExportColumn[] = [
  { header: '编号', width: 8 },
  { header: '订单班名称', width: 30 },
  { header: '举办学校', width: 24 },
  { header: '县（市、区）', width: 12 },
  { header: '合作企业', width: 30 },
  { header: '统一社会信用代码', width: 22 },
  { header: '产业', width: 12 },
  { header: '专业', width: 20 },
  { header: '年级', width: 8 },
  { header: '计划人数', width: 10 },
  { header: '在班人数', width: 10 },
  { header: '培养开始', width: 12 },
  { header: '培养结束', width: 12 },
  { header: '就业岗位数', width: 10 },
  { header: '月薪范围（元）', width: 14 },
  { header: '阶段', width: 12 },
];

export function classExportRow(c: OrderClassDto): ExportCell[] {
  const e = c.employment;
  return [
    c.id,
    c.name,
    c.schoolName,
    countyName(c.countyCode) ?? c.countyCode,
    c.enterprise.name ?? '（已邀请，未注册）',
    c.enterprise.creditCode,
    INDUSTRIES.find((i) => i.code === c.enterprise.industry)?.name ?? '',
    c.majorName,
    c.cohortYear,
    c.plannedHeadcount,
    c.enrolled,
    c.termStart,
    c.termEnd,
    e.posts.reduce((n, p) => n + p.openings, 0),
    e.salaryMinYuan !== null && e.salaryMaxYuan !== null ? `${e.salaryMinYuan}-${e.salaryMaxYuan}` : '',
    c.case.stateLabel,
  ];
}

/** A class's roster as exported: ID numbers and phones masked, as on screen. */
export const ROSTER_EXPORT_COLUMNS: ExportColumn[] = [
  { header: '序号', width: 6 },
  { header: '姓名', width: 12 },
  { header: '性别', width: 6 },
  { header: '出生日期', width: 12 },
  { header: '身份证号码（脱敏）', width: 22 },
  { header: '手机号码（脱敏）', width: 16 },
  { header: '加入日期', width: 12 },
  { header: '退出日期', width: 12 },
  { header: '是否结业', width: 10 },
  { header: '去向', width: 16 },
];

export function rosterExportRow(s: OrderClassStudentDto, n: number): ExportCell[] {
  return [
    n,
    s.name,
    GENDER_LABELS[s.gender],
    s.birthDate,
    s.idNumberMasked,
    s.phoneMasked,
    s.joinedOn,
    s.leftOn,
    s.graduated === null ? '' : s.graduated ? '是' : '否',
    s.destination ? STUDENT_DESTINATIONS[s.destination] : '',
  ];
}
