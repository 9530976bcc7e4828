import { settingDefaults } from '@portal/contracts';
import { FieldCipher, SettingsService, SpreadsheetImports, xlsxStream, type ImportSpec } from '@portal/core';
import { startTestApp, type TestApp } from '@portal/testing';
import { csvOf, ENCRYPTED_XLSX_BYTES, EXE_BYTES, headerNotes, readXlsx, xlsxOf, zipBomb } from '../support/spreadsheets.js';

/**
 * The shared two-step import (preview → commit) and the streamed export, on a small spec of their own:
 * every feature's import (rosters, past practice records) goes through this code.
 */
let t: TestApp;
let imports: SpreadsheetImports;
let userId: number;

type Key = 'name' | 'code' | 'score';
interface Row {
  name: string;
  code: string;
  score: number;
}
const spec: ImportSpec<Key, Row> = {
  kind: 'test-scores',
  title: '测试成绩',
  columns: [
    { key: 'name', header: '姓名', required: true, note: '例如：张三' },
    { key: 'code', header: '编号', required: true, note: '例如：A001' },
    { key: 'score', header: '分数', note: '例如：90' },
  ],
  parse(cells) {
    const problems: string[] = [];
    if (!cells.name) problems.push('姓名不能为空');
    if (!/^[A-Z]\d{3}$/.test(cells.code)) problems.push('编号应为一个大写字母加三位数字');
    const score = cells.score === '' ? 0 : Number(cells.score);
    if (!Number.isInteger(score) || score < 0 || score > 100) problems.push('分数应为 0 到 100 的整数');
    return problems.length ? { problems } : { value: { name: cells.name, code: cells.code, score }, problems };
  },
  duplicateKey: (r) => r.code,
  display: (cells) => ({ ...cells, name: cells.name ? `${cells.name.slice(0, 1)}**` : '' }),
};

beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  imports = t.app.get(SpreadsheetImports);
  [{ id: userId }] = await t.ds.query<Array<{ id: number }>>(`SELECT id FROM users WHERE username = 'admin'`);
  await t.ds.query(`CREATE TABLE IF NOT EXISTS test_scores (code text PRIMARY KEY, name text NOT NULL, score int NOT NULL)`);
});
afterAll(async () => {
  await t.ds.query(`DROP TABLE IF EXISTS test_scores`);
  await t.close();
});

