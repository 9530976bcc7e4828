import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DocumentRequest } from '@portal/contracts';
import { OutboxService } from '@portal/core';
import { DocumentsService } from '@portal/documents';
import { startTestApp, type TestApp } from '@portal/testing';
import { bytesOf } from '../support/http.js';

let t: TestApp;
let dir: string;
let holderOrgId: number;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_BASE_URL: 'https://cjrh.wenzhou.example' });
  dir = mkdtempSync(path.join(tmpdir(), 'portal-docs-'));
  [{ id: holderOrgId }] = await t.ds.query(`SELECT id FROM organisations WHERE name = '温州瓯江电气科技有限公司'`);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

const request = (over: Partial<DocumentRequest> = {}): DocumentRequest => ({
  kind: 'subsidy_notice',
  subjectKey: `subsidy:${Math.random().toString(36).slice(2)}`,
  generation: 1,
  holderOrgId,
  holderName: '温州瓯江电气科技有限公司',
  countyCode: '330302',
  authority: '温州市教育局',
  addressee: '鹿城区财政局',
  body: '根据《温州市推动现代职业教育高质量跨越式发展实施方案(2023-2025)》，该企业通过市级产教融合型企业认定，请按规定拨付一次性补助资金。',
  facts: [
    { label: '企业名称', value: '温州瓯江电气科技有限公司' },
    { label: '认定级别', value: '市级' },
    { label: '补助金额', value: '人民币伍万元整（¥50,000.00）' },
  ],
  validUntil: null,
  ...over,
});

/** Enqueue through the outbox like a feature does, and let the jobs run. */
async function issueThroughOutbox(reqs: DocumentRequest[]): Promise<void> {
  const outbox = t.app.get(OutboxService);
  await t.ds.transaction(async (em) => {
    for (const r of reqs) await outbox.enqueue(em, 'documents.issue', r, { dedupeKey: `document:${r.kind}:${r.subjectKey}:${r.generation}` });
  });
  await t.drain();
}

const admin = async () => `Bearer ${await t.token('admin')}`;

/** A document's file as its bytes (status and headers as answered). */
const download = (id: number, authorization: string) => bytesOf(t.http().get(`/api/documents/${id}/download`).set('Authorization', authorization));

