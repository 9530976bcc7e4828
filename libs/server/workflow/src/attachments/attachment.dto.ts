import { REVIEW_ATTACHMENT_PURPOSE, type AttachmentDto } from '@portal/contracts';
import type { EntityManager } from 'typeorm';

export type { AttachmentDto };

export const toAttachmentDto = (r: Record<string, unknown>): AttachmentDto => ({
  id: Number(r.id),
  caseId: Number(r.case_id),
  purpose: r.purpose as string | null,
  filename: r.filename as string,
  mime: r.mime as string,
  size: r.size as number,
  sha256: r.sha256 as string,
  uploadedBy: r.uploaded_by as number,
  createdAt: (r.created_at as Date).toISOString(),
  // only on a file kept for an earlier submission's history
  ...(r.removed_at ? { removedAt: (r.removed_at as Date).toISOString(), replacedBy: r.replaced_by === null ? null : Number(r.replaced_by) } : {}),
});

/**
 * The attachments of a case now (files removed or replaced after a submission are left out). `panel`: who may see
 * panel members' confidential files — 'all' (city reviewers), a user id (their own only), or none.
 */
export async function listAttachments(em: EntityManager, caseId: number, panel: 'all' | number | 'none' = 'none'): Promise<AttachmentDto[]> {
  const rows: Array<Record<string, unknown>> = await em.query(
    `SELECT * FROM attachments WHERE case_id = $1 AND removed_at IS NULL AND ($2 = 'all' OR NOT panel_only OR uploaded_by = $3::int) ORDER BY id`,
    [caseId, panel === 'all' ? 'all' : 'some', typeof panel === 'number' ? panel : null],
  );
  return rows.map(toAttachmentDto);
}

/** The applicant's files of a case, as a submission snapshot records them (review opinions and panel files are not part of it). */
export async function applicantAttachments(em: EntityManager, caseId: number): Promise<AttachmentDto[]> {
  const rows: Array<Record<string, unknown>> = await em.query(
    `SELECT * FROM attachments WHERE case_id = $1 AND removed_at IS NULL AND NOT panel_only AND purpose IS DISTINCT FROM $2 ORDER BY id`,
    [caseId, REVIEW_ATTACHMENT_PURPOSE],
  );
  return rows.map(toAttachmentDto);
}

/** The purposes the case's current applicant files cover (for checks such as "the checklist is complete"). */
export async function livePurposes(em: EntityManager, caseId: number): Promise<string[]> {
  const rows: Array<{ purpose: string }> = await em.query(
    `SELECT DISTINCT purpose FROM attachments WHERE case_id = $1 AND removed_at IS NULL AND purpose IS NOT NULL AND purpose <> $2`,
    [caseId, REVIEW_ATTACHMENT_PURPOSE],
  );
  return rows.map((r) => r.purpose);
}

/** A submission freezes the applicant's current files: from now on they are kept for its history. */
export async function freezeAttachments(em: EntityManager, caseId: number, submission: number): Promise<AttachmentDto[]> {
  await em.query(
    `UPDATE attachments SET submitted_in = $2 WHERE case_id = $1 AND submitted_in IS NULL AND removed_at IS NULL AND purpose IS DISTINCT FROM $3`,
    [caseId, submission, REVIEW_ATTACHMENT_PURPOSE],
  );
  return applicantAttachments(em, caseId);
}
