import { chineseDate, countyName, endOfPortalDay, fillText, majorName, portalDate, type DocumentRequest, type TextSettingValues } from '@portal/contracts';
import type { EntityManager } from 'typeorm';
import { CLASS_COLUMNS, FROM_CLASSES, type OrderClassRow } from './order-class.rows.js';

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

/**
 * The receipts of classes already filed, in one statement (a bulk load such as the demo city's generator, which
 * writes filed classes without running the filing effect): each with the class's case, the instant it was filed
 * and the request the effect would have made — authority the county's education bureau, dated the filing day.
 */
export async function filingReceiptsOf(
  em: EntityManager,
  caseIds: readonly number[],
  texts: TextSettingValues,
): Promise<Array<{ caseId: number; filedAt: Date; request: DocumentRequest }>> {
  if (!caseIds.length) return [];
  const rows = await em.query<Array<OrderClassRow & { bureau: string | null }>>(
    `SELECT ${CLASS_COLUMNS},
            (SELECT b.name FROM organisations b WHERE b.kind = 'authority' AND b.authority_type = 'education' AND b.county_code = c.county_code
              ORDER BY b.id LIMIT 1) AS bureau
       ${FROM_CLASSES} WHERE oc.case_id = ANY($1::bigint[]) AND oc.filed_at IS NOT NULL ORDER BY oc.filed_at, oc.id`,
    [caseIds],
  );
  return rows.map((cls) => ({
    caseId: Number(cls.case_id),
    filedAt: cls.filed_at!,
    request: filingReceipt(cls, { caseId: Number(cls.case_id), authority: cls.bureau ?? '温州市教育局', filedOn: portalDate(cls.filed_at!), texts }),
  }));
}
