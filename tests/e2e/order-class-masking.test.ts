import { addDays, maskIdNumber, maskPhone, portalToday } from '@portal/contracts';
import { startTestApp, type TestApp } from '@portal/testing';
import { makeIdNumber, makePhone, studentName } from '../support/id-numbers.js';
import { bytesOf } from '../support/http.js';
import { classAct, draftClass } from '../support/order-classes.js';
import { csvOf, readXlsx } from '../support/spreadsheets.js';

/**
 * Personal data stays masked (issue 10): after a roster's whole life — students added one by one and imported,
 * a join, the lists, the detail, the events, the preview, the exports and bad input — no full ID number or phone
 * appears in any API response (but the owning school's explicit reveal), in any export file, nor in any line the
 * app logs (its pino output, captured at debug level as it is written to stdout).
 */

const logged: string[] = [];
type Write = (...args: unknown[]) => boolean;
const originalWrite = process.stdout.write.bind(process.stdout) as Write;
const text = (data: unknown) =>
  typeof data === 'string' ? data : Buffer.isBuffer(data) || data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : '';

let t: TestApp;
beforeAll(async () => {
  // under jest, pino writes its lines to process.stdout (a stream jest has wrapped): keep a copy of every one
  (process.stdout as unknown as { write: Write }).write = (...args: unknown[]) => {
    const line = text(args[0]);
    logged.push(line);
    // the app's own lines are kept for the check, not echoed into the suite's output
    return line.startsWith('{"level"') ? true : originalWrite(...args);
  };
  t = await startTestApp({ LOG_LEVEL: 'debug' });
});
afterAll(async () => {
  await t.close();
  (process.stdout as unknown as { write: Write }).write = originalWrite;
});

it('no full ID number or phone in any response, export or log line', async () => {
  const school = `Bearer ${await t.token('school')}`;
  const people = Array.from({ length: 6 }, (_, i) => ({
    name: studentName(i),
    idNumber: makeIdNumber({ seq: 20 + i, birth: '2005-09-0' + (i + 1), gender: i % 2 ? 'female' : 'male' }),
    gender: i % 2 ? 'female' : 'male',
    phone: makePhone(700 + i),
  }));
  const secrets = people.flatMap((p) => [p.idNumber, p.phone]);
  const responses: string[] = [];
  const keep = <T extends { body: unknown; text?: string }>(res: T): T => {
    responses.push(typeof res.body === 'object' && res.body !== null && Object.keys(res.body).length ? JSON.stringify(res.body) : (res.text ?? ''));
    return res;
  };

  // a class with two students added by hand, one with an error, and three imported
  const c = await draftClass(t, { name: '脱敏测试班' });
  for (const p of people.slice(0, 2)) keep(await t.http().post(`/api/order-classes/${c.id}/students`).set('Authorization', school).send(p));
  keep(
    await t
      .http()
      .post(`/api/order-classes/${c.id}/students`)
      .set('Authorization', school)
      .send({ ...people[0], gender: people[0].gender === 'male' ? 'female' : 'male' }),
  );
  keep(await t.http().post(`/api/order-classes/${c.id}/students`).set('Authorization', school).send(people[0]));
  const file = csvOf([
    ['姓名', '身份证号码', '性别', '手机号码'],
    ...people.slice(2, 5).map((p) => [p.name, p.idNumber, p.gender === 'male' ? '男' : '女', p.phone]),
    ['坏行', people[0].idNumber.slice(0, 17) + 'Y', '男', people[5].phone],
  ]);
  const preview = keep(await t.http().post(`/api/order-classes/${c.id}/students/imports`).set('Authorization', school).attach('file', file, '名单.csv'));
  expect(preview.body).toMatchObject({ good: 3, bad: [{ row: 5 }] });
  keep(await t.http().get(`/api/order-classes/${c.id}/students/imports/${preview.body.id}`).set('Authorization', school));
  keep(await t.http().post(`/api/order-classes/${c.id}/students/imports/${preview.body.id}/commit`).set('Authorization', school));
  // a search by an ID number in the URL (the access log keeps only its ends)
  keep(
    await t
      .http()
      .get(`/api/order-classes/${c.id}/students`)
      .set('Authorization', school)
      .query({ filter: JSON.stringify({ q: people[2].idNumber }) }),
  );
  // and by a mobile number (the access log keeps its first 3 and last 4 digits)
  keep(
    await t
      .http()
      .get(`/api/order-classes/${c.id}/students`)
      .set('Authorization', school)
      .query({ filter: JSON.stringify({ q: people[3].phone }) }),
  );

  // filed and running: a join with full data, the roster, the changes, the events, the detail and lists
  for (const [user, action] of [
    ['school', 'submit'],
    ['enterprise', 'confirm'],
    ['county', 'file'],
  ] as const)
    keep(await classAct(t, user, c.id, { action }));
  keep(
    await t
      .http()
      .post(`/api/order-classes/${c.id}/changes`)
      .set('Authorization', school)
      .send({ kind: 'join', date: addDays(portalToday(), -1), reason: '插班', student: people[5] }),
  );
  for (const user of ['school', 'enterprise', 'county', 'city']) {
    const token = `Bearer ${await t.token(user)}`;
    for (const path of [
      `/api/order-classes/${c.id}`,
      `/api/order-classes/${c.id}/students?range=[0,99]`,
      `/api/order-classes/${c.id}/changes`,
      `/api/order-classes?range=[0,99]`,
      `/api/cases/order-class:${(await t.http().get(`/api/order-classes/${c.id}`).set('Authorization', token)).body.caseRef.split(':')[1]}/events`,
      `/api/cases/order-class:${(await t.http().get(`/api/order-classes/${c.id}`).set('Authorization', token)).body.caseRef.split(':')[1]}/snapshots`,
    ])
      keep(await t.http().get(path).set('Authorization', token));
  }
  // the reveal answers the full values to the owning school — and only there; nothing else, not even its log line
  const roster = (await t.http().get(`/api/order-classes/${c.id}/students`).set('Authorization', school)).body as Array<{ id: number; name: string }>;
  const reveal = await t
    .http()
    .post(`/api/order-classes/${c.id}/students/${roster[0].id}/reveal`)
    .set('Authorization', school)
    .send({ reason: '核对保险信息' });
  expect(reveal.body.idNumber).toBe(people.find((p) => p.name === roster[0].name)!.idNumber);
  keep(
    await t
      .http()
      .get(`/api/cases/${(await t.http().get(`/api/order-classes/${c.id}`).set('Authorization', school)).body.caseRef}/events`)
      .set('Authorization', school),
  );

  // exports: the roster and the list
  const exports: string[][][] = [];
  for (const path of [`/api/order-classes/${c.id}/students/export`, `/api/order-classes/export`]) {
    const res = await bytesOf(t.http().get(path).set('Authorization', school));
    expect(res.status).toBe(200);
    exports.push(await readXlsx(res.body as Buffer));
  }
  expect(exports[0]).toHaveLength(7);

  await t.drain();
  const logText = logged.join('');
  // the logger did write (the check is not vacuous): request lines at least
  expect(logText).toContain('"url":"/api/order-classes');
  // the search by an ID number is logged with the number masked
  expect(logText).toContain(maskIdNumber(people[2].idNumber));
  // and the search by a phone with the phone masked, the rest of the URL as it was
  expect(logText).toContain(`students?filter=%7B%22q%22%3A%22${maskPhone(people[3].phone)}%22%7D`);
  for (const secret of secrets) {
    for (const [where, haystack] of [
      ['responses', responses.join('\n')],
      ['exports', JSON.stringify(exports)],
      ['logs', logText],
    ] as const)
      expect([where, haystack.includes(secret) ? secret : null]).toEqual([where, null]);
  }
});

