import type { CaseSummaryInRecord } from './workflow.js';

/** Certification levels (task 22): the city decides in the portal; provincial and national are recorded. */
export const CERTIFICATION_LEVELS = {
  city: { label: '市级', subsidySetting: 'certification.subsidyCityYuan' },
  provincial: { label: '省级', subsidySetting: 'certification.subsidyProvincialYuan' },
  national: { label: '国家级', subsidySetting: 'certification.subsidyNationalYuan' },
} as const;
export type CertificationLevel = keyof typeof CERTIFICATION_LEVELS;
export const CERTIFICATION_LEVEL_CODES = Object.keys(CERTIFICATION_LEVELS) as CertificationLevel[];
export const LEVEL_RANK: Record<CertificationLevel, number> = { city: 1, provincial: 2, national: 3 };

/** Kinds of cooperation evidence; the portal's own order classes and practice records fill some of them. */
export const EVIDENCE_TYPES = {
  school_partner: '合作院校',
  order_class: '订单班',
  internship: '接收实习',
  practice_post: '教师实践岗位',
  training_base: '共建实训基地',
  investment: '职业教育投入',
  part_time_teacher: '选派兼职教师',
} as const;
export type EvidenceType = keyof typeof EVIDENCE_TYPES;

export interface EvidenceItem {
  type: EvidenceType;
  description: string;
  /** the partner school, where there is one */
  schoolName?: string;
  year?: number;
  /** people (interns, teachers) or classes */
  count?: number;
  /** money, in 元 (investment) */
  amountYuan?: number;
  /** where it came from: typed in, or one of the portal's own records */
  source: 'manual' | 'order_class' | 'practice_record';
  /**
   * the record it came from, '<resource>/<id>' (the web app links to it); in an answer, only when the viewer may open
   * that record — a reviewer who may not reads the description without a link
   */
  sourceRef?: string;
}

export interface Declarations {
  noMajorAccident: boolean;
  notDishonest: boolean;
  mainBusinessNotEducation: boolean;
}

/** Attachments the application needs, by purpose. */
export const CERTIFICATION_CHECKLIST = [
  { purpose: 'business_license', label: '营业执照' },
  { purpose: 'cooperation_agreement', label: '校企合作协议' },
  { purpose: 'no_accident_statement', label: '无重大安全、环保、质量事故声明' },
  { purpose: 'credit_commitment', label: '信用承诺书' },
] as const;

export type RuleStatus = 'pass' | 'warn' | 'block';
export interface EligibilityRule {
  code: string;
  label: string;
  status: RuleStatus;
  message: string;
  source: string;
}

export interface CertificationApplicationDto {
  id: number;
  caseRef: string;
  enterpriseId: number;
  enterpriseName: string;
  creditCode: string;
  countyCode: string;
  industry: string | null;
  year: number;
  plan: string;
  evidence: EvidenceItem[];
  /**
   * The portal's own records of the enterprise (order classes, teachers' practice it hosted), found for it and
   * counted with `evidence` by the eligibility rules; on the detail view only (lists leave it out)
   */
  linkedEvidence?: EvidenceItem[];
  declarations: Declarations;
  dataVersion: number;
  createdAt: string;
  updatedAt: string;
  /** the light summary in list rows; the full one (allowed actions…) on the detail view */
  case: CaseSummaryInRecord;
}

export type CertificationStatus = 'active' | 'expired' | 'revoked';
/** 有效, 已过期, 已撤销 (the list's filter `status`; revocation wins over expiry) */
export const CERTIFICATION_STATUS_CODES: readonly CertificationStatus[] = ['active', 'expired', 'revoked'];
export interface CertificationDto {
  id: number;
  enterpriseId: number;
  enterpriseName: string;
  countyCode: string | null;
  level: CertificationLevel;
  source: 'portal' | 'recorded';
  applicationId: number | null;
  documentNo: string | null;
  certifiedAt: string;
  validUntil: string | null;
  status: CertificationStatus;
  revokedAt: string | null;
  revokeReason: string | null;
  /** who revoked it */
  revokedBy: number | null;
  revokedByName: string | null;
}

/** Ledger states (DOMAIN.md): 待拨付 → 已发通知 → 已拨付, or 已撤销 / 待追回 after a revocation. */
export const SUBSIDY_STATUSES = {
  pending: '待拨付',
  notified: '已发通知',
  paid: '已拨付',
  cancelled: '已撤销',
  to_recover: '待追回',
  recovered: '已追回',
} as const;
export type SubsidyStatus = keyof typeof SUBSIDY_STATUSES;

export interface SubsidyDto {
  id: number;
  enterpriseId: number;
  enterpriseName: string;
  countyCode: string | null;
  level: CertificationLevel;
  certificationId: number;
  amountFen: number;
  policy: 'full' | 'difference';
  status: SubsidyStatus;
  noticeDocumentId: number | null;
  /** the Asia/Shanghai day its notice was issued: no payment may be dated before it */
  noticeIssuedOn: string | null;
  /** the payment's voucher, date and amount (the notified amount: a one-time subsidy is paid in full) */
  voucherNo: string | null;
  paidAt: string | null;
  paidAmountFen: number | null;
  cancelReason: string | null;
  /** a recovery (after a revocation) has its own voucher, date and amount, never the payment's */
  recoveryVoucherNo: string | null;
  recoveredAt: string | null;
  recoveredAmountFen: number | null;
  /** for the optimistic check of pay / cancel / recover */
  version: number;
  createdAt: string;
}

/** Subsidy totals by county and level, in fen. */
export interface SubsidyTotals {
  countyCode: string | null;
  level: string;
  count: number;
  budgetedFen: number;
  notifiedFen: number;
  paidFen: number;
  toRecoverFen: number;
}

/** A certified enterprise's annual report (dynamic management). */
export interface AnnualReportContent {
  summary: string;
  orderClasses: number;
  internsHosted: number;
  practicePosts: number;
  investmentYuan: number;
}

export interface AnnualReportDto extends AnnualReportContent {
  id: number;
  certificationId: number;
  year: number;
  submittedAt: string;
}

/** The answer to a city batch action: the batch (when it issues a decision) and each application's outcome. */
export interface BatchResult {
  batchId: number | null;
  results: Array<{ id: number; ok: boolean; state?: string; status?: number; message?: string }>;
}

/** An enterprise on public notice (公示) before certification, as anyone may read it. */
export interface PublicityNoticeDto {
  id: number;
  enterpriseName: string;
  countyCode: string;
  industry: string | null;
  creditCode: string;
  year: number;
  noticeStartsAt: string;
  noticeEndsAt: string | null;
  caseRef: string;
}

/** A provincial or national certification the enterprise proposed to record, confirmed by the city. */
export interface RecordDto {
  id: number;
  caseRef: string;
  enterpriseId: number;
  enterpriseName: string;
  level: Exclude<CertificationLevel, 'city'>;
  documentNo: string;
  certifiedAt: string;
  /** the light summary in list rows; the full one (allowed actions…) on the detail view */
  case: CaseSummaryInRecord;
}
