import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
// @ts-expect-error: the global teardown is plain JavaScript (jest runs it before TypeScript is set up)
import { personalDataLeaks } from '../setup/global-teardown.mjs';
import { makeIdNumber, makePhone } from '../support/id-numbers.js';

/**
 * The suite's own check (issue 10: "no full ID number or phone in any API response, export file or log line of the
 * whole suite"): the global teardown's search finds a planted full value in each kind of record the test apps keep —
 * an answer, a downloaded workbook, a log line — and lets the owning school's reveal and masked values be.
 */
describe('the suite-wide personal data search', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'portal-audit-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a full ID number or a student phone in answers, downloads and log lines, and nothing else', async () => {
    const id = makeIdNumber();
    const phone = makePhone(4242);
    const masked = `${id.slice(0, 6)}********${id.slice(-4)}`;
    writeFileSync(
      path.join(dir, '1.log'),
      [
        `\u0000GET /api/order-classes/1/students\n[{"idNumberMasked":"${masked}","phone":"${phone}"}]\n`,
        `\u0000POST /api/order-classes/1/students/7/reveal\n{"idNumber":"${id}"}\n`,
        `\u0000GET /api/teachers\n[{"note":"${id}"}]\n`,
      ].join(''),
    );
    const book = new ExcelJS.Workbook();
    book.addWorksheet('名单').addRow(['张三', id]);
    writeFileSync(
      path.join(dir, '1-1.download'),
      Buffer.concat([Buffer.from('GET /api/order-classes/1/students/export\n'), Buffer.from(await book.xlsx.writeBuffer())]),
    );
    writeFileSync(path.join(dir, '1-2.jsonl'), `{"level":30,"req":{"url":"/api/order-classes?q=${masked}"}}\n{"level":40,"msg":"call ${phone}"}\n`);

    const leaks = (await personalDataLeaks(dir)) as string[];
    const shown = (v: string) => `${v.slice(0, 6)}…${v.slice(-4)}`;
    expect(leaks.sort()).toEqual(
      [
        `GET /api/order-classes/1/students: ${shown(phone)}`,
        `GET /api/teachers: ${shown(id)}`,
        `GET /api/order-classes/1/students/export (file): ${shown(id)}`,
        `log 1-2.jsonl:2: ${shown(phone)}`,
      ].sort(),
    );
  });
});
