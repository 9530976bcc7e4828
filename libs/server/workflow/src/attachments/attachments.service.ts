import { Injectable } from '@nestjs/common';
import { BlobStore, DomainException, safeDisplayFilename, SettingsService } from '@portal/core';
import type { Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import { canReadCase } from '../engine/case-access.js';
import type { CaseRow } from '../engine/case-row.js';
import { WorkflowService } from '../engine/workflow.service.js';
import { listAttachments, toAttachmentDto as toDto, type AttachmentDto } from './attachment.dto.js';

/** What an attachment may be, decided from its bytes (magic numbers), never from its name. */
export const ALLOWED_TYPES: Record<string, { mime: string; label: string }> = {
  pdf: { mime: 'application/pdf', label: 'PDF' },
  jpg: { mime: 'image/jpeg', label: 'JPG' },
  png: { mime: 'image/png', label: 'PNG' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'XLSX' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'DOCX' },
};

/** A display name safe to show and to send back in Content-Disposition: no path, no control or bidi characters. */
export function safeFilename(name: string | undefined, ext: string): string {
  return safeDisplayFilename(name, `附件.${ext}`);
}

/** Files attached to cases: checked by size and magic bytes, stored under server-generated keys. */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly blobs: BlobStore,
    private readonly workflow: WorkflowService,
    private readonly settings: SettingsService,
  ) {}

  async maxBytes(): Promise<number> {
    return (await this.settings.get('attachments.maxMegabytes')) * 1024 * 1024;
  }

  /** Whether the actor may add files to the case now: the applicant while it is theirs to edit, reviewers until it is decided. */
  private async assertCanAttach(actor: Actor, row: CaseRow): Promise<void> {
    const st = this.workflow.definition(row.workflowKey).states[row.state]!;
    if (st.kind === 'final') throw DomainException.conflict('已办结的事项不能再上传附件');
    if (row.ownerOrgId === actor.organisationId) {
      if (st.kind !== 'applicant') throw DomainException.conflict('申请已提交，审核期间不能修改附件；如需补充，请等待退回补正');
      return;
    }
    if (!(await canReadCase(actor, row, this.ds.manager))) throw DomainException.notFound('申请');
  }

  async upload(actor: Actor, workflowKey: string, caseId: number, file: { bytes: Buffer; filename?: string; truncated: boolean }, purpose?: string): Promise<AttachmentDto> {
    const row = await this.workflow.readable(actor, workflowKey, caseId);
    await this.assertCanAttach(actor, row);
    const max = await this.maxBytes();
    if (file.truncated || file.bytes.length > max) throw new DomainException('PAYLOAD_TOO_LARGE', `附件不能超过 ${Math.round(max / 1024 / 1024)} MB`);
    if (file.bytes.length === 0) throw DomainException.validation('附件是空文件', [{ field: 'file', messages: ['空文件'] }]);
    const { fileTypeFromBuffer } = await import('file-type');
    const detected = await fileTypeFromBuffer(file.bytes);
    const type = detected ? ALLOWED_TYPES[detected.ext] : undefined;
    if (!detected || !type) {
      throw new DomainException('UNSUPPORTED_MEDIA_TYPE', `不支持的文件类型${detected ? `（${detected.ext}）` : ''}：只接受 ${Object.values(ALLOWED_TYPES).map((t) => t.label).join('、')}`);
    }
    if (purpose !== undefined && (purpose.length > 100 || /[\u0000-\u001f]/.test(purpose))) throw DomainException.validation('附件用途过长', [{ field: 'purpose', messages: ['不超过 100 字'] }]);
    const r = await this.ds.transaction(async (em) => {
      const blob = await this.blobs.put(file.bytes, em);
      const [inserted]: Array<Record<string, unknown>> = await em.query(
        `INSERT INTO attachments (case_id, owner_org_id, uploaded_by, purpose, filename, blob_key, mime, size, sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [row.id, row.ownerOrgId, actor.id, purpose ?? null, safeFilename(file.filename, detected.ext), blob.key, type.mime, blob.size, blob.sha256],
      );
      return inserted!;
    });
    return toDto(r);
  }

  async forCase(actor: Actor, workflowKey: string, caseId: number): Promise<AttachmentDto[]> {
    const row = await this.workflow.readable(actor, workflowKey, caseId);
    return listAttachments(this.ds.manager, row.id);
  }

  /** Bytes and metadata, for the case's parties and reviewers only (others: 404). */
  async download(actor: Actor, id: number): Promise<{ meta: AttachmentDto; bytes: Buffer }> {
    const [r]: Array<Record<string, unknown>> = await this.ds.query(`SELECT a.*, c.workflow_key FROM attachments a JOIN cases c ON c.id = a.case_id WHERE a.id = $1`, [id]);
    if (!r) throw DomainException.notFound('附件');
    await this.workflow.readable(actor, r.workflow_key as string, Number(r.case_id));
    const bytes = await this.blobs.get(r.blob_key as string);
    if (!bytes) throw DomainException.notFound('附件内容');
    return { meta: toDto(r), bytes };
  }

  async remove(actor: Actor, id: number): Promise<AttachmentDto> {
    const [r]: Array<Record<string, unknown>> = await this.ds.query(`SELECT a.*, c.workflow_key FROM attachments a JOIN cases c ON c.id = a.case_id WHERE a.id = $1`, [id]);
    if (!r) throw DomainException.notFound('附件');
    const row = await this.workflow.readable(actor, r.workflow_key as string, Number(r.case_id));
    await this.assertCanAttach(actor, row);
    if (r.uploaded_by !== actor.id && row.ownerOrgId !== actor.organisationId) throw DomainException.forbidden('只能删除本单位上传的附件');
    // submitted snapshots refer to the blob: only the attachment row goes, the bytes stay
    await this.ds.query(`DELETE FROM attachments WHERE id = $1`, [id]);
    return toDto(r);
  }
}