const clash = async (em: { query: (sql: string, p: unknown[]) => Promise<unknown> }, rows: readonly { row: number; value: Row }[]) => {
  const stored = (await em.query(`SELECT code FROM test_scores WHERE code = ANY($1)`, [rows.map((r) => r.value.code)])) as Array<{ code: string }>;
  const taken = new Set(stored.map((s) => s.code));
  return new Map(rows.filter((r) => taken.has(r.value.code)).map((r) => [r.row, [`编号 ${r.value.code} 已存在`]]));
};
const write = async (em: { query: (sql: string, p: unknown[]) => Promise<unknown> }, rows: readonly { value: Row }[]) => {
  await em.query(`INSERT INTO test_scores (code, name, score) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])`, [
    rows.map((r) => r.value.code),
    rows.map((r) => r.value.name),
    rows.map((r) => r.value.score),
  ]);
};
const scope = () => `test:${Math.random().toString(36).slice(2)}`;
const stored = async () => Number((await t.ds.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM test_scores`))[0].n);

describe('preview', () => {
  it('lists exactly the bad rows with their reasons, masked, in file order; headers match in any order, with * and notes', async () => {
    const file = await xlsxOf([
      ['分数', '编号（必填）', ' 姓名* '],
      [90, 'A001', '张三'],
      [101, 'A002', '李四'],
      ['', 'a3', ''],
      [80, 'A001', '王五'],
      [70, 'A004', '赵六'],
    ]);
    const p = await imports.preview(spec, scope(), userId, { fileName: '成绩.xlsx', bytes: file }, clash);
    expect(p).toMatchObject({ kind: 'test-scores', fileName: '成绩.xlsx', total: 5, good: 2, status: 'previewed', imported: null });
    expect(p.bad).toEqual([
      { row: 3, cells: { name: '李**', code: 'A002', score: '101' }, problems: ['分数应为 0 到 100 的整数'] },
      { row: 4, cells: { name: '', code: 'a3', score: '' }, problems: ['姓名不能为空', '编号应为一个大写字母加三位数字'] },
      { row: 5, cells: { name: '王**', code: 'A001', score: '80' }, problems: ['与第 2 行重复'] },
    ]);
  });

  it('reads CSV in UTF-8 (with or without BOM) and in GB18030, keeping long numbers as typed', async () => {
    const rows = [
      ['姓名', '编号', '分数'],
      ['张三', 'A101', '88'],
      ['330302199003070028', 'A102', '1'],
    ];
    for (const bytes of [csvOf(rows), csvOf(rows, false), gb18030(rows)]) {
      const p = await imports.preview(spec, scope(), userId, { fileName: 'a.csv', bytes });
      expect(p).toMatchObject({ total: 2, good: 2, bad: [] });
    }
    const s = scope();
    const p = await imports.preview(spec, s, userId, { fileName: 'a.csv', bytes: gb18030(rows) });
    await imports.commit(spec, p.id, s, userId, write);
    expect((await t.ds.query(`SELECT name FROM test_scores WHERE code = 'A102'`))[0].name).toBe('330302199003070028');
    expect((await t.ds.query(`SELECT name FROM test_scores WHERE code = 'A101'`))[0].name).toBe('张三');
  });

  it.each([
    ['an empty file', Buffer.alloc(0), '文件是空的'],
    ['an .exe renamed .xlsx', EXE_BYTES, '文件不是电子表格（内容为 exe 格式）'],
    ['a PDF', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 32)]), '文件不是电子表格（内容为 pdf 格式）'],
    ['an encrypted workbook', ENCRYPTED_XLSX_BYTES, '文件已加密或为旧版 Excel（.xls）格式'],
    ['binary noise', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10]), '文件不是电子表格'],
    ['a truncated xlsx', Buffer.from('PK\u0003\u0004garbage'), '文件不是有效的 .xlsx 电子表格'],
    [
      'a header without a required column',
      csvOf([
        ['姓名', '分数'],
        ['张三', '1'],
      ]),
      '表头缺少必填列：编号',
    ],
    ['a header only', csvOf([['姓名', '编号']]), undefined],
  ])('refuses %s with a 400 that says why, and keeps nothing', async (_what, bytes, message) => {
    const before = Number((await t.ds.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM spreadsheet_imports`))[0].n);
    if (message === undefined) {
      const p = await imports.preview(spec, scope(), userId, { fileName: 'x.csv', bytes });
      expect(p).toMatchObject({ total: 0, good: 0, bad: [] });
      return;
    }
    const err = (await imports.preview(spec, scope(), userId, { fileName: 'x.xlsx', bytes }).catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain(message);
    expect(Number((await t.ds.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM spreadsheet_imports`))[0].n)).toBe(before);
  });

  it('refuses a zip bomb without unpacking it whole (sizes in its headers are not believed)', async () => {
    const bomb = await zipBomb(300);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const heapBefore = process.memoryUsage().rss;
    const err = (await imports.preview(spec, scope(), userId, { fileName: 'bomb.xlsx', bytes: bomb }).catch((e: unknown) => e)) as { message: string };
    expect(err.message).toContain('疑似压缩炸弹');
    // the limit (200 MB by default) bounds what was unpacked; 300 MB were never held
    expect(process.memoryUsage().rss - heapBefore).toBeLessThan(280 * 1024 * 1024);
  });

  it('refuses more rows than imports.maxRows', async () => {
    // through the service, which clears this process's settings cache (a row written behind its back would
    // show only after the cache's two seconds)
    const settings = t.app.get(SettingsService);
    await settings.set('imports.maxRows', 10, userId);
    try {
      const rows = [['姓名', '编号'], ...Array.from({ length: 11 }, (_, i) => ['张三', `B${String(i).padStart(3, '0')}`])];
      await expect(imports.preview(spec, scope(), userId, { fileName: 'x.csv', bytes: csvOf(rows) })).rejects.toThrow('超过每次最多 10 行');
    } finally {
      await settings.set('imports.maxRows', settingDefaults()['imports.maxRows'], userId);
    }
  });

  it('keeps the file encrypted: its bytes are nowhere in the table', async () => {
    const bytes = csvOf([
      ['姓名', '编号'],
      ['独一无二的名字', 'C001'],
    ]);
    const p = await imports.preview(spec, scope(), userId, { fileName: 'x.csv', bytes });
    const [row] = await t.ds.query<Array<{ file_sealed: Buffer; bad: unknown }>>(`SELECT file_sealed, bad FROM spreadsheet_imports WHERE id = $1`, [p.id]);
    expect(row.file_sealed.includes(Buffer.from('独一无二的名字'))).toBe(false);
    expect(t.app.get(FieldCipher).openBytes(row.file_sealed).equals(bytes)).toBe(true);
  });
});

describe('commit', () => {
  it('writes the good rows only, all at once, once; then drops the file', async () => {
    const s = scope();
    const before = await stored();
    const p = await imports.preview(spec, s, userId, {
      fileName: 'x.csv',
      bytes: csvOf([
        ['姓名', '编号', '分数'],
        ['甲', 'D001', '1'],
        ['乙', 'bad', '1'],
        ['丙', 'D002', '2'],
      ]),
    });
    expect(p).toMatchObject({ good: 2, bad: [{ row: 3 }] });
    expect(await stored()).toBe(before);
    const done = await imports.commit(spec, p.id, s, userId, write, clash);
    expect(done).toMatchObject({ status: 'committed', imported: 2 });
    expect(await stored()).toBe(before + 2);
    await expect(imports.commit(spec, p.id, s, userId, write, clash)).rejects.toThrow('这个文件已经导入（2 行），不能重复导入');
    const [row] = await t.ds.query<Array<{ file_sealed: Buffer | null }>>(`SELECT file_sealed FROM spreadsheet_imports WHERE id = $1`, [p.id]);
    expect(row.file_sealed).toBeNull();
  });

  it('writes nothing when the write fails half-way (all or nothing)', async () => {
    const s = scope();
    const before = await stored();
    const p = await imports.preview(spec, s, userId, {
      fileName: 'x.csv',
      bytes: csvOf([
        ['姓名', '编号'],
        ['甲', 'E001'],
        ['乙', 'E002'],
      ]),
    });
    const failing = async (em: Parameters<typeof write>[0], rows: readonly { value: Row }[]) => {
      await write(em, rows.slice(0, 1));
      throw new Error('disk full');
    };
    await expect(imports.commit(spec, p.id, s, userId, failing, clash)).rejects.toThrow('disk full');
    expect(await stored()).toBe(before);
    // the preview is still there to commit
    expect(await imports.commit(spec, p.id, s, userId, write, clash)).toMatchObject({ imported: 2 });
  });

  it('refuses when the rows changed since the preview, and for another scope or an expired preview', async () => {
    const s = scope();
    const p = await imports.preview(
      spec,
      s,
      userId,
      {
        fileName: 'x.csv',
        bytes: csvOf([
          ['姓名', '编号'],
          ['甲', 'F001'],
          ['乙', 'F002'],
        ]),
      },
      clash,
    );
    await t.ds.query(`INSERT INTO test_scores (code, name, score) VALUES ('F002', '别人', 0)`);
    await expect(imports.commit(spec, p.id, s, userId, write, clash)).rejects.toThrow('数据已变化：预览时有 2 行可导入，现在有 1 行，请重新预览');
    await expect(imports.commit(spec, p.id, scope(), userId, write, clash)).rejects.toThrow('导入记录');
    await expect(imports.get('not-a-uuid', s)).rejects.toThrow('导入记录');
    const q = await imports.preview(spec, s, userId, {
      fileName: 'x.csv',
      bytes: csvOf([
        ['姓名', '编号'],
        ['甲', 'G001'],
      ]),
    });
    await t.ds.query(`UPDATE spreadsheet_imports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [q.id]);
    await expect(imports.commit(spec, q.id, s, userId, write, clash)).rejects.toThrow('预览已过期，请重新上传文件');
  });

  it('two commits of one preview at once: one imports, the other is told it was imported', async () => {
    const s = scope();
    const before = await stored();
    const p = await imports.preview(
      spec,
      s,
      userId,
      {
        fileName: 'x.csv',
        bytes: csvOf([
          ['姓名', '编号'],
          ['甲', 'H001'],
          ['乙', 'H002'],
        ]),
      },
      clash,
    );
    const results = await Promise.allSettled([imports.commit(spec, p.id, s, userId, write, clash), imports.commit(spec, p.id, s, userId, write, clash)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await stored()).toBe(before + 2);
  });
});

