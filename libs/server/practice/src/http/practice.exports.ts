import {
  countyName,
  INDUSTRIES,
  PRACTICE_FORMS,
  PRACTICE_POST_STATUSES,
  TEACHER_EMPLOYMENTS,
  type PracticeApplicationDto,
  type PracticePostDto,
  type PracticeRecordDto,
  type TeacherDto,
} from '@portal/contracts';
import { exportDateTime, type ListExportSpec } from '@portal/core';

/**
 * The practice lists as exported (.xlsx through `listExport`: each list's own filters, sort and authorization),
 * Chinese headers, the id first. Personal data: a teacher's phone only masked (as the list carries it); no ID
 * numbers are held by this feature.
 */

const industryName = (code: string | null): string => (code ? (INDUSTRIES.find((i) => i.code === code)?.name ?? code) : '');
const yesNo = (b: boolean): string => (b ? '是' : '否');

export const PRACTICE_RECORD_EXPORT: ListExportSpec<PracticeRecordDto> = {
  title: '教师企业实践记录',
  fields: [
    { header: '编号', width: 8, cell: (r) => r.id },
    { header: '教师', width: 12, cell: (r) => r.teacherName },
    { header: '学校', width: 24, cell: (r) => r.schoolName },
    { header: '学校所在县（市、区）', width: 14, cell: (r) => countyName(r.schoolCountyCode) ?? '' },
    { header: '接收企业', width: 30, cell: (r) => r.hostName ?? `受邀企业（${r.hostInvitedCreditCode ?? ''}）` },
    { header: '企业所属产业', width: 12, cell: (r) => industryName(r.hostIndustry) },
    { header: '开始日期', width: 12, cell: (r) => r.startDate },
    { header: '结束日期', width: 12, cell: (r) => r.endDate },
    { header: '学时', width: 8, cell: (r) => r.hours },
    { header: '填报学时', width: 10, cell: (r) => r.claimedHours },
    { header: '实践形式', width: 10, cell: (r) => PRACTICE_FORMS[r.form] ?? r.form },
    { header: '实践内容', width: 40, cell: (r) => r.content },
    { header: '实践成果', width: 30, cell: (r) => r.outcomes },
    { header: '阶段', width: 12, cell: (r) => r.case.stateLabel },
    { header: '认定日期', width: 12, cell: (r) => r.countedOn },
    { header: '历年导入', width: 10, cell: (r) => yesNo(r.imported) },
    { header: '更新时间', width: 18, cell: (r) => exportDateTime(r.updatedAt) },
  ],
};

/** The teachers' export; the hours column names the rule's window (setting practice.windowYears), as the summary certificate does. */
export const teacherExport = (windowYears: number): ListExportSpec<TeacherDto> => ({
  title: '教师企业实践达标情况',
  fields: [
    { header: '编号', width: 8, cell: (t) => t.id },
    { header: '用户名', width: 16, cell: (t) => t.username },
    { header: '姓名', width: 12, cell: (t) => t.displayName },
    { header: '手机号码（脱敏）', width: 16, cell: (t) => t.phoneMasked },
    { header: '学校', width: 24, cell: (t) => t.schoolName },
    { header: '县（市、区）', width: 12, cell: (t) => countyName(t.schoolCountyCode) ?? '' },
    { header: '专业', width: 20, cell: (t) => t.major },
    { header: '任职类型', width: 10, cell: (t) => TEACHER_EMPLOYMENTS[t.employment] },
    { header: '双师型', width: 8, cell: (t) => yesNo(t.dualQualified) },
    { header: '双师型认定日期', width: 14, cell: (t) => t.dualQualifiedOn },
    { header: '账号状态', width: 10, cell: (t) => (t.active ? '在用' : '停用') },
    { header: `近 ${windowYears} 年累计学时`, width: 14, cell: (t) => t.hours },
    { header: '折合月数', width: 10, cell: (t) => t.months },
    { header: '是否达标', width: 10, cell: (t) => yesNo(t.met) },
    { header: '保持达标至', width: 12, cell: (t) => t.lastMetDate },
    { header: '即将不达标', width: 12, cell: (t) => yesNo(t.atRisk) },
    { header: '待学校审核记录', width: 14, cell: (t) => t.awaitingSchool },
  ],
});

export const PRACTICE_POST_EXPORT: ListExportSpec<PracticePostDto> = {
  title: '千企万岗实践岗位',
  fields: [
    { header: '编号', width: 8, cell: (p) => p.id },
    { header: '岗位名称', width: 24, cell: (p) => p.title },
    { header: '发布企业', width: 30, cell: (p) => p.enterpriseName },
    { header: '县（市、区）', width: 12, cell: (p) => countyName(p.countyCode) ?? '' },
    { header: '产业', width: 12, cell: (p) => industryName(p.industry) },
    { header: '专业', width: 20, cell: (p) => p.major },
    { header: '岗位数', width: 8, cell: (p) => p.openings },
    { header: '已接收', width: 8, cell: (p) => p.accepted },
    { header: '剩余名额', width: 10, cell: (p) => p.remaining },
    { header: '开始日期', width: 12, cell: (p) => p.startDate },
    { header: '结束日期', width: 12, cell: (p) => p.endDate },
    { header: '企业导师', width: 12, cell: (p) => p.mentorName },
    { header: '岗位内容', width: 40, cell: (p) => p.content },
    { header: '状态', width: 10, cell: (p) => PRACTICE_POST_STATUSES[p.status] },
    { header: '发布时间', width: 18, cell: (p) => exportDateTime(p.createdAt) },
  ],
};

export const PRACTICE_APPLICATION_EXPORT: ListExportSpec<PracticeApplicationDto> = {
  title: '实践岗位申请',
  fields: [
    { header: '编号', width: 8, cell: (a) => a.id },
    { header: '岗位', width: 24, cell: (a) => a.postTitle },
    { header: '发布企业', width: 30, cell: (a) => a.enterpriseName },
    { header: '岗位期间', width: 24, cell: (a) => `${a.postStartDate} 至 ${a.postEndDate}` },
    { header: '教师', width: 12, cell: (a) => a.teacherName },
    { header: '学校', width: 24, cell: (a) => a.schoolName },
    { header: '状态', width: 12, cell: (a) => a.stateLabel },
    { header: '申请说明', width: 30, cell: (a) => a.note },
    { header: '申请时间', width: 18, cell: (a) => exportDateTime(a.createdAt) },
    { header: '更新时间', width: 18, cell: (a) => exportDateTime(a.updatedAt) },
  ],
};
