import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { act, openTestCase, startTestApp, type TestApp } from '@portal/testing';
import PDFDocument from 'pdfkit';
import { act as actOn, atPanel, auth, newApplicant, setSetting, submitted } from '../support/certification.js';
import { count, createUser, organisationId, registerEnterprise } from '../support/people.js';

/**
 * Attachments: type decided by the bytes, size capped by a setting, names and storage keys made by the
 * server, bytes readable by the case's parties only, and nothing written when an upload is refused.
 */

let t: TestApp;
let stranger: { username: string; password: string };
let pdf: Buffer;
let png: Buffer;

function makePdf(text: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A6', info: { Title: text } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text(text);
  doc.end();
  return done;
}

/** A real 4×4 RGB PNG: signature, IHDR, IDAT (zlib), IEND, each chunk with its CRC. */
function makePng(): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = table[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(4, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const rows = Buffer.concat(Array.from({ length: 4 }, (_, y) => Buffer.concat([Buffer.from([0]), Buffer.alloc(12, y * 60)])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  t = await startTestApp({}, { testWorkflow: true });
  stranger = await registerEnterprise(t, '330381');
  await createUser(t, {
    username: 'county_ra',
    roles: ['county_reviewer'],
    organisationId: await organisationId(t, 'authority', '瑞安市教育局'),
    jurisdiction: '330381',
  });
  pdf = await makePdf('cooperation agreement');
  png = makePng();
});
afterAll(() => t.close());

async function upload(user: string | { username: string; password?: string }, ref: string, bytes: Buffer, filename: string, purpose?: string) {
  const u = typeof user === 'string' ? { username: user, password: undefined } : user;
  const req = t
    .http()
    .post(`/api/cases/${ref}/attachments`)
    .set('Authorization', `Bearer ${await t.token(u.username, u.password)}`);
  if (purpose !== undefined) req.field('purpose', purpose);
  return req.attach('file', bytes, { filename, contentType: 'application/octet-stream' });
}

async function download(user: string | { username: string; password?: string }, id: number) {
  const u = typeof user === 'string' ? { username: user, password: undefined } : user;
  return t
    .http()
    .get(`/api/attachments/${id}/download`)
    .set('Authorization', `Bearer ${await t.token(u.username, u.password)}`)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

const stored = async () => ({
  attachments: await count(t, `SELECT count(*)::int AS n FROM attachments`),
  blobs: await count(t, `SELECT count(*)::int AS n FROM blobs`),
});

describe('uploading', () => {
  it('a real PDF and PNG on the applicant’s draft: 201, server-made storage key, sha256 of the bytes', async () => {
    const { id, ref } = await openTestCase(t, 'enterprise', { name: '附件测试' });
    const before = await stored();
    const a = await upload('enterprise', ref, pdf, '合作协议.pdf', '合作协议');
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ caseId: id, filename: '合作协议.pdf', mime: 'application/pdf', size: pdf.length, sha256: sha256(pdf), purpose: '合作协议' });
    const b = await upload('enterprise', ref, png, 'site-photo.png');
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ filename: 'site-photo.png', mime: 'image/png', size: png.length, sha256: sha256(png) });
    expect(await stored()).toEqual({ attachments: before.attachments + 2, blobs: before.blobs + 2 });

    // the bytes live under a key the server made, never the user's file name
    const rows = await t.ds.query(
      `SELECT a.blob_key, a.filename, b.sha256, b.size FROM attachments a JOIN blobs b ON b.key = a.blob_key WHERE a.id = ANY($1) ORDER BY a.id`,
      [[a.body.id, b.body.id]],
    );
    for (const r of rows) {
      expect(r.blob_key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(r.blob_key).not.toContain(r.filename);
    }
    expect(rows.map((r: { sha256: string }) => r.sha256)).toEqual([sha256(pdf), sha256(png)]);
    expect(a.body).not.toHaveProperty('blobKey');

    const list = await t
      .http()
      .get(`/api/cases/${ref}/attachments`)
      .set('Authorization', `Bearer ${await t.token('enterprise')}`);
    expect(list.body.map((x: { id: number }) => x.id)).toEqual([a.body.id, b.body.id]);
  });

  it('a file over the size setting is a 413 and writes nothing', async () => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '超大附件' });
    const admin = `Bearer ${await t.token('admin')}`;
    const set = await t.http().put('/api/settings/attachments.maxMegabytes').set('Authorization', admin).send({ value: 1 });
    expect(set.status).toBe(200);
    expect(set.body.value).toBe(1);
    try {
      // the API's settings cache lives 2 s
      await new Promise((r) => setTimeout(r, 2100));
      const big = Buffer.concat([pdf.subarray(0, pdf.length - 6), Buffer.alloc(1.5 * 1024 * 1024, 0x20), Buffer.from('%%EOF\n')]);
      expect(big.length).toBeGreaterThan(1024 * 1024);
      const before = await stored();
      const res = await upload('enterprise', ref, big, 'big.pdf');
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await stored()).toEqual(before);
      // just under the limit is fine
      const fits = await upload('enterprise', ref, Buffer.concat([pdf, Buffer.alloc(512 * 1024, 0x20)]), 'fits.pdf');
      expect(fits.status).toBe(201);
    } finally {
      await t.http().put('/api/settings/attachments.maxMegabytes').set('Authorization', admin).send({ value: 20 });
      await new Promise((r) => setTimeout(r, 2100));
    }
  });

  it('the type comes from the bytes: a text file named .pdf and an MZ executable are 415, nothing written', async () => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '类型检查' });
    const before = await stored();
    const text = await upload('enterprise', ref, Buffer.from('this is not a pdf at all, just text\n'.repeat(20)), 'report.pdf');
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const mz = Buffer.alloc(1024);
    mz.write('MZ', 0, 'ascii');
    mz.writeUInt32LE(0x80, 0x3c);
    mz.write('PE\0\0', 0x80, 'binary');
    const exe = await upload('enterprise', ref, mz, 'invoice.pdf');
    expect(exe.status).toBe(415);
    const empty = await upload('enterprise', ref, Buffer.alloc(0), 'empty.pdf');
    expect(empty.status).toBe(400);
    expect(await stored()).toEqual(before);
  });

  it('a path in the file name is dropped: only the base name is kept', async () => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '路径穿越' });
    const res = await upload('enterprise', ref, pdf, '../../etc/passwd.pdf');
    expect(res.status).toBe(201);
    expect(res.body.filename).toBe('passwd.pdf');
    const win = await upload('enterprise', ref, pdf, '..\\..\\windows\\win.ini.pdf');
    expect(win.status).toBe(201);
    expect(win.body.filename).toBe('win.ini.pdf');
    const [row] = await t.ds.query(`SELECT filename FROM attachments WHERE id = $1`, [res.body.id]);
    expect(row.filename).not.toMatch(/[\\/]/);
  });

  it('strangers cannot upload: another enterprise, a county reviewer of another county, a teacher (404); nothing written', async () => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '他人上传' });
    const before = await stored();
    expect((await upload(stranger, ref, pdf, 'x.pdf')).status).toBe(404);
    expect((await upload('county_ra', ref, pdf, 'x.pdf')).status).toBe(404);
    expect((await upload('teacher', ref, pdf, 'x.pdf')).status).toBe(404);
    expect((await t.http().post(`/api/cases/${ref}/attachments`).attach('file', pdf, 'x.pdf')).status).toBe(401);
    expect(await stored()).toEqual(before);
  });
});

