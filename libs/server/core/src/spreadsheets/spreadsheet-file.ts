import { inflateRawSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { addDays } from '@portal/contracts';
import ExcelJS from 'exceljs';
import { DomainException } from '../errors/domain-exception.js';

/** A sheet as text: the header row and every non-empty row after it, with its row number in the file. */
export interface SheetText {
  format: 'xlsx' | 'csv';
  headers: string[];
  rows: { row: number; cells: string[] }[];
}

export interface SpreadsheetLimits {
  /** rows after the header */
  maxRows: number;
  /** the sum of the xlsx parts once unpacked (against zip bombs) */
  maxUnpackedBytes: number;
  /** parts in the xlsx package */
  maxEntries: number;
}

const bad = (message: string): DomainException => DomainException.validation(message, [{ field: 'file', messages: [message] }]);

/**
 * Read an uploaded spreadsheet — .xlsx (the first sheet) or .csv (UTF-8, with or without BOM, or GB18030 as
 * Excel saves it on Chinese Windows) — into text cells, deciding the format from the bytes, never the name.
 * Refused with a 400 that says why, before anything is stored: an empty file, anything that is not a
 * spreadsheet (an .exe renamed .xlsx), an encrypted workbook or an old .xls, a package that unpacks beyond the
 * limits (a zip bomb), more rows than allowed.
 */
export async function readSpreadsheet(bytes: Buffer, limits: SpreadsheetLimits): Promise<SheetText> {
  if (bytes.length === 0) throw bad('文件是空的');
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
    throw bad('文件已加密或为旧版 Excel（.xls）格式：请在 Excel 中取消密码保护，另存为 .xlsx 后再上传');
  if (bytes.subarray(0, 2).toString('latin1') === 'PK') return readXlsx(bytes, limits);
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) throw bad(`文件不是电子表格（内容为 ${detected.ext} 格式）：请上传 .xlsx 或 .csv 文件`);
  const text = decodeText(bytes);
  if (text === undefined) throw bad('文件不是电子表格：请上传 .xlsx 或 .csv 文件');
  return readCsv(text, limits);
}

/** UTF-8 (BOM or not) when the bytes are valid UTF-8, else GB18030; undefined for binary content. */
function decodeText(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    try {
      text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
  }
  // text files have no control characters but tab, CR and LF
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return undefined;
  }
  return text;
}

/**
 * Walk the package's central directory and unpack every part with a bound on what it may produce, so that
 * what exceljs later unpacks is known to be small: sizes written in the headers are not believed.
 */
function checkZip(bytes: Buffer, limits: SpreadsheetLimits): void {
  const notXlsx = bad('文件不是有效的 .xlsx 电子表格（可能已损坏）');
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > bytes.length) throw notXlsx;
  const entries = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  if (entries > limits.maxEntries) throw bad(`文件包含的部件过多（${entries} 个），不像正常的电子表格`);
  let budget = limits.maxUnpackedBytes;
  let sawWorkbook = false;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) throw notXlsx;
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const compressed = bytes.readUInt32LE(at + 20);
    const nameLen = bytes.readUInt16LE(at + 28);
    const extraLen = bytes.readUInt16LE(at + 30);
    const commentLen = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    at += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x1) throw bad('文件已加密：请取消密码保护后再上传');
    if (name === 'xl/workbook.xml') sawWorkbook = true;
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50) throw notXlsx;
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(dataStart, dataStart + compressed);
    let size: number;
    if (method === 0) size = data.length;
    else if (method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: Math.max(1, budget) }).length;
      } catch (e) {
        if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw bad(`文件解压后超过 ${Math.round(limits.maxUnpackedBytes / 1024 / 1024)} MB，不像正常的电子表格（疑似压缩炸弹）`);
        throw notXlsx;
      }
    } else throw notXlsx;
    budget -= size;
    if (budget < 0) throw bad(`文件解压后超过 ${Math.round(limits.maxUnpackedBytes / 1024 / 1024)} MB，不像正常的电子表格（疑似压缩炸弹）`);
  }
  if (!sawWorkbook) throw bad('文件不是 .xlsx 电子表格（是其他压缩包或 Office 文档）');
}

/** A cell as the user typed it: text of numbers, dates as YYYY-MM-DD, results of formulas, text of rich text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // exceljs gives a date cell as the instant of its serial day at 00:00 UTC: count the days, no clock involved
    return addDays('1970-01-01', Math.floor(value.getTime() / 86_400_000));
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

function sheetToText(sheet: ExcelJS.Worksheet | undefined, format: SheetText['format'], limits: SpreadsheetLimits): SheetText {
  const rows: SheetText['rows'] = [];
  let headers: string[] | undefined;
  sheet?.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[]; // 1-based: values[0] is empty
    const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1]).trim());
    if (cells.every((c) => c === '')) return;
    if (!headers) {
      headers = cells;
      return;
    }
    rows.push({ row: rowNumber, cells });
  });
  if (!headers) throw bad('文件中没有数据：第一行应为表头，其后每行一条记录');
  if (rows.length > limits.maxRows) throw bad(`文件有 ${rows.length} 行数据，超过每次最多 ${limits.maxRows} 行：请分批导入`);
  return { format, headers, rows };
}

async function readXlsx(bytes: Buffer, limits: SpreadsheetLimits): Promise<SheetText> {
  checkZip(bytes, limits);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw bad('文件不是有效的 .xlsx 电子表格（可能已损坏）');
  }
  return sheetToText(workbook.worksheets[0], 'xlsx', limits);
}

async function readCsv(text: string, limits: SpreadsheetLimits): Promise<SheetText> {
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet;
  try {
    // map keeps every value as the text typed (an 18-digit ID number must not become a number)
    sheet = await workbook.csv.read(Readable.from([text.replace(/^\ufeff/, '')]), { map: (v: unknown) => v });
  } catch {
    throw bad('CSV 文件格式不正确');
  }
  return sheetToText(sheet, 'csv', limits);
}
