import { addDays, maskIdNumber, maskPhone, portalToday } from '@portal/contracts';
import { startTestApp, type TestApp } from '@portal/testing';
import ExcelJS from 'exceljs';
import { impossibleBirthIdNumber, makeIdNumber, makePhone, manyIdNumbers, studentName, withWrongCheckChar } from '../support/id-numbers.js';
import { bytesOf } from '../support/http.js';
import { classAct, draftClass } from '../support/order-classes.js';
import { csvOf, ENCRYPTED_XLSX_BYTES, EXE_BYTES, readXlsx, xlsxOf, zipBomb } from '../support/spreadsheets.js';

/**
 * The roster import (issue 10): a 2,000-row file with 5% bad rows (wrong check character, impossible birth date,
 * duplicate, gender mismatch, empty name) → the preview lists exactly the bad rows; the commit imports the good
 * ones, all or nothing; files that are no spreadsheet, zip bombs, empty or encrypted files are refused and write
 * nothing; the template and the roster export carry Chinese headers and masked personal data.
 */

let t: TestApp;
let school: string;
beforeAll(async () => {
  t = await startTestApp();
  school = `Bearer ${await t.token('school')}`;
});
afterAll(() => t.close());

const HEADER = ['姓名', '身份证号码', '性别', '手机号码'];
const students = async (classId: number) =>
  Number((await t.ds.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM order_class_students WHERE order_class_id = $1`, [classId]))[0].n);
const upload = (classId: number, bytes: Buffer, name: string) =>
  t.http().post(`/api/order-classes/${classId}/students/imports`).set('Authorization', school).attach('file', bytes, name);

/** 2,000 data rows; every 20th row (from the 10th) bad in one of five ways; answers the file's rows and the bad row numbers with their reason. */
function rosterRows(): { rows: string[][]; bad: Map<number, string> } {
  const ids = manyIdNumbers(2000);
  const rows: string[][] = [HEADER];
  const bad = new Map<number, string>();
  for (let i = 0; i < 2000; i++) {
    const rowNumber = i + 2; // the header is row 1
    const { idNumber, gender } = ids[i];
    let cells = [studentName(i), idNumber, gender === 'male' ? '男' : '女', makePhone(i)];
    if (i % 20 === 10) {
      const kind = Math.floor(i / 20) % 5;
      if (kind === 0) {
        cells = [cells[0], withWrongCheckChar(idNumber), cells[2], cells[3]];
        bad.set(rowNumber, '身份证号码校验位不正确');
      } else if (kind === 1) {
        cells = [cells[0], impossibleBirthIdNumber(i), '男', cells[3]];
        bad.set(rowNumber, '身份证号码中的出生日期不存在或晚于今天');
      } else if (kind === 2) {
        // the same person as the row above it
        cells = [studentName(i, '重复'), ids[i - 1].idNumber, ids[i - 1].gender === 'male' ? '男' : '女', cells[3]];
        bad.set(rowNumber, `与第 ${rowNumber - 1} 行重复`);
      } else if (kind === 3) {
        cells = [cells[0], idNumber, gender === 'male' ? '女' : '男', cells[3]];
        bad.set(rowNumber, '性别与身份证号码不一致');
      } else {
        cells = ['', idNumber, cells[2], cells[3]];
        bad.set(rowNumber, '姓名不能为空');
      }
    }
    rows.push(cells);
  }
  return { rows, bad };
}

it('previews a 2,000-row file listing exactly its 100 bad rows with their reasons, masked; commits the 1,900 good rows', async () => {
  const c = await draftClass(t, { name: '名单导入测试班' });
  const { rows, bad } = rosterRows();
  // a roster this long is past the default cap (orderClasses.maxStudents): the admin raises it, as policy allows
  const admin = `Bearer ${await t.token('admin')}`;
  expect((await t.http().put('/api/settings/orderClasses.maxStudents').set('Authorization', admin).send({ value: 2000 })).status).toBe(200);
  expect(bad.size).toBe(100);
  // the template first: Chinese headers (the guidance in their notes, no example row: see the test below)
  const template = await bytesOf(t.http().get(`/api/order-classes/${c.id}/students/imports/template`).set('Authorization', school));
  expect(template.status).toBe(200);
  expect((await readXlsx(template.body as Buffer))[0]).toEqual(['姓名*', '身份证号码*', '性别*', '手机号码']);

  const res = await upload(c.id, await xlsxOf(rows), '名单.xlsx');
  expect(res.status).toBe(201);
  const preview = res.body;
  expect(preview).toMatchObject({ kind: 'order-class-roster', total: 2000, good: 1900, status: 'previewed' });
  expect(preview.bad.map((b: { row: number }) => b.row)).toEqual([...bad.keys()]);
  for (const b of preview.bad as Array<{ row: number; cells: Record<string, string>; problems: string[] }>) {
    expect([b.row, b.problems]).toEqual([b.row, [bad.get(b.row)]]);
    // the preview never shows an ID number or phone in clear
    expect(b.cells.idNumber).toMatch(/^(\d{6}\*+[\dX]{4}|)$/);
    expect(b.cells.phone).toMatch(/^\d{3}\*+\d{4}$/);
  }
  expect(JSON.stringify(preview)).not.toMatch(/\d{17}[\dX]/);
  // nothing written by the preview
  expect(await students(c.id)).toBe(0);

  // commit: the good rows, in one go
  const done = await t.http().post(`/api/order-classes/${c.id}/students/imports/${preview.id}/commit`).set('Authorization', school);
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ status: 'committed', imported: 1900 });
  expect(await students(c.id)).toBe(1900);
  // twice is refused
  expect((await t.http().post(`/api/order-classes/${c.id}/students/imports/${preview.id}/commit`).set('Authorization', school)).status).toBe(409);
  // stored sealed: no clear ID number in the table
  const [raw] = await t.ds.query(`SELECT id_sealed::text AS sealed, id_masked FROM order_class_students WHERE order_class_id = $1 ORDER BY id LIMIT 1`, [c.id]);
  expect(raw.sealed).not.toContain(rows[1][1]);
  expect(raw.id_masked).toBe(maskIdNumber(rows[1][1]));

  // a second file with students the class already holds: those rows are bad ("already in the class")
  const again = await upload(c.id, csvOf([HEADER, rows[1], ['新同学', makeIdNumber({ seq: 4000, birth: '2006-06-06' }), '男', '']]), '补充.csv');
  expect(again.body).toMatchObject({ total: 2, good: 1, bad: [{ row: 2, problems: ['该学生已在本班名单中'] }] });

  // the roster exports masked, with Chinese headers
  const exported = await bytesOf(t.http().get(`/api/order-classes/${c.id}/students/export`).set('Authorization', school));
  expect(exported.status).toBe(200);
  expect(exported.headers['content-disposition']).toContain("filename*=UTF-8''");
  const sheet = await readXlsx(exported.body as Buffer);
  expect(sheet[0]).toEqual(['序号', '姓名', '性别', '出生年份', '身份证号码（脱敏）', '手机号码（脱敏）', '加入日期', '退出日期', '是否结业', '去向']);
  expect(sheet).toHaveLength(1901);
  const text = JSON.stringify(sheet);
  expect(text).not.toMatch(/\d{17}[\dX]/);
  expect(text).not.toMatch(/1\d{10}/);
  // the masked number hides exactly the 8 digits of the birth date: neither the export nor the list gives them back
  // beside it (the year only), or the whole number could be read off the row
  const byMasked = new Map<string, string>();
  for (const r of rows.slice(1)) byMasked.set(maskIdNumber(r[1]), byMasked.has(maskIdNumber(r[1])) && byMasked.get(maskIdNumber(r[1])) !== r[1] ? '' : r[1]);
  for (const row of sheet.slice(1, 200)) {
    const id = byMasked.get(String(row[4]));
    expect(id).toBeDefined();
    if (id) expect(String(row[3])).toBe(id.slice(6, 10));
  }
  const page = await t.http().get(`/api/order-classes/${c.id}/students`).query({ range: '[0,199]' }).set('Authorization', school);
  expect(page.body).toHaveLength(200);
  for (const s of page.body as Array<Record<string, unknown>>) {
    const id = byMasked.get(String(s.idNumberMasked));
    expect(id).toBeDefined();
    if (!id) continue;
    const born = id.slice(6, 14);
    expect(s.birthYear).toBe(Number(id.slice(6, 10)));
    expect(JSON.stringify(s)).not.toContain(`${born.slice(0, 4)}-${born.slice(4, 6)}-${born.slice(6)}`);
    expect(JSON.stringify(s)).not.toContain(born);
  }

  // with the list's filter and sort: the students named like one of them, by name, numbered from 1
  const name = String(sheet[1][1]);
  const filtered = await bytesOf(
    t
      .http()
      .get(`/api/order-classes/${c.id}/students/export`)
      .query({ filter: JSON.stringify({ q: name }), sort: JSON.stringify(['name', 'DESC']) })
      .set('Authorization', school),
  );
  const some = await readXlsx(filtered.body as Buffer);
  const listed = await t
    .http()
    .get(`/api/order-classes/${c.id}/students`)
    .query({ filter: JSON.stringify({ q: name }), sort: JSON.stringify(['name', 'DESC']), range: '[0,99]' })
    .set('Authorization', school);
  expect(some.slice(1).map((r) => [r[0], r[1]])).toEqual(listed.body.map((s: { name: string }, i: number) => [String(i + 1), s.name]));
  expect(some.length).toBeLessThan(sheet.length);
});

it("the template, imported unchanged, imports nobody: no example row, the guidance in the header cells' notes", async () => {
  const c = await draftClass(t, { name: '模板导入测试班' });
  const template = await bytesOf(t.http().get(`/api/order-classes/${c.id}/students/imports/template`).set('Authorization', school));
  expect(template.status).toBe(200);
  const bytes = template.body as Buffer;
  // the headers only: no row a school could leave in and import as a student
  expect(await readXlsx(bytes)).toEqual([['姓名*', '身份证号码*', '性别*', '手机号码']]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const header = workbook.worksheets[0].getRow(1);
  const notes = [1, 2, 3, 4].map((i) => {
    const note = header.getCell(i).note;
    return typeof note === 'string' ? note : (note?.texts ?? []).map((x) => x.text).join('');
  });
  expect(notes[0]).toContain('学生姓名');
  expect(notes[1]).toContain('18 位居民身份证号码');
  expect(notes[2]).toContain('“男”或“女”');
  expect(notes[3]).toContain('选填');
  // the guidance carries no importable ID number or phone either
  expect(notes.join('')).not.toMatch(/\d{11}/);

  // uploaded unchanged: a valid file with no rows — nothing to import, no bad row
  const preview = await upload(c.id, bytes, '订单班学生名单.xlsx');
  expect(preview.status).toBe(201);
  expect(preview.body).toMatchObject({ total: 0, good: 0, bad: [], status: 'previewed' });
  const commit = await t.http().post(`/api/order-classes/${c.id}/students/imports/${preview.body.id}/commit`).set('Authorization', school);
  expect([commit.status, commit.body.message]).toEqual([409, '没有可导入的行']);
  expect(await students(c.id)).toBe(0);

  // filled in below its headers, it imports those rows only
  const filled = [...(await readXlsx(bytes)), ['李四', makeIdNumber({ seq: 3, birth: '2006-02-03' }), '男', '']];
  const ok = await upload(c.id, await xlsxOf(filled), '名单.xlsx');
  expect(ok.body).toMatchObject({ total: 1, good: 1, bad: [] });
});

it('refuses an ID number typed in the name cell, and masks every cell of the preview', async () => {
  const c = await draftClass(t, { name: '错列测试班' });
  const id = makeIdNumber({ seq: 11, birth: '2005-07-08' });
  const other = makeIdNumber({ seq: 12, birth: '2005-07-09' });
  const phone = makePhone(4242);
  // one by one: a 400 naming the name field
  const added = await t.http().post(`/api/order-classes/${c.id}/students`).set('Authorization', school).send({ name: id, idNumber: id, gender: 'male' });
  expect(added.status).toBe(400);
  expect(added.body.message).toContain('姓名不能含有数字');
  expect(added.body.details).toEqual([{ field: 'name', messages: ['姓名不能含有数字（请检查是否填错了列）'] }]);
  expect(JSON.stringify(added.body)).not.toContain(id);
  // imported with the columns shifted: an ID number in the name cell, a phone in the gender cell
  const preview = await upload(c.id, csvOf([HEADER, [id, id, '男', ''], ['王五', other, phone, ''], [`１３９１２３４５６７８`, other, '男', '']]), '错列.csv');
  expect(preview.status).toBe(201);
  expect(preview.body).toMatchObject({ total: 3, good: 0 });
  const [first, second, third] = preview.body.bad as Array<{ row: number; cells: Record<string, string>; problems: string[] }>;
  expect(first).toEqual({
    row: 2,
    cells: { name: maskIdNumber(id), idNumber: maskIdNumber(id), gender: '男', phone: '' },
    problems: ['姓名不能含有数字（请检查是否填错了列）'],
  });
  expect(second.cells.gender).toBe(maskPhone(phone));
  expect(third.cells.name).toBe('139****5678');
  expect(JSON.stringify(preview.body)).not.toContain(id);
  expect(JSON.stringify(preview.body)).not.toContain(phone);
  expect(await students(c.id)).toBe(0);
});

it('students added before filing join on the term start as filed, even when it changed after a return', async () => {
  const c = await draftClass(t, { name: '开班日期测试班' });
  const today = portalToday();
  // added in draft, while the term starts 60 days ago (completeForm): their join date is that term start for now
  for (const [i, name] of ['钱一', '孙二'].entries())
    expect(
      (
        await t
          .http()
          .post(`/api/order-classes/${c.id}/students`)
          .set('Authorization', school)
          .send({ name, idNumber: makeIdNumber({ seq: 60 + i, birth: '2006-04-0' + (i + 1) }), gender: 'male' })
      ).status,
    ).toBe(201);
  // submitted, returned by the enterprise, the term start moved to 10 days ago, resubmitted, confirmed and filed
  expect((await classAct(t, 'school', c.id, { action: 'submit' })).status).toBe(200);
  expect((await classAct(t, 'enterprise', c.id, { action: 'return', comment: '开班日期有误', items: ['开班日期推迟'] })).status).toBe(200);
  const returned = (await t.http().get(`/api/order-classes/${c.id}`).set('Authorization', school)).body;
  const termStart = addDays(today, -10);
  const saved = await t.http().put(`/api/order-classes/${c.id}`).set('Authorization', school).send({ dataVersion: returned.dataVersion, termStart });
  expect(saved.status).toBe(200);
  expect(saved.body.termStart).toBe(termStart);
  expect((await classAct(t, 'school', c.id, { action: 'resubmit' })).status).toBe(200);
  expect((await classAct(t, 'enterprise', c.id, { action: 'confirm' })).status).toBe(200);
  expect((await classAct(t, 'county', c.id, { action: 'file' })).body.case.state).toBe('active');

  const rosterAt = async (at: string) =>
    (
      (
        await t
          .http()
          .get(`/api/order-classes/${c.id}/students`)
          .set('Authorization', school)
          .query({ filter: JSON.stringify({ at }) })
      ).body as Array<{
        name: string;
        joinedOn: string;
      }>
    ).map((s) => `${s.name} ${s.joinedOn}`);
  // before the class began: nobody; from its term start on: both, joined that day
  expect(await rosterAt(addDays(today, -20))).toEqual([]);
  expect(await rosterAt(addDays(termStart, -1))).toEqual([]);
  expect((await rosterAt(termStart)).sort()).toEqual([`孙二 ${termStart}`, `钱一 ${termStart}`]);
  expect(await rosterAt(today)).toHaveLength(2);

  // a student who joins by a change while the class runs keeps the change's date
  const joinOn = addDays(today, -3);
  const join = await t
    .http()
    .post(`/api/order-classes/${c.id}/changes`)
    .set('Authorization', school)
    .send({ kind: 'join', date: joinOn, reason: '插班', student: { name: '李三', idNumber: makeIdNumber({ seq: 62 }), gender: 'male' } });
  expect(join.status).toBe(201);
  expect(await rosterAt(addDays(joinOn, -1))).toHaveLength(2);
  expect(await rosterAt(joinOn)).toContain(`李三 ${joinOn}`);
});

it('refuses an .exe renamed .xlsx, a zip bomb, an empty file and an encrypted workbook, and writes nothing', async () => {
  const c = await draftClass(t, { name: '坏文件测试班' });
  const before = Number((await t.ds.query(`SELECT count(*) AS n FROM spreadsheet_imports`))[0].n);
  for (const [name, bytes, expected] of [
    ['名单.xlsx', EXE_BYTES, /不是 .xlsx 或 .csv|不是.*表格|无法识别/],
    ['名单.xlsx', await zipBomb(300), /解压|过大|超过/],
    ['名单.xlsx', Buffer.alloc(0), /空/],
    ['名单.xlsx', ENCRYPTED_XLSX_BYTES, /加密|密码/],
  ] as const) {
    const res = await upload(c.id, bytes, name);
    expect([name, res.status]).toEqual([name, 400]);
    expect(res.body.message).toMatch(expected);
  }
  expect(Number((await t.ds.query(`SELECT count(*) AS n FROM spreadsheet_imports`))[0].n)).toBe(before);
  expect(await students(c.id)).toBe(0);
  // a file without the required headers names them
  const res = await upload(
    c.id,
    csvOf([
      ['名字', '证件'],
      ['张三', '1'],
    ]),
    'x.csv',
  );
  expect(res.status).toBe(400);
  expect(res.body.message).toContain('身份证号码');
});

it('imports only while the class has not started, only by the owning school; a commit after the class moved on writes nothing', async () => {
  const c = await draftClass(t, { name: '导入时机测试班' });
  const file = csvOf([HEADER, ['钱七', makeIdNumber({ seq: 11, birth: '2005-05-05' }), '男', '']]);
  const p = (await upload(c.id, file, 'a.csv')).body;
  // the enterprise (a party) may read the class but not import into it
  const ent = `Bearer ${await t.token('enterprise')}`;
  expect((await t.http().post(`/api/order-classes/${c.id}/students/imports`).set('Authorization', ent).attach('file', file, 'a.csv')).status).toBe(403);
  expect((await t.http().post(`/api/order-classes/${c.id}/students/imports/${p.id}/commit`).set('Authorization', ent)).status).toBe(403);
  // the class is filed meanwhile: the commit is refused and writes nothing
  for (const [user, action] of [
    ['school', 'submit'],
    ['enterprise', 'confirm'],
    ['county', 'file'],
  ] as const)
    expect((await classAct(t, user, c.id, { action })).status).toBe(200);
  expect((await t.http().post(`/api/order-classes/${c.id}/students/imports/${p.id}/commit`).set('Authorization', school)).status).toBe(409);
  expect(await students(c.id)).toBe(0);
  expect((await upload(c.id, file, 'a.csv')).status).toBe(409);
});