describe('downloading', () => {
  it('the owner gets the exact bytes with a Content-Disposition; strangers get 404', async () => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '下载测试' });
    const a = await upload('enterprise', ref, pdf, '营业执照 副本.pdf');
    expect(a.status).toBe(201);
    const res = await download('enterprise', a.body.id);
    expect(res.status).toBe(200);
    expect(Buffer.compare(res.body as Buffer, pdf)).toBe(0);
    expect(res.headers['content-type']).toMatch(/^application\/pdf/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('营业执照 副本.pdf')}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');

    for (const who of [stranger, 'county_ra', 'teacher'] as const) {
      const r = await download(who, a.body.id);
      expect(r.status).toBe(404);
      expect((r.body as Buffer).includes(pdf.subarray(0, 64))).toBe(false);
    }
    // the county reviewer of the case's county and the city may read it once it is theirs to see: after
    // the submission (a draft is the enterprise's own)
    expect((await download('county', a.body.id)).status).toBe(404);
    expect((await download('city', a.body.id)).status).toBe(404);
    expect((await act(t, 'enterprise', ref, { action: 'submit' })).status).toBe(200);
    expect((await download('county', a.body.id)).status).toBe(200);
    expect((await download('city', a.body.id)).status).toBe(200);
    expect((await download('enterprise', 999_999)).status).toBe(404);
  });
});