describe('documents', () => {
  it('issues a Chinese PDF a real reader extracts, with a QR code that decodes to the verify URL', async () => {
    const req = request();
    await issueThroughOutbox([req]);
    const [doc] = await t.ds.query(`SELECT id, serial, verify_code, size FROM documents WHERE subject_key = $1`, [req.subjectKey]);
    expect(doc.serial).toMatch(/^WZBZ-\d{4}-\d{5}$/);
    expect(doc.size).toBeLessThan(200 * 1024);

    const res = await download(doc.id, `Bearer ${await t.token('enterprise')}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const file = path.join(dir, 'notice.pdf');
    writeFileSync(file, res.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('补助资金拨付通知书');
    expect(text).toContain('温州瓯江电气科技有限公司');
    expect(text).toContain(doc.serial);
    expect(text).toContain('人民币伍万元整');
    expect(text).toContain('鹿城区财政局');

    execFileSync('pdftoppm', ['-r', '200', '-png', '-singlefile', file, path.join(dir, 'page')]);
    const qr = execFileSync('zbarimg', ['--quiet', '--raw', path.join(dir, 'page.png')])
      .toString()
      .trim();
    expect(qr).toBe(`https://cjrh.wenzhou.example/verify/${doc.verify_code}`);

    // the stored hash is the hash of the bytes served
    const { createHash } = await import('node:crypto');
    const verify = await t.http().get(`/api/verify/${doc.verify_code}`);
    expect(verify.status).toBe(200);
    expect(verify.body).toEqual({
      kind: 'subsidy_notice',
      kindLabel: '补助资金拨付通知书',
      serial: doc.serial,
      authority: '温州市教育局',
      holderName: '温州瓯江电气科技有限公司',
      issuedAt: expect.any(String),
      validUntil: null,
      status: 'valid',
      statusLabel: '有效',
      revokeReason: null,
      sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
    });
    const page = await t.http().get(`/verify/${doc.verify_code}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('有效');
    // the page names the serial number and the issuing authority printed on the document
    expect(page.text).toContain(`<dt>文件编号</dt><dd>${doc.serial}</dd>`);
    expect(page.text).toContain('<dt>签发机关</dt><dd>温州市教育局</dd>');

    // revoked: the verification says so at once, with the reason
    const revoke = await t
      .http()
      .post(`/api/documents/${doc.id}/revoke`)
      .set('Authorization', await admin())
      .send({ reason: '认定资格被撤销' });
    expect(revoke.status).toBe(200);
    const after = await t.http().get(`/api/verify/${doc.verify_code}`);
    expect(after.body).toMatchObject({ status: 'revoked', revokeReason: '认定资格被撤销' });
    expect((await t.http().get(`/verify/${doc.verify_code}`)).text).toContain('已撤销');
  });

  it("prints each fact label whole: the 5-year summary's periods keep both full dates on one line", async () => {
    const periods = ['2024年11月1日至2025年11月5日', '2023年12月15日至2024年10月25日', '2025年1月2日至2025年1月9日'];
    const req = request({
      kind: 'practice_summary',
      subjectKey: `practice-summary:${Math.random().toString(36).slice(2)}`,
      addressee: undefined,
      // twelve periods, as many as the summary lists
      facts: [...periods, ...Array.from({ length: 9 }, (_, i) => `20${10 + i}年12月15日至20${11 + i}年10月25日`)].map((label) => ({
        label,
        value: '文成中龙电力设备股份有限公司，120 学时',
      })),
    });
    await issueThroughOutbox([req]);
    const [doc] = await t.ds.query(`SELECT id FROM documents WHERE subject_key = $1`, [req.subjectKey]);
    const res = await download(doc.id, await admin());
    const file = path.join(dir, 'summary.pdf');
    writeFileSync(file, res.body as Buffer);
    const lines = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .split('\n')
      .map((l) => l.replace(/\s+/g, ''));
    // each period on one line, both dates complete, followed by its host
    for (const p of periods) expect(lines).toContainEqual(expect.stringContaining(`${p}：文成中龙电力设备股份有限公司，120学时`));
    // one row a line: the twelve rows, the seal and the QR code stay on the one page
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/^Pages:\s+1$/m);
  });

  it('gives 50 concurrent issues of one kind 50 distinct consecutive serials', async () => {
    const docs = t.app.get(DocumentsService);
    const reqs = Array.from({ length: 50 }, () => request({ kind: 'practice_certificate', subjectKey: `practice:${Math.random().toString(36).slice(2)}` }));
    await Promise.all(reqs.map((r) => docs.issue(r)));
    const rows: Array<{ serial: string }> = await t.ds.query(`SELECT serial FROM documents WHERE kind = 'practice_certificate' ORDER BY serial`);
    const numbers = rows.map((r) => Number(r.serial.slice(-5)));
    expect(new Set(rows.map((r) => r.serial)).size).toBe(50);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => numbers[0] + i));
  });

  it('issues one document per subject and generation however often the job runs', async () => {
    const req = request({ kind: 'certificate', subjectKey: 'certification:dup' });
    const docs = t.app.get(DocumentsService);
    const results = await Promise.all([docs.issue(req), docs.issue(req), docs.issue(req)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    await issueThroughOutbox([req]);
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM documents WHERE subject_key = 'certification:dup'`)).toEqual([{ n: 1 }]);
  });

  it('re-issues as a new document and revokes the old one, never overwriting it', async () => {
    const req = request({ kind: 'certificate', subjectKey: 'certification:re' });
    await issueThroughOutbox([req]);
    const [old] = await t.ds.query(`SELECT id, serial, sha256, verify_code FROM documents WHERE subject_key = 'certification:re'`);
    const res = await t
      .http()
      .post(`/api/documents/${old.id}/reissue`)
      .set('Authorization', await admin());
    expect(res.status).toBe(202);
    await t.drain();
    const rows = await t.ds.query(
      `SELECT id, generation, serial, sha256, revoked_at IS NOT NULL AS revoked, replaced_by FROM documents WHERE subject_key = 'certification:re' ORDER BY generation`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ serial: old.serial, sha256: old.sha256, revoked: true, replaced_by: rows[1].id });
    expect(rows[1]).toMatchObject({ generation: 2, revoked: false });
    expect(rows[1].serial).not.toBe(old.serial);
    expect((await t.http().get(`/api/verify/${old.verify_code}`)).body).toMatchObject({ status: 'revoked', revokeReason: '已重新签发' });
  });

  it('re-issues with the same wording after the job that made it was purged from the outbox', async () => {
    const req = request({ kind: 'subsidy_notice', subjectKey: 'subsidy:purged', body: '请按规定将补助资金拨付至该企业（测试正文：重新签发不丢失）。' });
    await issueThroughOutbox([req]);
    const [old] = await t.ds.query(`SELECT id FROM documents WHERE subject_key = 'subsidy:purged'`);
    // the outbox keeps processed jobs for 30 days only: this one is gone
    const [, purged] = await t.ds.query(`DELETE FROM outbox WHERE job_name = 'documents.issue' AND payload->>'subjectKey' = 'subsidy:purged'`);
    expect(purged).toBe(1);
    const res = await t
      .http()
      .post(`/api/documents/${old.id}/reissue`)
      .set('Authorization', await admin());
    expect(res.status).toBe(202);
    await t.drain();
    const rows = await t.ds.query(`SELECT id, generation, body, addressee, authority FROM documents WHERE subject_key = 'subsidy:purged' ORDER BY generation`);
    expect(rows.map((r: { generation: number }) => r.generation)).toEqual([1, 2]);
    expect(rows[1]).toMatchObject({ body: req.body, addressee: '鹿城区财政局', authority: '温州市教育局' });
    // the new PDF says the same
    const pdf = await download(rows[1].id, await admin());
    const file = path.join(dir, 'reissued.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const text = execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, '');
    expect(text).toContain('测试正文：重新签发不丢失');
    expect(text).toContain('鹿城区财政局');
    expect(text).not.toContain('（重新签发）');
  });

  it('lets only the holder, reviewers and the county finance download; everyone else gets 404', async () => {
    const req = request();
    await issueThroughOutbox([req]);
    const [doc] = await t.ds.query(`SELECT id FROM documents WHERE subject_key = $1`, [req.subjectKey]);
    for (const [user, status] of [
      ['enterprise', 200],
      ['admin', 200],
      ['city', 200],
      ['finance', 200],
      ['school', 404],
      ['teacher', 404],
      ['expert1', 404],
    ] as const) {
      const res = await t
        .http()
        .get(`/api/documents/${doc.id}/download`)
        .set('Authorization', `Bearer ${await t.token(user)}`);
      expect([user, res.status]).toEqual([user, status]);
    }
    expect((await t.http().get(`/api/documents/${doc.id}/download`)).status).toBe(401);
    expect((await t.http().get('/api/verify/NOTAREALCODE0000000A')).status).toBe(404);
  });

  it('draws user text as text only: no link or action ends up in the PDF', async () => {
    const req = request({
      holderName: '恶意企业 (javascript:alert(1)) /URI (http://evil.example) /JS',
      body: '/Launch /OpenAction <</S/JavaScript/JS(app.alert(1))>>',
    });
    await issueThroughOutbox([req]);
    const [doc] = await t.ds.query(`SELECT blob_key FROM documents WHERE subject_key = $1`, [req.subjectKey]);
    const [{ bytes }] = await t.ds.query(`SELECT bytes FROM blobs WHERE key = $1`, [doc.blob_key]);
    const raw = (bytes as Buffer).toString('latin1');
    for (const marker of ['/URI', '/Launch', '/OpenAction', '/JavaScript', '/JS ', '/Annots']) expect(raw).not.toContain(marker);
  });
});
