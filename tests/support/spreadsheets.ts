import { once } from 'node:events';
import { createDeflateRaw } from 'node:zlib';
import ExcelJS from 'exceljs';

/** An .xlsx whose first sheet holds these rows (the first one the header), every cell as text. */
export async function xlsxOf(rows: readonly (readonly (string | number)[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  for (const r of rows) sheet.addRow([...r]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A CSV of these rows, quoted where needed, with a UTF-8 BOM as Excel writes it. */
export function csvOf(rows: readonly (readonly string[])[], bom = true): Buffer {
  const q = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from(`${bom ? '\ufeff' : ''}${rows.map((r) => r.map(q).join(',')).join('\r\n')}\r\n`, 'utf8');
}

/** The notes (comments) on the header cells of an .xlsx's first sheet, column by column (a template's guidance). */
export async function headerNotes(bytes: Buffer): Promise<unknown[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const header = workbook.worksheets[0].getRow(1);
  return Array.from({ length: header.cellCount }, (_, i) => header.getCell(i + 1).note);
}

/** Every row of an .xlsx's first sheet as text cells (for reading exports back). */
export async function readXlsx(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0].eachRow((row) =>
    rows.push(
      (row.values as unknown[])
        .slice(1)
        .map((v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number))),
    ),
  );
  return rows;
}

/**
 * A zip bomb dressed as an .xlsx: a workbook part that unpacks to `megabytes` of zeros from a few hundred KB,
 * written chunk by chunk so the test never holds the unpacked bytes.
 */
export async function zipBomb(megabytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++) if (!deflate.write(zeros)) await once(deflate, 'drain');
  deflate.end();
  await once(deflate, 'end');
  const data = Buffer.concat(chunks);
  const size = megabytes * 1024 * 1024;
  const entries: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, body, method, unpacked] of [
    ['[Content_Types].xml', Buffer.from('<Types/>'), 0, 8],
    ['xl/workbook.xml', data, 8, size],
  ] as const) {
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(unpacked >>> 0, 22);
    local.writeUInt16LE(n.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt32LE(body.length, 20);
    // the header claims a small size: the reader must not believe it
    dir.writeUInt32LE(Math.min(unpacked, 1000), 24);
    dir.writeUInt16LE(n.length, 28);
    dir.writeUInt32LE(offset, 42);
    entries.push(local, n, body);
    central.push(dir, n);
    offset += local.length + n.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(2, 8);
  end.writeUInt16LE(2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...entries, cd, end]);
}

/** The first bytes of a Windows executable, named .xlsx by whoever sends it. */
export const EXE_BYTES = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(58),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(64),
  Buffer.from('PE\0\0'),
  Buffer.alloc(400, 1),
]);

/** A password-protected Office file: an OLE compound document (what Excel writes when a workbook is encrypted). */
export const ENCRYPTED_XLSX_BYTES = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
