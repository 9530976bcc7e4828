import {
  CERTIFICATION_LEVELS,
  countyName,
  INDUSTRIES,
  SUBSIDY_STATUSES,
  type CertificationApplicationDto,
  type CertificationDto,
  type RecordDto,
  type SubsidyDto,
} from '@portal/contracts';
import { exportDateTime, type ListExportSpec } from '@portal/core';

/** The .xlsx exports of the certification lists (`GET /api/<resource>/export`): Chinese headers, one row per list row. */

const industryName = (code: string | null) => INDUSTRIES.find((i) => i.code === code)?.name ?? null;
const yuan = (fen: number | null) => (fen === null ? null : fen / 100);
const CERTIFICATION_STATUS = { active: '有效', expired: '已过期', revoked: '已撤销' } as const;

export const APPLICATIONS_EXPORT: ListExportSpec<CertificationApplicationDto> = {
  title: '认定申请',
  fields: [
    { header: '编号', cell: (r) => r.id },
    { header: '企业名称', width: 30, cell: (r) => r.enterpriseName },
    { header: '统一社会信用代码', width: 22, cell: (r) => r.creditCode },
    { header: '县（市、区）', cell: (r) => countyName(r.countyCode) ?? r.countyCode },
    { header: '行业', cell: (r) => industryName(r.industry) },
    { header: '申报年度', cell: (r) => r.year },
    { header: '办理阶段', width: 16, cell: (r) => r.case.stateLabel },
    { header: '阶段办理时限', width: 18, cell: (r) => exportDateTime(r.case.stageDueAt) },
    { header: '提交次数', cell: (r) => r.case.submissions },
    { header: '创建时间', width: 18, cell: (r) => exportDateTime(r.createdAt) },
    { header: '更新时间', width: 18, cell: (r) => exportDateTime(r.updatedAt) },
  ],
};

export const CERTIFICATIONS_EXPORT: ListExportSpec<CertificationDto> = {
  title: '认定企业',
  fields: [
    { header: '编号', cell: (r) => r.id },
    { header: '企业名称', width: 30, cell: (r) => r.enterpriseName },
    { header: '县（市、区）', cell: (r) => countyName(r.countyCode) ?? r.countyCode },
    { header: '认定级别', cell: (r) => CERTIFICATION_LEVELS[r.level].label },
    { header: '来源', cell: (r) => (r.source === 'portal' ? '本平台认定' : '登记上级认定') },
    { header: '文号', width: 24, cell: (r) => r.documentNo },
    { header: '认定日期', width: 12, cell: (r) => r.certifiedAt },
    { header: '有效期至', width: 12, cell: (r) => r.validUntil },
    { header: '状态', cell: (r) => CERTIFICATION_STATUS[r.status] },
    { header: '撤销原因', width: 30, cell: (r) => r.revokeReason },
  ],
};

export const SUBSIDIES_EXPORT: ListExportSpec<SubsidyDto> = {
  title: '补助台账',
  fields: [
    { header: '编号', cell: (r) => r.id },
    { header: '企业名称', width: 30, cell: (r) => r.enterpriseName },
    { header: '县（市、区）', cell: (r) => countyName(r.countyCode) ?? r.countyCode },
    { header: '认定级别', cell: (r) => CERTIFICATION_LEVELS[r.level].label },
    { header: '补助金额（元）', cell: (r) => yuan(r.amountFen) },
    { header: '状态', cell: (r) => SUBSIDY_STATUSES[r.status] },
    { header: '通知日期', width: 12, cell: (r) => r.noticeIssuedOn },
    { header: '拨付凭证号', width: 18, cell: (r) => r.voucherNo },
    { header: '拨付日期', width: 12, cell: (r) => r.paidAt },
    { header: '拨付金额（元）', cell: (r) => yuan(r.paidAmountFen) },
    { header: '追回金额（元）', cell: (r) => yuan(r.recoveredAmountFen) },
    { header: '撤销原因', width: 30, cell: (r) => r.cancelReason },
  ],
};

export const RECORDS_EXPORT: ListExportSpec<RecordDto> = {
  title: '上级认定备案',
  fields: [
    { header: '编号', cell: (r) => r.id },
    { header: '企业名称', width: 30, cell: (r) => r.enterpriseName },
    { header: '认定级别', cell: (r) => CERTIFICATION_LEVELS[r.level].label },
    { header: '文号', width: 24, cell: (r) => r.documentNo },
    { header: '认定日期', width: 12, cell: (r) => r.certifiedAt },
    { header: '办理阶段', width: 16, cell: (r) => r.case.stateLabel },
  ],
};
