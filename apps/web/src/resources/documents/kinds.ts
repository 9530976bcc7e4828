import { DOCUMENT_KIND_CODES, DOCUMENT_KINDS, type DocumentDto, type DocumentKind } from '@portal/contracts';

export { DOCUMENT_KIND_CODES, type DocumentDto };

export const DOCUMENTS_KIND_LABEL: Record<DocumentKind, string> = Object.fromEntries(DOCUMENT_KIND_CODES.map((k) => [k, DOCUMENT_KINDS[k].label])) as Record<
  DocumentKind,
  string
>;
