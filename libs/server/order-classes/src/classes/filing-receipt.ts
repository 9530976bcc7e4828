import { chineseDate, countyName, endOfPortalDay, fillText, majorName, type DocumentRequest, type TextSettingValues } from '@portal/contracts';
import type { OrderClassRow } from './order-class.rows.js';

/** The subject of a class's 订单班备案回执 (one per class and generation). */
export const receiptSubject = (classId: number | string): string => `order-class:${classId}`;

/**
 * The 订单班备案回执 as the documents service issues it: the filing bureau, the class's facts in words, valid
 * through the last day of its term (in Wenzhou).
 */
export function filingReceipt(cls: OrderClassRow, p: { caseId: number; authority: string; filedOn: string; texts: TextSettingValues }): DocumentRequest {
  const enterprise = cls.ent_name ?? `统一社会信用代码 ${cls.invited_credit_code ?? ''}`;
  return {
    kind: 'order_class_receipt',
    subjectKey: receiptSubject(cls.id),
    generation: 1,
    caseId: p.caseId,
    holderOrgId: cls.school_id,
    holderName: cls.school_name,
    countyCode: cls.county_code,
    authority: p.authority,
    body: fillText(p.texts['documents.orderClassReceiptBody'], { 学校名称: cls.school_name, 企业名称: enterprise, 班级名称: cls.name }),
    facts: [
      { label: '订单班名称', value: cls.name },
      { label: '举办学校', value: cls.school_name },
      { label: '合作企业', value: enterprise },
      { label: '专业', value: majorName(cls.major_code) ?? cls.major_code ?? '' },
      { label: '年级', value: cls.cohort_year ? `${cls.cohort_year}级` : '' },
      { label: '计划人数', value: cls.planned_headcount ? `${cls.planned_headcount}人` : '' },
      { label: '培养期限', value: cls.term_start && cls.term_end ? `${chineseDate(cls.term_start)}至${chineseDate(cls.term_end)}` : '' },
      { label: '备案机关', value: p.authority },
      { label: '所在县（市、区）', value: countyName(cls.county_code) ?? '' },
      { label: '备案日期', value: chineseDate(p.filedOn) },
    ],
    validUntil: cls.term_end ? endOfPortalDay(cls.term_end).toISOString() : null,
    notify: { title: '订单班备案回执已签发', body: cls.name, roles: ['school_admin'], organisationId: cls.school_id, caseId: p.caseId },
  };
}
