/**
 * How deep a person may page through a list (the first row of a page): OFFSET reads and throws away every row before
 * the page, so a page 20,000 pages down a million-row list costs seconds. Past this the API asks for a narrower filter
 * (the export still reads every page), and the web app says so beside an estimated total.
 */
export const MAX_LIST_OFFSET = 10_000;

/** A row of an uploaded spreadsheet that cannot be imported: its cells as read and every reason. */
export interface ImportBadRow {
  row: number;
  cells: Record<string, string>;
  problems: string[];
}

/** An import's preview (and, once committed, its outcome): the bad rows listed before anything is written. */
export interface ImportPreviewDto {
  id: string;
  kind: string;
  fileName: string;
  total: number;
  good: number;
  bad: ImportBadRow[];
  status: 'previewed' | 'committed';
  imported: number | null;
  createdAt: string;
  expiresAt: string;
}