describe('after submission', () => {
  it('the owner may not upload (409), the reviewer may attach a review opinion; the submission snapshot lists what was attached', async () => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '提交后附件' });
    const a = await upload('enterprise', ref, pdf, '申报书.pdf');
    const b = await upload('enterprise', ref, png, '现场照片.png');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await act(t, 'enterprise', ref, { action: 'submit' })).status).toBe(200);

    const before = await stored();
    const late = await upload('enterprise', ref, pdf, '补充.pdf');
    expect(late.status).toBe(409);
    expect(await stored()).toEqual(before);
    // nor may the owner remove one
    expect(
      (
        await t
          .http()
          .delete(`/api/attachments/${a.body.id}`)
          .set('Authorization', `Bearer ${await t.token('enterprise')}`)
      ).status,
    ).toBe(409);

    const reviewer = await upload('county', ref, pdf, '核查记录.pdf', 'review_opinion');
    expect(reviewer.status).toBe(201);
    expect(reviewer.body.uploadedBy).not.toBe(a.body.uploadedBy);

    const snaps = await t
      .http()
      .get(`/api/cases/${ref}/snapshots`)
      .set('Authorization', `Bearer ${await t.token('county')}`);
    expect(snaps.status).toBe(200);
    expect(snaps.body).toHaveLength(1);
    const listed = snaps.body[0].data.attachments as Array<{ id: number; filename: string; sha256: string }>;
    expect(listed.map((x) => [x.id, x.filename, x.sha256])).toEqual([
      [a.body.id, '申报书.pdf', sha256(pdf)],
      [b.body.id, '现场照片.png', sha256(png)],
    ]);
    // the reviewer's later file is not part of what was submitted
    expect(listed.map((x) => x.id)).not.toContain(reviewer.body.id);
  });

  it('a decided case takes no more files', async () => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '已撤回' });
    expect((await act(t, 'enterprise', ref, { action: 'submit' })).status).toBe(200);
    expect((await act(t, 'enterprise', ref, { action: 'withdraw' })).status).toBe(200);
    const before = await stored();
    expect((await upload('enterprise', ref, pdf, 'late.pdf')).status).toBe(409);
    expect((await upload('city', ref, pdf, 'late.pdf')).status).toBe(409);
    expect(await stored()).toEqual(before);
  });
});

