import { CERTIFICATION_CHECKLIST, ORDER_CLASS_CHECKLIST } from '@portal/contracts';
import { PostgresBlobStore } from '@portal/core';
import { documentFonts, pdfBytes } from '@portal/documents';
import PDFDocument from 'pdfkit';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The applicants' files of a generated city (attachments, their bytes in blobs through the BlobStore as uploads are):
 * each checklist item of a submitted application, order class or record proposal holds a small placeholder PDF
 * naming what it stands for, uploaded before the first submission and frozen by it (submitted_in, and the
 * submissions' snapshots list them as the engine's freezeAttachments does); a draft holds part of its checklist.
 * At most ATTACHED_CASES cases of each workflow get files (the newest first): every case of the demo city, a sample of
 * the benchmark city's, whose other cases read as not yet uploaded.
 */
export const ATTACHED_CASES = 400;

/** What each workflow's applicant uploads: its checklist (AttachmentChecklist, the order class's registration gaps, the record's guard). */
const CHECKLISTS: Record<string, ReadonlyArray<{ purpose: string; label: string }>> = {
  certification: CERTIFICATION_CHECKLIST,
  'order-class': ORDER_CLASS_CHECKLIST,
  'certification-record': [{ purpose: 'published_list', label: '公布名单或认定文件' }],
};

/** A one-page PDF: the item, the organisation and the case it was uploaded for, marked as demo data. */
function placeholderPdf(label: string, org: string, title: string): Promise<Buffer> {
  const { regular } = documentFonts();
  const doc = new PDFDocument({ size: 'A4', margin: 72, info: { Title: label, Producer: '温州市产教融合平台演示数据' } });
  doc.registerFont('regular', regular as never);
  const done = pdfBytes(doc);
  doc
    .font('regular')
    .fontSize(22)
    .text(label, { align: 'center' })
    .moveDown()
    .fontSize(12)
    .text(org)
    .text(title)
    .moveDown()
    .fillColor('#888888')
    .text('演示数据');
  doc.end();
  return done;
}

/** The files of the cases this run generated (ids from `fromCaseId` on). */
export async function seedAttachments(em: EntityManager, ds: DataSource, fromCaseId: number): Promise<number> {
  const cases = await em.query<
    Array<{ id: string; workflow_key: string; owner_org_id: number; created_by: number; submissions: number; title: string; org: string; at: Date }>
  >(
    `SELECT * FROM (
       SELECT c.id, c.workflow_key, c.owner_org_id, c.created_by, c.submissions, c.title, o.name AS org,
              -- uploaded between the case's creation and its first submission (or now, a draft's)
              c.created_at + (coalesce(s.submitted_at, c.updated_at) - c.created_at) / 2 AS at,
              row_number() OVER (PARTITION BY c.workflow_key ORDER BY c.created_at DESC, c.id) AS k
         FROM cases c JOIN organisations o ON o.id = c.owner_org_id
         LEFT JOIN case_snapshots s ON s.case_id = c.id AND s.seq = 1
        WHERE c.id >= $1 AND c.workflow_key = ANY($2)
          -- the city records a provincial certification itself: nothing uploaded
          AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'record')) x
      WHERE x.k <= $3 ORDER BY x.id`,
    [fromCaseId, Object.keys(CHECKLISTS), ATTACHED_CASES],
  );
  const blobs = new PostgresBlobStore(ds);
  const rows: unknown[][] = [];
  for (const c of cases) {
    const checklist = CHECKLISTS[c.workflow_key];
    // a draft is still being filled in: the first half of its checklist
    const items = c.submissions > 0 ? checklist : checklist.slice(0, Math.ceil(checklist.length / 2));
    for (const item of items) {
      const blob = await blobs.put(await placeholderPdf(item.label, c.org, c.title), em);
      rows.push([
        c.id,
        c.owner_org_id,
        c.created_by,
        item.purpose,
        `${item.label}.pdf`,
        blob.key,
        blob.size,
        blob.sha256,
        c.at.toISOString(),
        c.submissions > 0 ? 1 : null,
      ]);
    }
  }
  const ids: Array<{ id: string }> = [];
  for (let at = 0; at < rows.length; at += 5_000) {
    const batch = rows.slice(at, at + 5_000);
    const col = (i: number) => batch.map((r) => r[i]);
    ids.push(
      ...(await em.query<Array<{ id: string }>>(
        `INSERT INTO attachments (case_id, owner_org_id, uploaded_by, purpose, filename, blob_key, mime, size, sha256, created_at, submitted_in)
         SELECT u.case_id, u.owner_org_id, u.uploaded_by, u.purpose, u.filename, u.blob_key, 'application/pdf', u.size, u.sha256, u.created_at, u.submitted_in
           FROM unnest($1::bigint[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::timestamptz[], $10::int[])
             AS u(case_id, owner_org_id, uploaded_by, purpose, filename, blob_key, size, sha256, created_at, submitted_in)
         RETURNING id`,
        [col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7), col(8), col(9)],
      )),
    );
  }
  // every submission's snapshot lists the files it froze (AttachmentDto, as freezeAttachments answers them)
  await em.query(
    `UPDATE case_snapshots s SET data = jsonb_set(s.data, '{attachments}', f.files)
       FROM (SELECT a.case_id, jsonb_agg(jsonb_build_object('id', a.id, 'caseId', a.case_id, 'purpose', a.purpose, 'filename', a.filename, 'mime', a.mime,
                      'size', a.size, 'sha256', a.sha256, 'uploadedBy', a.uploaded_by,
                      'createdAt', to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY a.id) AS files
               FROM attachments a WHERE a.id = ANY($1::bigint[]) AND a.submitted_in IS NOT NULL GROUP BY a.case_id) f
      WHERE s.case_id = f.case_id`,
    [ids.map((r) => r.id)],
  );
  return ids.length;
}
