import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { safeDisplayFilename } from '../http/file-names.js';

export interface ExportColumn {
  header: string;
  /** in characters; a default fits most Chinese headers */
  width?: number;
}

export type ExportCell = string | number | null | undefined;

/**
 * Text a spreadsheet program would take for a formula (or DDE) when the file is opened or saved as CSV:
 * = + - @ at the start, and tab or CR. Such cells get a leading apostrophe, shown as text everywhere.
 */
export function neutraliseCell(value: ExportCell): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * A workbook written as it streams out: one sheet with a bold header row of Chinese headers, then the rows as
 * they come (an async iterable lets a feature read its table page by page), each row committed so that the
 * writer does not keep them; waits for the reader when the response is slow. Personal data must be masked by
 * the caller before it gets here.
 */
export function xlsxStream(
  sheetTitle: string,
  columns: readonly ExportColumn[],
  rows: AsyncIterable<readonly ExportCell[]> | Iterable<readonly ExportCell[]>,
): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetTitle.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  void (async () => {
    for await (const row of rows) {
      sheet.addRow(row.map(neutraliseCell)).commit();
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
    await workbook.commit();
  })().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return out;
}

/** Content-Disposition for a download whose name may be Chinese (RFC 6266 / 5987), with an ASCII fallback. */
export function attachmentDisposition(fileName: string): string {
  const safe = safeDisplayFilename(fileName, 'export.xlsx');
  return `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(safe)}`;
}

/** What a controller returns for an .xlsx download (the file name may be Chinese). */
export function xlsxFile(
  fileName: string,
  sheetTitle: string,
  columns: readonly ExportColumn[],
  rows: AsyncIterable<readonly ExportCell[]> | Iterable<readonly ExportCell[]>,
): StreamableFile {
  return new StreamableFile(xlsxStream(sheetTitle, columns, rows), {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    disposition: attachmentDisposition(fileName.endsWith('.xlsx') ? fileName : `${fileName}.xlsx`),
  });
}
