/** The import preview as the API answers it. */
export type { ImportPreviewDto as ImportPreview } from '@portal/contracts';
