import {
  CERTIFICATION_LEVELS,
  chineseDate,
  countyName,
  endOfPortalDay,
  fillText,
  SUBSIDY_STATUSES,
  type CertificationLevel,
  type DocumentRequest,
  type TextSettingValues,
} from '@portal/contracts';
import { rmbDigits, rmbUppercase } from '../subsidies/money.js';

/**
 * The documents a certification brings, as the documents service issues them (the 'documents.issue' job): the
 * certificate of a city-level certification and the subsidy notice to the finance bureau of the enterprise's county;
 * and what their verification page says once the certification is revoked or its subsidy comes back. One wording for
 * the service that grants and revokes, and for the demo city's generator (seeds/city), which requests the same.
 */

/** The enterprise a document names. */
export interface CertifiedEnterprise {
  id: number;
  name: string;
  credit_code: string;
  county_code: string | null;
}

export const certificateSubject = (certificationId: number | string): string => `certification:${certificationId}`;
export const subsidyNoticeSubject = (subsidyId: number | string): string => `subsidy:${subsidyId}`;

/** The outbox's key of a document request: one job per kind, subject and generation. */
export const documentDedupeKey = (r: Pick<DocumentRequest, 'kind' | 'subjectKey' | 'generation'>): string =>
  `document:${r.kind}:${r.subjectKey}:${r.generation}`;

/** 产教融合型企业证书 of a city-level certification: valid through the last day of its validity, in Wenzhou. */
export function certificateRequest(
  e: CertifiedEnterprise,
  p: { certificationId: number; caseId?: number; certifiedAt: string; validUntil: string; texts: TextSettingValues; batchId?: number },
): DocumentRequest {
  return {
    kind: 'certificate',
    subjectKey: certificateSubject(p.certificationId),
    generation: 1,
    caseId: p.caseId,
    holderOrgId: e.id,
    holderName: e.name,
    countyCode: e.county_code,
    authority: p.texts['documents.cityAuthority'],
    body: fillText(p.texts['documents.certificateBody'], { 企业名称: e.name }),
    facts: [
      { label: '统一社会信用代码', value: e.credit_code },
      { label: '认定级别', value: CERTIFICATION_LEVELS.city.label },
      { label: '认定日期', value: chineseDate(p.certifiedAt) },
      { label: '有效期至', value: chineseDate(p.validUntil) },
    ],
    validUntil: endOfPortalDay(p.validUntil).toISOString(),
    batchId: p.batchId,
  };
}

/** 补助资金拨付通知书 to the finance bureau of the enterprise's county, which is told once it exists. */
export function subsidyNoticeRequest(
  e: CertifiedEnterprise,
  p: { subsidyId: number; level: CertificationLevel; amountFen: number; policy: 'full' | 'difference'; texts: TextSettingValues; caseId?: number },
): DocumentRequest {
  const level = CERTIFICATION_LEVELS[p.level].label;
  return {
    kind: 'subsidy_notice',
    subjectKey: subsidyNoticeSubject(p.subsidyId),
    generation: 1,
    holderOrgId: e.id,
    holderName: e.name,
    countyCode: e.county_code,
    authority: p.texts['documents.cityAuthority'],
    addressee: `${countyName(e.county_code) ?? '温州市'}财政局`,
    body: fillText(p.texts['documents.subsidyNoticeBody'], { 认定级别: level }),
    facts: [
      { label: '企业名称', value: e.name },
      { label: '统一社会信用代码', value: e.credit_code },
      { label: '认定级别', value: level },
      { label: '补助金额', value: `${rmbUppercase(p.amountFen)}（${rmbDigits(p.amountFen)}）` },
      { label: '计算方式', value: p.policy === 'full' ? '全额补助' : '补足与已获较低级别补助的差额' },
    ],
    validUntil: null,
    notify: {
      title: `补助资金拨付通知书：${e.name}`,
      body: `${level}产教融合型企业补助 ${rmbDigits(p.amountFen)}，请按通知拨付并在平台登记拨付凭证。`,
      roles: ['finance'],
      countyCode: e.county_code,
      ...(p.caseId !== undefined ? { caseId: p.caseId } : {}),
    },
  };
}

/** What the certificate's verification page says once its certification is revoked. */
export const certificateRevocation = (reason: string): { reason: string } => ({ reason: `认定资格已撤销：${reason}` });

/** What a subsidy notice's verification page says once the certification is revoked: the subsidy cancelled, or to recover. */
export function subsidyNoticeRevocation(to: 'cancelled' | 'to_recover', reason: string): { reason: string; statusLabel: string } {
  return to === 'cancelled'
    ? { reason: `认定资格已撤销，补助取消：${reason}`, statusLabel: '已撤销' }
    : { reason: `认定资格已撤销，已拨付的补助待追回：${reason}`, statusLabel: `已撤销（补助${SUBSIDY_STATUSES.to_recover}）` };
}

/** …and once the paid subsidy has come back (the notice's reason stays the revocation's; its status reads 已追回). */
export const subsidyNoticeRecovered = (voucherNo: string): { reason: string; statusLabel: string } => ({
  reason: `认定资格已撤销，补助已追回（追回凭证 ${voucherNo}）`,
  statusLabel: SUBSIDY_STATUSES.recovered,
});
