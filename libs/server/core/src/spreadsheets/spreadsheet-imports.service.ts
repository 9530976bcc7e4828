import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ImportBadRow, ImportPreviewDto } from '@portal/contracts';
import ExcelJS from 'exceljs';
import { DataSource, type EntityManager } from 'typeorm';
import { FieldCipher } from '../crypto/field-cipher.js';
import { DomainException } from '../errors/domain-exception.js';
import { SettingsService } from '../settings/settings.service.js';
import { readSpreadsheet } from './spreadsheet-file.js';

export interface ImportColumn<K extends string> {
  key: K;
  /** the Chinese header of the template; a file's header matches it ignoring spaces, `*` and a note in brackets */
  header: string;
  required?: boolean;
  /** guidance for the column, kept in the template as its header cell's note (comment), never as a row */
  note?: string;
}

export interface ImportSpec<K extends string, Row> {
  /** what is imported, e.g. 'order-class-roster' */
  kind: string;
  /** the template's sheet title and file name, e.g. '订单班学生名单' */
  title: string;
  columns: readonly ImportColumn<K>[];
  /** one row's cells (trimmed, '' when empty) → its value, or the problems (Chinese) that make it a bad row */
  parse(cells: Record<K, string>, row: number): { value?: Row; problems: string[] };
  /** rows with the same key as an earlier row of the file are bad ("与第 N 行重复") */
  duplicateKey?(value: Row): string;
  /** the row as the preview shows it: personal data masked */
  display(cells: Record<K, string>): Record<K, string>;
}

/** Problems of good rows that clash with what is stored (a student already in the class …), by row number. */
export type ExistingCheck<Row> = (em: EntityManager, rows: readonly ImportedRow<Row>[]) => Promise<Map<number, string[]>>;

export interface ImportedRow<Row> {
  row: number;
  value: Row;
}

interface CheckedSheet<K extends string, Row> {
  total: number;
  good: ImportedRow<Row>[];
  /** problems by row number */
  bad: Map<number, string[]>;
  cells: Map<number, Record<K, string>>;
}

interface ImportRow {
  id: string;
  kind: string;
  scope: string;
  file_name: string;
  file_sealed: Buffer | null;
  total: number;
  good: number;
  bad: ImportBadRow[];
  status: 'previewed' | 'committed';
  imported: number | null;
  created_at: Date;
  expires_at: Date;
  expired: boolean;
}

const toDto = (r: ImportRow): ImportPreviewDto => ({
  id: r.id,
  kind: r.kind,
  fileName: r.file_name,
  total: r.total,
  good: r.good,
  bad: r.bad,
  status: r.status,
  imported: r.imported,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
});

const headerKey = (h: string): string =>
  h
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s*＊]/g, '')
    .toLowerCase();

/**
 * Imports from a spreadsheet in two steps, for every feature alike: `preview` reads and checks the file
 * (every row, duplicates within the file, clashes with stored data) and keeps it, encrypted, with the list of
 * bad rows (masked); `commit`, when the user asks, reads the kept file again and writes all its good rows in
 * one transaction — or nothing, when anything fails or the rows are no longer those previewed. A committed
 * import drops the file; an uncommitted one is dropped once it expires (setting imports.keepHours).
 */
