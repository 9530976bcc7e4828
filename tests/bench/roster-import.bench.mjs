// A 10,000-row roster import (订单班学生名单) through the API as a school uses it — upload and preview (every row
// checked, duplicates within the file and the class, the file kept encrypted), then commit (the good rows sealed
// with FieldCipher and written in one transaction) — beside a plain server-side COPY of the same rows into a bare
// table, in one run; with the API process's peak RSS during each step.
// Run: `npm run build && node tests/bench/roster-import.bench.mjs [ROWS=10000]`.
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL in a temporary directory.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createApp } from '@portal/api';
import { addDays, idNumberCheckChar } from '@portal/contracts';
import { AppConfig } from '@portal/core';
import { DataSource } from 'typeorm';
import { scratchDatabase } from './scratch-database.mjs';

const ROWS = Number(process.argv[2] ?? 10_000);
const PASSWORD = 'Bench@2025';

/** ROWS distinct valid students (GB 11643 check character, gender from the 17th digit). */
function students(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const male = i % 2 === 0;
    const birth = addDays('2004-01-01', i % 1000).replace(/-/g, '');
    const k = Math.floor(i / 1000);
    const first17 = `330302${birth}${String(k % 100).padStart(2, '0')}${((Math.floor(i / 2) % 5) * 2 + (male ? 1 : 0)) % 10}`;
    out.push([
      `学生${[...String(i)].map((d) => '零一二三四五六七八九'[Number(d)]).join('')}`,
      first17 + idNumberCheckChar(first17),
      male ? '男' : '女',
      `139${String(10_000_000 + i).padStart(8, '0')}`,
    ]);
  }
  return out;
}

async function xlsxOf(rows) {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('学生名单');
  sheet.addRow(['姓名', '身份证号码', '性别', '手机号码']);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Run fn while sampling this process's RSS every 10 ms; answers its milliseconds and the peak RSS (MB). */
async function measured(fn) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, ms, peakMb: peak / 1024 / 1024 };
}

async function main() {
  const db = await scratchDatabase({ demoPassword: PASSWORD });
  const { url, dir } = db;
  const config = AppConfig.fromEnv({
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    DEMO_PASSWORD: PASSWORD,
    RATE_LIMIT_PER_MINUTE: '1000000',
    JOBS_ENABLED: 'false',
  });
  const app = await createApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}/api`;
  const ds = app.get(DataSource);
  const call = async (token, method, p, body) => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body instanceof FormData || !body ? {} : { 'Content-Type': 'application/json' }) },
      body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const login = async (username) => (await call('', 'POST', '/auth/login', { username, password: PASSWORD })).token;
  const [admin, school] = [await login('admin'), await login('school')];
  await call(admin, 'PUT', '/settings/orderClasses.maxStudents', { value: ROWS });
  await call(admin, 'PUT', '/settings/imports.maxFileMegabytes', { value: 50 });
  const [{ id: enterpriseId }] = await ds.query(`SELECT id FROM organisations WHERE kind = 'enterprise' ORDER BY id LIMIT 1`);
  const cls = await call(school, 'POST', '/order-classes', { name: '基准测试订单班', enterpriseId });

  const rows = students(ROWS);
  const file = await xlsxOf(rows);
  const form = () => {
    const f = new FormData();
    f.append('file', new Blob([file]), '学生名单.xlsx');
    return f;
  };
  // a warm-up on a second class (JIT, font of nothing, connection pool), not counted
  const warm = await call(school, 'POST', '/order-classes', { name: '预热订单班', enterpriseId });
  await call(school, 'POST', `/order-classes/${warm.id}/students/imports`, form());

  const preview = await measured(() => call(school, 'POST', `/order-classes/${cls.id}/students/imports`, form()));
  const commit = await measured(() => call(school, 'POST', `/order-classes/${cls.id}/students/imports/${preview.result.id}/commit`));
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM order_class_students WHERE order_class_id = $1`, [cls.id]);

  // the same rows by a plain server-side COPY from a CSV file into a bare table (no checks, no encryption)
  const csv = path.join(dir, 'roster.csv');
  writeFileSync(csv, `name,id_number,gender,phone\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  chmodSync(csv, 0o644);
  await ds.query(`CREATE TABLE bench_copy (name text, id_number text, gender text, phone text)`);
  const copy = await measured(() => ds.query(`COPY bench_copy FROM '${csv}' WITH (FORMAT csv, HEADER true)`));
  const [{ c }] = await ds.query(`SELECT count(*)::int AS c FROM bench_copy`);

  const f = (x) => x.toFixed(0);
  console.log(`roster import of ${ROWS} rows (.xlsx ${(file.length / 1024).toFixed(0)} KB), API in this process:`);
  console.log(
    `  preview (upload, parse, check, keep encrypted): ${f(preview.ms)} ms, good ${preview.result.good}, bad ${preview.result.bad.length}, peak RSS ${f(preview.peakMb)} MB`,
  );
  console.log(`  commit (re-read, re-check, seal, insert):        ${f(commit.ms)} ms, stored ${n}, peak RSS ${f(commit.peakMb)} MB`);
  console.log(`  plain COPY of the same rows (CSV, server-side):  ${f(copy.ms)} ms, stored ${c}`);
  console.log(
    `  ratios to COPY: preview ${(preview.ms / copy.ms).toFixed(1)}×, commit ${(commit.ms / copy.ms).toFixed(1)}×, preview + commit ${((preview.ms + commit.ms) / copy.ms).toFixed(1)}×`,
  );
  await app.close();
  await db.close();
}

await main();
