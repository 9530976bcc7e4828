import {
  CERTIFICATION_CHECKLIST,
  ORDER_CLASS_CHECKLIST,
  REVIEW_ATTACHMENT_PURPOSE,
  type CaseSummaryDto,
  type MeDto,
  type WorkflowDefinitionDto,
} from '@portal/contracts';
import type { PortalApi } from '../common/api';
import { casePath, type AttachmentDto } from './hooks';
import { stateOf } from './stages';

/** Purposes with a name: the checklists (certification, order classes), the published list of a record, and 其他. */
export const PURPOSE_LABELS: Record<string, string> = {
  ...Object.fromEntries(CERTIFICATION_CHECKLIST.map((c) => [c.purpose, c.label])),
  ...Object.fromEntries(ORDER_CLASS_CHECKLIST.map((c) => [c.purpose, c.label])),
  published_list: '公布名单或认定文件',
  supplement: '补正材料',
  [REVIEW_ATTACHMENT_PURPOSE]: '审核意见附件',
  other: '其他材料',
};

export const purposeLabel = (purpose: string | null | undefined): string => (purpose ? (PURPOSE_LABELS[purpose] ?? purpose) : PURPOSE_LABELS.other);

/**
 * The required materials (the definition's checklist) that have no file yet, in the checklist's order: what the
 * workflow's guard will refuse a submission for. Empty when the workflow has no checklist or all are there.
 */
export function missingMaterials(
  def: Pick<WorkflowDefinitionDto, 'checklist'> | undefined,
  files: ReadonlyArray<Pick<AttachmentDto, 'purpose'>> | undefined,
): Array<{ purpose: string; label: string }> {
  const present = new Set((files ?? []).map((f) => f.purpose));
  return (def?.checklist ?? []).filter((c) => !present.has(c.purpose));
}

export const ACCEPTED_FILES = '.pdf,.jpg,.jpeg,.png,.xlsx,.docx,application/pdf,image/jpeg,image/png';

export function uploadAttachment(api: PortalApi, ref: string, file: File, purpose: string): Promise<AttachmentDto> {
  const form = new FormData();
  form.append('purpose', purpose);
  form.append('file', file, file.name);
  return api.post<AttachmentDto>(casePath(ref, '/attachments'), form);
}

/**
 * Whether this user may add or remove attachments now (mirrors the server's rule, which decides): never once
 * the case is closed; the applicant only while it is theirs to edit; reviewers while it is open, and then
 * only review opinions (see `uploadPurposes`).
 */
export function canAttach(c: CaseSummaryDto | undefined, def: WorkflowDefinitionDto | undefined, me: MeDto | undefined): boolean {
  if (!c || !def || !me) return false;
  const kind = stateOf(def, c.state)?.kind;
  if (!kind || kind === 'final') return false;
  if (me.organisationId === c.ownerOrgId) return kind === 'applicant';
  return true;
}

/**
 * The purposes this user may upload with (the server refuses others with a 403): reviewers and experts a
 * review opinion only; the applicant anything but a review opinion.
 */
export function uploadPurposes<T extends { purpose: string }>(options: readonly T[], c: CaseSummaryDto | undefined, me: MeDto | undefined): T[] {
  const applicant = !!me && !!c && me.organisationId === c.ownerOrgId;
  return options.filter((o) => (o.purpose === REVIEW_ATTACHMENT_PURPOSE) !== applicant);
}

export function canDelete(a: AttachmentDto, c: CaseSummaryDto | undefined, def: WorkflowDefinitionDto | undefined, me: MeDto | undefined): boolean {
  return canAttach(c, def, me) && !!me && (a.uploadedBy === me.id || me.organisationId === c?.ownerOrgId);
}