@Injectable()
export class SpreadsheetImports {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: FieldCipher,
    private readonly settings: SettingsService,
  ) {}

  async maxFileBytes(): Promise<number> {
    return (await this.settings.get('imports.maxFileMegabytes')) * 1024 * 1024;
  }

  /** Every row checked on its own and against the rows above it. */
  private async read<K extends string, Row>(spec: ImportSpec<K, Row>, bytes: Buffer): Promise<CheckedSheet<K, Row>> {
    const [maxRows, maxUnpackedMegabytes] = await Promise.all([this.settings.get('imports.maxRows'), this.settings.get('imports.maxUnpackedMegabytes')]);
    const sheet = await readSpreadsheet(bytes, { maxRows, maxUnpackedBytes: maxUnpackedMegabytes * 1024 * 1024, maxEntries: 1000 });
    const index = new Map(sheet.headers.map((h, i) => [headerKey(h), i]));
    const missing = spec.columns.filter((c) => c.required && !index.has(headerKey(c.header))).map((c) => c.header);
    if (missing.length)
      throw DomainException.validation(`表头缺少必填列：${missing.join('、')}（请使用下载的模板）`, [
        { field: 'file', messages: missing.map((m) => `缺少列 ${m}`) },
      ]);
    const checked: CheckedSheet<K, Row> = { total: sheet.rows.length, good: [], bad: new Map(), cells: new Map() };
    const firstByKey = new Map<string, number>();
    for (const { row, cells: raw } of sheet.rows) {
      const cells = Object.fromEntries(spec.columns.map((c) => [c.key, raw[index.get(headerKey(c.header)) ?? -1] ?? ''])) as Record<K, string>;
      checked.cells.set(row, cells);
      const { value, problems } = spec.parse(cells, row);
      const key = value !== undefined && problems.length === 0 ? spec.duplicateKey?.(value) : undefined;
      if (key !== undefined) {
        const first = firstByKey.get(key);
        if (first !== undefined) problems.push(`与第 ${first} 行重复`);
        else firstByKey.set(key, row);
      }
      if (value !== undefined && problems.length === 0) checked.good.push({ row, value });
      else checked.bad.set(row, problems.length ? problems : ['数据不正确']);
    }
    return checked;
  }

  /** Good rows that clash with stored data join the bad ones; bad rows are listed in file order, masked. */
  private async settle<K extends string, Row>(
    em: EntityManager,
    checked: CheckedSheet<K, Row>,
    spec: ImportSpec<K, Row>,
    existing: ExistingCheck<Row> | undefined,
  ): Promise<{ good: ImportedRow<Row>[]; bad: ImportBadRow[] }> {
    const clashes = existing && checked.good.length ? await existing(em, checked.good) : new Map<number, string[]>();
    const bad = new Map(checked.bad);
    const good = checked.good.filter((g) => {
      const problems = clashes.get(g.row);
      if (problems?.length) bad.set(g.row, problems);
      return !problems?.length;
    });
    return {
      good,
      bad: [...bad.entries()].sort(([a], [b]) => a - b).map(([row, problems]) => ({ row, cells: spec.display(checked.cells.get(row)!), problems })),
    };
  }

  /** Read and check an uploaded file and keep it for `commit`; nothing of the feature's is written. */
  async preview<K extends string, Row>(
    spec: ImportSpec<K, Row>,
    scope: string,
    userId: number,
    file: { fileName: string; bytes: Buffer },
    existing?: ExistingCheck<Row>,
  ): Promise<ImportPreviewDto> {
    const checked = await this.read(spec, file.bytes);
    const { good, bad } = await this.settle(this.ds.manager, checked, spec, existing);
    const keepHours = await this.settings.get('imports.keepHours');
    await this.ds.query(`UPDATE spreadsheet_imports SET file_sealed = NULL WHERE status = 'previewed' AND expires_at < now() AND file_sealed IS NOT NULL`);
    const rows = await this.ds.query<ImportRow[]>(
      `INSERT INTO spreadsheet_imports (id, kind, scope, created_by, file_name, file_sha256, file_sealed, total, good, bad, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(hours => $11))
       RETURNING *, false AS expired`,
      [
        randomUUID(),
        spec.kind,
        scope,
        userId,
        file.fileName,
        createHash('sha256').update(file.bytes).digest(),
        this.cipher.seal(file.bytes),
        checked.total,
        good.length,
        JSON.stringify(bad),
        keepHours,
      ],
    );
    return toDto(rows[0]);
  }

  /** A preview of this scope (404 for another scope's, so ids of other classes or schools say nothing). */
  async get(id: string, scope: string, em: EntityManager = this.ds.manager, lock = false): Promise<ImportPreviewDto & { row: ImportRow }> {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw DomainException.notFound('导入记录');
    const rows = await em.query<ImportRow[]>(
      `SELECT *, expires_at < now() AS expired FROM spreadsheet_imports WHERE id = $1 AND scope = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [id, scope],
    );
    if (!rows[0]) throw DomainException.notFound('导入记录');
    return { ...toDto(rows[0]), row: rows[0] };
  }

  /**
   * Write the previewed file's good rows, all or nothing, in one transaction with `write`; refused when it was
   * committed already, has expired, or its rows changed since the preview (a student added meanwhile …).
   */
  async commit<K extends string, Row>(
    spec: ImportSpec<K, Row>,
    id: string,
    scope: string,
    userId: number,
    write: (em: EntityManager, rows: readonly ImportedRow<Row>[]) => Promise<void>,
    existing?: ExistingCheck<Row>,
  ): Promise<ImportPreviewDto> {
    return this.ds.transaction(async (em) => {
      const { row } = await this.get(id, scope, em, true);
      if (row.kind !== spec.kind) throw DomainException.notFound('导入记录');
      if (row.status === 'committed') throw DomainException.conflict(`这个文件已经导入（${row.imported ?? 0} 行），不能重复导入`);
      if (row.expired || !row.file_sealed) throw DomainException.conflict('预览已过期，请重新上传文件');
      const bytes = this.cipher.openBytes(row.file_sealed);
      const { good, bad } = await this.settle(em, await this.read(spec, bytes), spec, existing);
      if (good.length !== row.good || bad.length !== row.bad.length)
        throw DomainException.conflict(`数据已变化：预览时有 ${row.good} 行可导入，现在有 ${good.length} 行，请重新预览`);
      if (good.length === 0) throw DomainException.conflict('没有可导入的行');
      await write(em, good);
      // an UPDATE … RETURNING answers [rows, affected] through TypeORM's driver
      const [done] = await em.query<[ImportRow[], number]>(
        `UPDATE spreadsheet_imports SET status = 'committed', imported = $2, committed_by = $3, committed_at = now(), file_sealed = NULL
         WHERE id = $1 RETURNING *, false AS expired`,
        [id, good.length, userId],
      );
      return toDto(done[0]);
    });
  }

  /**
   * The template: the Chinese headers (required ones marked *) with the columns' notes (their guidance and examples)
   * on them, ID-like columns as text, and no rows: an example row left in would be imported as real data.
   */
  async template<K extends string, Row>(spec: ImportSpec<K, Row>): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(spec.title.slice(0, 31));
    sheet.columns = spec.columns.map((c) => ({
      header: c.required ? `${c.header}*` : c.header,
      width: Math.max(14, c.header.length * 2 + 4),
      style: { numFmt: '@' },
    }));
    sheet.getRow(1).font = { bold: true };
    spec.columns.forEach((c, i) => {
      if (c.note) sheet.getRow(1).getCell(i + 1).note = c.note;
    });
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
}
