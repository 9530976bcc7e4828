/** A provincial or national certification proposed by the enterprise (GET /api/certification-records). */
export type { RecordDto } from '@portal/contracts';
