import type { CaseSummaryInRecord } from '@portal/contracts';

/** A provincial or national certification proposed by the enterprise (GET /api/certification-records). */
export interface RecordDto {
  id: number;
  caseRef: string;
  enterpriseId: number;
  enterpriseName: string;
  level: 'provincial' | 'national';
  documentNo: string;
  certifiedAt: string;
  case: CaseSummaryInRecord;
}
