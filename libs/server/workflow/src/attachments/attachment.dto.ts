import type { AttachmentDto } from '@portal/contracts';
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
});

/**
 * The attachments of a case. `panel`: who may see panel members' confidential files — 'all' (city
 * reviewers), a user id (their own only), or none (what a submission snapshot records: the applicant's case).
 */
export async function listAttachments(em: EntityManager, caseId: number, panel: 'all' | number | 'none' = 'none'): Promise<AttachmentDto[]> {
  const rows: Array<Record<string, unknown>> = await em.query(
    `SELECT * FROM attachments WHERE case_id = $1 AND ($2 = 'all' OR NOT panel_only OR uploaded_by = $3::int) ORDER BY id`,
    [caseId, panel === 'all' ? 'all' : 'some', typeof panel === 'number' ? panel : null],
  );
  return rows.map(toAttachmentDto);
}
