import type { StreamableFile } from '@nestjs/common';
import { portalDateTimeLocal, portalToday } from '@portal/contracts';
import { DEEP_PAGES, type RawListQuery } from '../http/list-query.js';
import { xlsxFile, type ExportCell, type ExportColumn } from './xlsx-export.js';

/** One column of a list's export: its Chinese header and the cell of a row (mask personal data here); `n` is the row's number in the file, from 1 (a 序号 column). */
export interface ExportField<Row> extends ExportColumn {
  cell(row: Row, n: number): ExportCell;
}

/** What an export declares once per list: the file's title and its columns. */
export interface ListExportSpec<Row> {
  /** file and sheet title, e.g. '认定申请' → 认定申请-2026-11-29.xlsx */
  title: string;
  fields: readonly ExportField<Row>[];
}

/** Rows read per page: bounded, so an export of any length holds one page at a time. */
export const EXPORT_PAGE_SIZE = 500;

/** What a list endpoint may do to its reply (set Content-Range…): ignored while exporting. */
export interface ListReplySink {
  header(name: string, value: string): unknown;
  status(code: number): unknown;
  type(contentType: string): unknown;
}

/** A list endpoint's own code: given the raw list query (sort, range, filter) and a reply, a page of rows. */
export type ListPageReader<Row> = (query: RawListQuery, reply: ListReplySink) => Promise<Row[]>;

const noHeaders: ListReplySink = { header: () => undefined, status: () => undefined, type: () => undefined };

/**
 * `GET /api/<resource>/export`: the list's own filter and sort (its own code, so its own authorization and
 * validation), read page after page (ranges of EXPORT_PAGE_SIZE) and streamed as .xlsx with Chinese headers.
 * The first page is read before the answer starts, so a bad filter is a 400 and not a broken download.
 *
 *   @Get('export') export(@CurrentActor() a, @Query() q: ListQueryDto) { return listExport(q, (p, r) => this.list(a, p, r), SPEC); }
 */
export async function listExport<Row>(
  query: RawListQuery,
  read: ListPageReader<Row>,
  spec: ListExportSpec<Row>,
  pageSize = EXPORT_PAGE_SIZE,
): Promise<StreamableFile> {
  const page = (n: number) =>
    read({ sort: query.sort, filter: query.filter, range: JSON.stringify([n * pageSize, (n + 1) * pageSize - 1]), [DEEP_PAGES]: true }, noHeaders);
  const first = await page(0);
  async function* rows(): AsyncGenerator<ExportCell[]> {
    let rowsOfPage = first;
    let n = 0;
    for (let p = 1; ; p++) {
      for (const row of rowsOfPage) {
        n++;
        yield spec.fields.map((f) => f.cell(row, n));
      }
      if (rowsOfPage.length < pageSize) return;
      rowsOfPage = await page(p);
    }
  }
  return xlsxFile(`${spec.title}-${portalToday()}.xlsx`, spec.title, spec.fields, rows());
}

/** An instant as a person in Wenzhou reads it in a spreadsheet: 2026-11-30 09:05 (empty when there is none). */
export function exportDateTime(at: string | Date | null | undefined): string | null {
  if (at === null || at === undefined || at === '') return null;
  return portalDateTimeLocal(typeof at === 'string' ? new Date(at) : at).replace('T', ' ');
}
