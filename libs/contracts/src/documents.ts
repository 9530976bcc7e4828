/** The four documents the portal issues (DOMAIN.md, "Documents issued"). */
export const DOCUMENT_KINDS = {
  certificate: { label: '产教融合型企业证书', serialPrefix: 'WZCJ' },
  subsidy_notice: { label: '补助资金拨付通知书', serialPrefix: 'WZBZ' },
  order_class_receipt: { label: '订单班备案回执', serialPrefix: 'WZDD' },
  practice_certificate: { label: '教师企业实践证明', serialPrefix: 'WZSJ' },
  practice_summary: { label: '教师企业实践汇总证明', serialPrefix: 'WZSH' },
  // the city's monthly report on the plan's targets (issue 12)
  monthly_report: { label: '产教融合工作月报', serialPrefix: 'WZYB' },
} as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;
export const DOCUMENT_KIND_CODES = Object.keys(DOCUMENT_KINDS) as DocumentKind[];

export type DocumentStatus = 'valid' | 'expired' | 'revoked';

/** What a feature asks the worker to issue: every fact the page shows, already in words. */
export interface DocumentRequest {
  kind: DocumentKind;
  /** what the document is about, unique per kind: e.g. `certification:12` (one document per case and kind) */
  subjectKey: string;
  /** 1 for the first issue; a re-issue is the next generation and revokes the one before */
  generation: number;
  caseId?: number;
  holderOrgId: number;
  holderUserId?: number;
  holderName: string;
  /** the county whose officials may read it (the finance bureau for a subsidy notice) */
  countyCode?: string | null;
  /** the issuing authority, e.g. 温州市教育局 */
  authority: string;
  /** who a notice is addressed to, e.g. 鹿城区财政局 */
  addressee?: string;
  /** the main paragraph */
  body: string;
  /** label/value lines under it */
  facts: Array<{ label: string; value: string }>;
  /** tables on the pages after the first (a report's figures by county), each with its header row */
  tables?: Array<{ title: string; head: string[]; rows: string[][] }>;
  validUntil?: string | null;
  /**
   * When the decision it records was taken, for a document of the portal's past (the demo city's generator, which
   * writes years of history at once): issued as of then, dated then and numbered in that year's series. Absent (every
   * feature's request): issued now. Never later than now.
   */
  issuedAt?: string;
  batchId?: number;
  /** who is told once the document exists (e.g. the finance bureau a notice is addressed to) */
  notify?: { title: string; body?: string; roles: readonly string[]; countyCode?: string | null; organisationId?: number; caseId?: number };
}

/** How a status reads, unless the document's subject says more (e.g. 已追回 for a recovered subsidy's notice). */
export const DOCUMENT_STATUS_LABELS: Record<DocumentStatus, string> = { valid: '有效', expired: '已过期', revoked: '已撤销' };

export interface DocumentDto {
  id: number;
  kind: DocumentKind;
  kindLabel: string;
  serial: string;
  subjectKey: string;
  generation: number;
  caseId: number | null;
  holderOrgId: number;
  holderName: string;
  issuedAt: string;
  validUntil: string | null;
  status: DocumentStatus;
  /** the status in words, with what became of its subject (已撤销, 已追回…) */
  statusLabel: string;
  revokedAt: string | null;
  revokeReason: string | null;
  sha256: string;
  size: number;
  verifyUrl: string;
}

/** The public verification answer: the minimum a third party needs, nothing more. */
export interface VerificationDto {
  kind: DocumentKind;
  kindLabel: string;
  /** the serial number printed on the document */
  serial: string;
  /** the issuing authority */
  authority: string;
  holderName: string;
  issuedAt: string;
  validUntil: string | null;
  status: DocumentStatus;
  /** the status in words, with what became of its subject: 有效, 已撤销, 已追回… */
  statusLabel: string;
  revokeReason: string | null;
  sha256: string;
}

/**
 * 'running': the batch is being worked (its run holds the batch) or its documents are still being issued;
 * 'interrupted': its run stopped (a crash) with items never worked; 'finished': every item worked and
 * every document issued or failed.
 */
export type DocumentBatchState = 'running' | 'interrupted' | 'finished';

/** A batch decision's progress, derived from its items (the cases in it) and the documents they produced. */
export interface DocumentBatchDto {
  id: number;
  kind: DocumentKind;
  title: string;
  state: DocumentBatchState;
  /** items (cases) in the batch */
  items: number;
  /** items acted on (each one produces a document) */
  acted: number;
  /** items skipped, each with its reason in skippedItems */
  skipped: number;
  /** items not worked yet (an interrupted batch keeps them) */
  pending: number;
  skippedItems: Array<{ id: number; label: string | null; reason: string }>;
  /** documents expected (one per acted item), issued, and failed */
  total: number;
  done: number;
  failed: number;
  /** nothing more will happen by itself (finished or interrupted) and every expected document is issued or failed */
  finished: boolean;
  createdAt: string;
}

/** A document put back in line to be issued again, as its next generation. */
export interface ReissueDto {
  queued: true;
  generation: number;
}