describe('blob storage', () => {
  it('deleting a file that was never submitted purges its bytes in the same transaction', async () => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '删除清理' });
    const before = await stored();
    const a = await upload('enterprise', ref, pdf, '草稿附件.pdf', 'other');
    expect(a.status).toBe(201);
    const [{ blob_key }] = await t.ds.query(`SELECT blob_key FROM attachments WHERE id = $1`, [a.body.id]);
    const del = await t
      .http()
      .delete(`/api/attachments/${a.body.id}`)
      .set('Authorization', `Bearer ${await t.token('enterprise')}`);
    expect(del.status).toBe(200);
    expect(await stored()).toEqual(before);
    expect(await count(t, `SELECT count(*)::int AS n FROM blobs WHERE key = $1`, [blob_key])).toBe(0);
    expect((await download('enterprise', a.body.id)).status).toBe(404);
  });

  it('a file removed after it was submitted keeps its bytes: the earlier submission still refers to it', async () => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '补正删除' });
    const a = await upload('enterprise', ref, pdf, '旧协议.pdf', 'other');
    expect(a.status).toBe(201);
    expect((await act(t, 'enterprise', ref, { action: 'submit' })).status).toBe(200);
    expect((await act(t, 'county', ref, { action: 'return', items: ['请更换合作协议'] })).status).toBe(200);
    const before = await stored();
    const del = await t
      .http()
      .delete(`/api/attachments/${a.body.id}`)
      .set('Authorization', `Bearer ${await t.token('enterprise')}`);
    expect(del.status).toBe(200);
    expect(await count(t, `SELECT count(*)::int AS n FROM blobs WHERE key = (SELECT blob_key FROM attachments WHERE id = $1)`, [a.body.id])).toBe(1);
    expect((await stored()).blobs).toBe(before.blobs);
    // gone from the live list, still downloadable from the history
    const list = await t
      .http()
      .get(`/api/cases/${ref}/attachments`)
      .set('Authorization', `Bearer ${await t.token('enterprise')}`);
    expect(list.body.map((x: { id: number }) => x.id)).not.toContain(a.body.id);
    const res = await download('county', a.body.id);
    expect(res.status).toBe(200);
    expect(Buffer.compare(res.body as Buffer, pdf)).toBe(0);
  });
});

describe('limits', () => {
  it('a case takes at most attachments.maxPerCase files: the next is a 409 in Chinese and writes nothing', async () => {
    const { ref } = await openTestCase(t, 'enterprise', { name: '附件数量' });
    await setSetting(t, 'attachments.maxPerCase', 3);
    try {
      for (let i = 0; i < 3; i++) expect((await upload('enterprise', ref, pdf, `第${i}份.pdf`, 'other')).status).toBe(201);
      const before = await stored();
      const res = await upload('enterprise', ref, pdf, '第4份.pdf', 'other');
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('3');
      expect(res.body.message).toContain('附件');
      expect(await stored()).toEqual(before);
    } finally {
      await setSetting(t, 'attachments.maxPerCase', 50);
    }
  });

  it('a checklist item takes at most attachments.maxPerChecklistItem files; beyond it the upload must name the file it replaces', async () => {
    const e = await newApplicant(t);
    const draftRes = await t
      .http()
      .post('/api/certification-applications')
      .set('Authorization', await auth(t, e))
      .send({ year: 2025 });
    const caseRef = draftRes.body.caseRef as string;
    await setSetting(t, 'attachments.maxPerChecklistItem', 2);
    try {
      const a = await upload(e, caseRef, pdf, '执照正本.pdf', 'business_license');
      const b = await upload(e, caseRef, png, '执照副本.png', 'business_license');
      expect([a.status, b.status]).toEqual([201, 201]);
      const before = await stored();
      const third = await upload(e, caseRef, pdf, '执照第三份.pdf', 'business_license');
      expect(third.status).toBe(409);
      expect(third.body.message).toContain('营业执照');
      expect(await stored()).toEqual(before);
      const req = t
        .http()
        .post(`/api/cases/${caseRef}/attachments`)
        .set('Authorization', await auth(t, e))
        .field('purpose', 'business_license')
        .field('replaces', String(a.body.id));
      const replaced = await req.attach('file', pdf, { filename: '执照正本-新.pdf', contentType: 'application/pdf' });
      expect(replaced.status).toBe(201);
      const list = await t
        .http()
        .get(`/api/cases/${caseRef}/attachments`)
        .set('Authorization', await auth(t, e));
      expect(list.body.map((x: { filename: string }) => x.filename).sort()).toEqual(['执照副本.png', '执照正本-新.pdf'].sort());
    } finally {
      await setSetting(t, 'attachments.maxPerChecklistItem', 1);
    }
  });
});

