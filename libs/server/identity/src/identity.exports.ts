import {
  AUTHORITY_TYPES,
  countyName,
  INDUSTRIES,
  type LoginEventDto,
  maskPhone,
  ORGANISATION_KIND_LABELS,
  type OrganisationDto,
  ROLE_LABELS,
  SCHOOL_TYPES,
  type UserDto,
} from '@portal/contracts';
import { exportDateTime, type ListExportSpec } from '@portal/core';

/** The .xlsx exports of the identity lists: phones masked (a spreadsheet travels further than the screen). */

const phone = (p: string | null) => (p ? maskPhone(p) : null);

export const ORGANISATIONS_EXPORT: ListExportSpec<OrganisationDto> = {
  title: '单位',
  fields: [
    { header: '编号', cell: (r) => r.id },
    { header: '类别', cell: (r) => ORGANISATION_KIND_LABELS[r.kind].zh },
    { header: '名称', width: 30, cell: (r) => r.name },
    { header: '统一社会信用代码', width: 22, cell: (r) => r.creditCode },
    { header: '县（市、区）', cell: (r) => countyName(r.countyCode) ?? r.countyCode },
    { header: '行业', cell: (r) => INDUSTRIES.find((i) => i.code === r.industry)?.name ?? null },
    {
      header: '院校/部门类别',
      width: 16,
      cell: (r) => SCHOOL_TYPES.find((t) => t.code === r.schoolType)?.name ?? AUTHORITY_TYPES.find((t) => t.code === r.authorityType)?.name ?? null,
    },
    { header: '地址', width: 30, cell: (r) => r.address },
    { header: '联系人', cell: (r) => r.contactName },
    { header: '联系电话', width: 16, cell: (r) => phone(r.contactPhone) },
    { header: '创建时间', width: 18, cell: (r) => exportDateTime(r.createdAt) },
  ],
};

export const USERS_EXPORT: ListExportSpec<UserDto> = {
  title: '用户',
  fields: [
    { header: '编号', cell: (r) => r.id },
    { header: '用户名', width: 18, cell: (r) => r.username },
    { header: '姓名', cell: (r) => r.displayName },
    { header: '单位编号', cell: (r) => r.organisationId },
    { header: '角色', width: 24, cell: (r) => r.roles.map((role) => ROLE_LABELS[role].zh).join('、') },
    { header: '管辖县（市、区）', width: 16, cell: (r) => countyName(r.jurisdiction) ?? r.jurisdiction },
    { header: '电子邮箱', width: 24, cell: (r) => r.email },
    { header: '手机号码', width: 16, cell: (r) => r.phoneMasked },
    { header: '状态', cell: (r) => (r.active ? '启用' : '停用') },
    { header: '创建时间', width: 18, cell: (r) => exportDateTime(r.createdAt) },
  ],
};

export const LOGIN_EVENTS_EXPORT: ListExportSpec<LoginEventDto> = {
  title: '登录日志',
  fields: [
    { header: '编号', cell: (r) => Number(r.id) },
    { header: '时间', width: 18, cell: (r) => exportDateTime(r.at) },
    { header: '用户名', width: 18, cell: (r) => r.username },
    { header: '结果', cell: (r) => (r.success ? '成功' : '失败') },
    { header: '原因', width: 16, cell: (r) => r.reason },
    { header: '网络地址', width: 16, cell: (r) => r.ip },
    { header: '浏览器', width: 40, cell: (r) => r.userAgent },
  ],
};
