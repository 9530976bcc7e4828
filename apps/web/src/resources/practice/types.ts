/** The import preview as the API answers it (SpreadsheetImports' ImportPreviewDto). */
export interface ImportPreview {
  id: string;
  kind: string;
  fileName: string;
  total: number;
  good: number;
  bad: Array<{ row: number; cells: Record<string, string>; problems: string[] }>;
  status: 'previewed' | 'committed';
  imported: number | null;
  expiresAt: string;
}