describe('who uploads into the checklist', () => {
  it('reviewers and experts cannot put files into the applicant’s checklist (403 in Chinese, nothing written); a review opinion is theirs to attach', async () => {
    const e = await newApplicant(t);
    const app = await submitted(t, e);
    const before = await stored();
    for (const purpose of ['business_license', 'cooperation_agreement', 'supplement', undefined]) {
      const res = await upload('county', app.caseRef, pdf, '代传.pdf', purpose);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/申请单位/);
    }
    expect(await stored()).toEqual(before);
    const opinion = await upload('county', app.caseRef, pdf, '初审意见.pdf', 'review_opinion');
    expect(opinion.status).toBe(201);

    // an expert on the panel: the same rule
    const e2 = await newApplicant(t);
    const onPanel = await atPanel(t, e2);
    const beforePanel = await stored();
    const expertTry = await upload('expert1', onPanel.caseRef, pdf, '专家代传.pdf', 'cooperation_agreement');
    expect(expertTry.status).toBe(403);
    expect(expertTry.body.message).toMatch(/申请单位/);
    expect(await stored()).toEqual(beforePanel);
    expect((await upload('expert1', onPanel.caseRef, pdf, '评审意见.pdf', 'review_opinion')).status).toBe(201);
    // nor may the applicant pose as a reviewer
    const e3 = await newApplicant(t);
    const draftRes = await t
      .http()
      .post('/api/certification-applications')
      .set('Authorization', await auth(t, e3))
      .send({ year: 2025 });
    expect((await upload(e3, draftRes.body.caseRef, pdf, '意见.pdf', 'review_opinion')).status).toBe(403);
  });
});

describe('补正: a new file for a checklist item replaces the old one', () => {
  it('the live list keeps one file per item, the earlier submission keeps the old one, and the diff says 替换 (replaced), not 新增', async () => {
    const e = await newApplicant(t);
    const app = await submitted(t, e);
    expect((await actOn(t, 'county', app.id, { action: 'return', items: ['营业执照已过期，请更换'] })).status).toBe(200);
    const filesOf = async () =>
      (
        await t
          .http()
          .get(`/api/cases/${app.caseRef}/attachments`)
          .set('Authorization', await auth(t, e))
      ).body as Array<{ id: number; purpose: string; filename: string }>;
    const old = (await filesOf()).find((f) => f.purpose === 'business_license')!;
    const fresh = await upload(e, app.caseRef, png, '营业执照-新.png', 'business_license');
    expect(fresh.status).toBe(201);
    const live = await filesOf();
    expect(live.filter((f) => f.purpose === 'business_license').map((f) => f.filename)).toEqual(['营业执照-新.png']);
    expect(live).toHaveLength(4);
    // the old file is still there for the first submission's history
    expect((await download(e, old.id)).status).toBe(200);

    expect((await actOn(t, e, app.id, { action: 'resubmit' })).status).toBe(200);
    const diff = await t
      .http()
      .get(`/api/cases/${app.caseRef}/diff`)
      .set('Authorization', await auth(t, 'county'));
    expect(diff.status).toBe(200);
    const attachmentChanges = diff.body.changes.filter((c: { path: string }) => c.path.startsWith('attachments'));
    expect(attachmentChanges).toEqual([
      {
        path: 'attachments.business_license',
        change: 'replaced',
        before: [expect.objectContaining({ id: old.id, filename: old.filename })],
        after: [expect.objectContaining({ id: fresh.body.id, filename: '营业执照-新.png' })],
      },
    ]);
    const snaps = (
      await t
        .http()
        .get(`/api/cases/${app.caseRef}/snapshots`)
        .set('Authorization', await auth(t, 'county'))
    ).body;
    expect(snaps[0].data.attachments.map((a: { id: number }) => a.id)).toContain(old.id);
    expect(snaps[1].data.attachments.map((a: { id: number }) => a.id)).not.toContain(old.id);
  });
});