it('no clear column of the roster table, nor all of them together, rebuilds an ID number (the birth date is not kept, only its year)', async () => {
  const school = `Bearer ${await t.token('school')}`;
  const people = Array.from({ length: 4 }, (_, i) => ({
    name: studentName(i, '重建'),
    idNumber: makeIdNumber({ seq: 40 + i, birth: `2004-11-1${i + 1}`, gender: i % 2 ? 'female' : 'male' }),
    gender: i % 2 ? 'female' : 'male',
    phone: makePhone(800 + i),
  }));
  const c = await draftClass(t, { name: '重建测试班' });
  // two added one by one, two imported
  for (const p of people.slice(0, 2))
    expect((await t.http().post(`/api/order-classes/${c.id}/students`).set('Authorization', school).send(p)).status).toBe(201);
  const file = csvOf([
    ['姓名', '身份证号码', '性别', '手机号码'],
    ...people.slice(2).map((p) => [p.name, p.idNumber, p.gender === 'male' ? '男' : '女', p.phone]),
  ]);
  const preview = await t.http().post(`/api/order-classes/${c.id}/students/imports`).set('Authorization', school).attach('file', file, '名单.csv');
  expect(preview.body).toMatchObject({ good: 2 });
  expect((await t.http().post(`/api/order-classes/${c.id}/students/imports/${preview.body.id}/commit`).set('Authorization', school)).status).toBe(200);

  const columns = (
    await t.ds.query<Array<{ column_name: string }>>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'order_class_students'`)
  ).map((r) => r.column_name);
  expect(columns).toContain('birth_year');
  expect(columns).not.toContain('birth_date');
  // every column of every row, as text
  const rows = await t.ds.query<Array<{ masked: string; all: string }>>(
    `SELECT s.id_masked AS masked, row_to_json(s)::text AS all FROM order_class_students s WHERE s.order_class_id = $1`,
    [c.id],
  );
  expect(rows).toHaveLength(4);
  for (const r of rows) {
    const p = people.find((x) => maskIdNumber(x.idNumber) === r.masked)!;
    expect(p).toBeDefined();
    const born = p.idNumber.slice(6, 14);
    // the 8 hidden digits appear nowhere, plain or as a date
    expect(r.all).not.toContain(born);
    expect(r.all).not.toContain(`${born.slice(0, 4)}-${born.slice(4, 6)}-${born.slice(6)}`);
    // and no date in the row, put between the masked number's ends, gives the number back
    for (const d of r.all.match(/\d{4}-\d{2}-\d{2}/g) ?? []) expect(r.masked.slice(0, 6) + d.replace(/-/g, '') + r.masked.slice(-4)).not.toBe(p.idNumber);
  }
  // the roster still shows the year of birth
  const listed = (await t.http().get(`/api/order-classes/${c.id}/students`).set('Authorization', school)).body as Array<{ name: string; birthYear: number }>;
  expect(listed.map((s) => s.birthYear)).toEqual([2004, 2004, 2004, 2004]);
});