describe('template and export', () => {
  it('the template has the Chinese headers (required marked *), their guidance as notes, and no row to import by mistake', async () => {
    const bytes = await imports.template(spec);
    expect(await readXlsx(bytes)).toEqual([['姓名*', '编号*', '分数']]);
    expect(await headerNotes(bytes)).toEqual(['例如：张三', '例如：A001', '例如：90']);
  });

  it('the streamed export neutralises formula-like cells and keeps numbers as numbers', async () => {
    // an async source, as a feature reading its table page by page gives
    async function* rows() {
      await Promise.resolve();
      yield ['=HYPERLINK("http://evil","x")', 1];
      yield ['+86 138', -5];
      yield ['-1', null];
      yield ['@SUM(A1)', 2.5];
      yield ['\tTAB', 3];
      yield ['普通文字', 4];
    }
    const stream = xlsxStream('导出', [{ header: '内容' }, { header: '数' }], rows());
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(await readXlsx(Buffer.concat(chunks))).toEqual([
      ['内容', '数'],
      [`'=HYPERLINK("http://evil","x")`, '1'],
      [`'+86 138`, '-5'],
      [`'-1`],
      [`'@SUM(A1)`, '2.5'],
      [`'\tTAB`, '3'],
      ['普通文字', '4'],
    ]);
  });
});

function gb18030(rows: readonly (readonly string[])[]): Buffer {
  // Node decodes GB18030 but does not encode it: the few characters used here, by their GBK codes
  const codes: Record<string, number[]> = {
    姓: [0xd0, 0xd5],
    名: [0xc3, 0xfb],
    编: [0xb1, 0xe0],
    号: [0xba, 0xc5],
    分: [0xb7, 0xd6],
    数: [0xca, 0xfd],
    张: [0xd5, 0xc5],
    三: [0xc8, 0xfd],
  };
  const out: number[] = [];
  for (const ch of rows.map((r) => r.join(',')).join('\r\n') + '\r\n') out.push(...(codes[ch] ?? [ch.charCodeAt(0)]));
  return Buffer.from(out);
}
