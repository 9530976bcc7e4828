import { countyName, GENDER_LABELS, INDUSTRIES, STUDENT_DESTINATIONS, type OrderClassDto, type OrderClassStudentDto } from '@portal/contracts';
import type { ListExportSpec } from '@portal/core';

/** The order-class list as exported (.xlsx, through the list itself: its filters, sort and authorization); no personal data. */
export const ORDER_CLASS_EXPORT: ListExportSpec<OrderClassDto> = {
  title: '订单班',
  fields: [
    { header: '编号', width: 8, cell: (c) => c.id },
    { header: '订单班名称', width: 30, cell: (c) => c.name },
    { header: '举办学校', width: 24, cell: (c) => c.schoolName },
    { header: '县（市、区）', width: 12, cell: (c) => countyName(c.countyCode) ?? c.countyCode },
    { header: '合作企业', width: 30, cell: (c) => c.enterprise.name ?? '（已邀请，未注册）' },
    { header: '统一社会信用代码', width: 22, cell: (c) => c.enterprise.creditCode },
    { header: '产业', width: 12, cell: (c) => INDUSTRIES.find((i) => i.code === c.enterprise.industry)?.name ?? '' },
    { header: '专业', width: 20, cell: (c) => c.majorName },
    { header: '年级', width: 8, cell: (c) => c.cohortYear },
    { header: '计划人数', width: 10, cell: (c) => c.plannedHeadcount },
    { header: '在班人数', width: 10, cell: (c) => c.enrolled },
    { header: '培养开始', width: 12, cell: (c) => c.termStart },
    { header: '培养结束', width: 12, cell: (c) => c.termEnd },
    { header: '就业岗位数', width: 10, cell: (c) => c.employment.posts.reduce((n, p) => n + p.openings, 0) },
    {
      header: '月薪范围（元）',
      width: 14,
      cell: ({ employment: e }) => (e.salaryMinYuan !== null && e.salaryMaxYuan !== null ? `${e.salaryMinYuan}-${e.salaryMaxYuan}` : ''),
    },
    { header: '阶段', width: 12, cell: (c) => c.case.stateLabel },
  ],
};

/** A class's roster as exported (through the roster list: its filters, sort and authorization): ID numbers and phones masked, as on screen. */
export const ROSTER_EXPORT: ListExportSpec<OrderClassStudentDto> = {
  title: '订单班学生名单',
  fields: [
    { header: '序号', width: 6, cell: (_s, n) => n },
    { header: '姓名', width: 12, cell: (s) => s.name },
    { header: '性别', width: 6, cell: (s) => GENDER_LABELS[s.gender] },
    { header: '出生年份', width: 10, cell: (s) => s.birthYear },
    { header: '身份证号码（脱敏）', width: 22, cell: (s) => s.idNumberMasked },
    { header: '手机号码（脱敏）', width: 16, cell: (s) => s.phoneMasked },
    { header: '加入日期', width: 12, cell: (s) => s.joinedOn },
    { header: '退出日期', width: 12, cell: (s) => s.leftOn },
    { header: '是否结业', width: 10, cell: (s) => (s.graduated === null ? '' : s.graduated ? '是' : '否') },
    { header: '去向', width: 16, cell: (s) => (s.destination ? STUDENT_DESTINATIONS[s.destination] : '') },
  ],
};
