import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { idNumberProblem } from '@portal/contracts';
import { cleanupDir } from './global-setup.mjs';

/** A full 居民身份证号码 (valid check character and birth date), not part of a longer run of letters or digits. */
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])/g;
/**
 * A mainland mobile number, not part of a longer run of letters or digits; searched for in the answers about students
 * (staff contacts are another rule). The letters matter: every refusal carries a random request id (a UUID), and its
 * last group of twelve hex digits is now and then a letter and eleven digits that begin 13-19, which a digits-only
 * boundary took for a phone number and failed the run.
 */
const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;
const STUDENTS = /^\/api\/order-classes(\/|\?|$)/;
/** The one place a full value may be answered: the owning school's explicit, audited reveal. */
const REVEAL = /\/reveal(\?|$)/;

/** The text of a downloaded file: every cell of a workbook, the text of a PDF (when poppler's pdftotext is there). */
async function downloadText(bytes) {
  if (bytes.subarray(0, 2).toString('latin1') === 'PK') {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes);
    const cells = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text ?? '')))));
    return cells.join('\n');
  }
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    const out = spawnSync('pdftotext', ['-', '-'], { input: bytes, maxBuffer: 64 * 1024 * 1024 });
    return out.status === 0 ? out.stdout.toString('utf8') : '';
  }
  return bytes.toString('utf8');
}

/** Every full ID number (valid) and, where `phones`, every mobile number in `text`, named by `where` (masked). */
function found(where, text, phones) {
  const ids = [...text.matchAll(ID_NUMBER)].map((m) => m[0]).filter((v) => idNumberProblem(v) === undefined);
  const mobiles = phones ? [...text.matchAll(MOBILE)].map((m) => m[0]) : [];
  return [...ids, ...mobiles].map((v) => `${where}: ${v.slice(0, 6)}…${v.slice(-4)}`);
}

/**
 * Issue 10: no full ID number in any API response, downloaded file (exports, PDFs) or log line of the whole suite,
 * and no student's phone in any answer or download about order classes and their rosters, nor in any log line. Every
 * test app appended what it sent and logged (libs/server/testing: auditResponses, auditedLog); search it all, and
 * fail the run naming each leak (masked).
 */
export async function personalDataLeaks(dir) {
  const leaks = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name.endsWith('.download')) {
      const bytes = readFileSync(file);
      const nl = bytes.indexOf(0x0a);
      const request = bytes.subarray(0, nl).toString('utf8');
      const url = request.split(' ')[1] ?? '';
      if (REVEAL.test(url)) continue;
      leaks.push(...found(`${request} (file)`, await downloadText(bytes.subarray(nl + 1)), STUDENTS.test(url)));
    } else if (name.endsWith('.jsonl')) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => leaks.push(...found(`log ${name}:${i + 1}`, line, true)));
    } else {
      for (const entry of readFileSync(file, 'utf8').split('\u0000')) {
        const nl = entry.indexOf('\n');
        if (nl < 0) continue;
        const request = entry.slice(0, nl);
        const url = request.split(' ')[1] ?? '';
        if (REVEAL.test(url)) continue;
        leaks.push(...found(request, entry.slice(nl + 1), STUDENTS.test(url)));
      }
    }
  }
  return leaks;
}

export default async function globalTeardown() {
  const state = globalThis.__PORTAL_TEST_STATE__;
  if (!state) return;
  const leaks = state.auditDir ? await personalDataLeaks(state.auditDir) : [];
  if (state.auditDir) rmSync(state.auditDir, { recursive: true, force: true });
  if (state.pg) {
    await state.pg.stop();
    cleanupDir(state.pgDir);
  } else {
    // an external server: drop the template and every database the files cloned from it
    const client = new pg.Client({ connectionString: state.clusterUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [state.template, `${state.template}_f%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.end();
  }
  if (state.redisPid) {
    try {
      process.kill(state.redisPid);
    } catch {}
  }
  if (leaks.length) {
    const shown = leaks.slice(0, 20).join('\n  ');
    throw new Error(
      `personal data in ${leaks.length} API response(s), download(s) or log line(s) of the suite (only /reveal may answer it in full):\n  ${shown}`,
    );
  }
}
