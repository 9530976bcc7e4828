import { Injectable } from '@nestjs/common';
import { REVIEW_ATTACHMENT_PURPOSE } from '@portal/contracts';
import { BlobStore, DomainException, safeDisplayFilename, SettingsService } from '@portal/core';
import type { Actor } from '@portal/identity';
import { DataSource, type EntityManager } from 'typeorm';
import { canReadCase } from '../engine/case-access.js';
import { seesPanel } from '../engine/panel-privacy.js';
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

/** An upload, read and checked (size, type, name) before anything is written. */
interface CheckedFile {
  bytes: Buffer;
  filename: string;
  mime: string;
}

/**
 * Files attached to cases: checked by size and magic bytes, stored under server-generated keys. Every
 * write locks the case row (as `act()` does), so what the applicant may change is decided in the same
 * transaction that a submission freezes it in. A file a submission froze is kept for that submission's
 * history when it is removed or replaced; any other file goes with its bytes.
 */
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

  /** The case, locked for this transaction, if the actor may read it (else a 404 that does not say whether it exists). */
  private async lockedCase(em: EntityManager, actor: Actor, workflowKey: string, caseId: number): Promise<CaseRow> {
    const row = await this.workflow.loadRow(em, workflowKey, caseId, true);
    if (!row || !(await canReadCase(actor, row, em))) throw DomainException.notFound('申请');
    return row;
  }

  /**
   * Whether the actor may add a file with this purpose now: the applicant while the case is theirs to edit
   * (never a review opinion); reviewers and experts only a review opinion, never into the applicant's
   * checklist or materials; nobody once it is decided.
   */
  private assertCanAttach(actor: Actor, row: CaseRow, purpose: string | undefined): void {
    const st = this.workflow.definition(row.workflowKey).states[row.state];
    if (st.kind === 'final') throw DomainException.conflict('已办结的事项不能再上传附件');
    if (row.ownerOrgId === actor.organisationId) {
      if (st.kind !== 'applicant') throw DomainException.conflict('申请已提交，审核期间不能修改附件；如需补充，请等待退回补正');
      if (purpose === REVIEW_ATTACHMENT_PURPOSE) throw DomainException.forbidden('审核意见附件只能由审核人员上传');
      return;
    }
    if (purpose !== REVIEW_ATTACHMENT_PURPOSE) {
      throw DomainException.forbidden('申请材料（含材料清单各项、补正材料）只能由申请单位上传；审核人员和评审专家只能上传审核意见附件（用途 review_opinion）');
    }
  }

  /** Size, type (from the bytes) and purpose, checked before the transaction. */
  private async check(file: { bytes: Buffer; filename?: string; truncated: boolean }, purpose: string | undefined): Promise<CheckedFile> {
    const max = await this.maxBytes();
    if (file.truncated || file.bytes.length > max) throw new DomainException('PAYLOAD_TOO_LARGE', `附件不能超过 ${Math.round(max / 1024 / 1024)} MB`);
    if (file.bytes.length === 0) throw DomainException.validation('附件是空文件', [{ field: 'file', messages: ['空文件'] }]);
    const { fileTypeFromBuffer } = await import('file-type');
    const detected = await fileTypeFromBuffer(file.bytes);
    const type = detected ? ALLOWED_TYPES[detected.ext] : undefined;
    if (!detected || !type) {
      throw new DomainException(
        'UNSUPPORTED_MEDIA_TYPE',
        `不支持的文件类型${detected ? `（${detected.ext}）` : ''}：只接受 ${Object.values(ALLOWED_TYPES)
          .map((t) => t.label)
          .join('、')}`,
      );
    }
    if (purpose !== undefined && (purpose.length > 100 || Array.from(purpose).some((ch) => ch < ' ')))
      throw DomainException.validation('附件用途过长', [{ field: 'purpose', messages: ['不超过 100 字'] }]);
    return { bytes: file.bytes, filename: safeFilename(file.filename, detected.ext), mime: type.mime };
  }

  /**
   * Attach a file. For a checklist item already holding as many files as attachments.maxPerChecklistItem
   * allows, the new file replaces the one named by `replaces` (or the only one); the case holds at most
   * attachments.maxPerCase files.
   */
  async upload(
    actor: Actor,
    workflowKey: string,
    caseId: number,
    file: { bytes: Buffer; filename?: string; truncated: boolean },
    purpose?: string,
    replaces?: number,
  ): Promise<AttachmentDto> {
    // a first look outside the transaction: strangers get their 404 before the bytes are examined
    const seen = await this.workflow.readable(actor, workflowKey, caseId);
    this.assertCanAttach(actor, seen, purpose);
    const checked = await this.check(file, purpose);
    const result = await this.ds.transaction(async (em) => {
      const row = await this.lockedCase(em, actor, workflowKey, caseId);
      this.assertCanAttach(actor, row, purpose);
      const limits = await this.settings.all(em);
      const def = this.workflow.definition(workflowKey);
      const item = def.checklist?.find((c) => c.purpose === purpose);
      const live: Array<{ id: string; purpose: string | null }> = await em.query(
        `SELECT id, purpose FROM attachments WHERE case_id = $1 AND removed_at IS NULL ORDER BY id`,
        [row.id],
      );
      const samePurpose = live.filter((a) => a.purpose === (purpose ?? null));
      let target: number | undefined;
      if (replaces !== undefined) {
        if (!samePurpose.some((a) => Number(a.id) === replaces))
          throw DomainException.validation('要替换的文件不是本事项同一用途的现有附件', [{ field: 'replaces', messages: ['不是同一用途的现有附件'] }]);
        target = replaces;
      } else if (item && samePurpose.length >= limits['attachments.maxPerChecklistItem']) {
        if (samePurpose.length !== 1) {
          throw DomainException.conflict(`“${item.label}”最多 ${limits['attachments.maxPerChecklistItem']} 个文件，请先删除一个或指定要替换的文件`, {
            field: 'replaces',
          });
        }
        target = Number(samePurpose[0].id);
      }
      if (target === undefined && live.length >= limits['attachments.maxPerCase']) {
        throw DomainException.conflict(`每个事项最多上传 ${limits['attachments.maxPerCase']} 个附件，请先删除不需要的附件`);
      }
      const blob = await this.blobs.put(checked.bytes, em);
      // a panel member's file (a score sheet, notes) is as confidential as their score
      const [seat]: unknown[] =
        seesPanel(actor) || row.ownerOrgId === actor.organisationId
          ? []
          : await em.query(`SELECT 1 FROM tasks WHERE case_id = $1 AND kind = 'panel' AND assignee_id = $2 LIMIT 1`, [row.id, actor.id]);
      const [inserted]: Array<Record<string, unknown>> = await em.query(
        `INSERT INTO attachments (case_id, owner_org_id, uploaded_by, purpose, filename, blob_key, mime, size, sha256, panel_only)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [row.id, row.ownerOrgId, actor.id, purpose ?? null, checked.filename, blob.key, checked.mime, blob.size, blob.sha256, Boolean(seat)],
      );
      if (target !== undefined) await this.retire(em, target, actor, Number(inserted.id));
      return inserted;
    });
    return toDto(result);
  }

  /**
   * Take a file off the case. Frozen by a submission: it stays (marked removed, and by what it was
   * replaced) with its bytes for that submission's history. Never submitted: the row and its bytes go, in
   * this transaction.
   */
  private async retire(em: EntityManager, id: number, actor: Actor, replacedBy?: number): Promise<void> {
    const [a]: Array<{ submitted_in: number | null; blob_key: string }> = await em.query(`SELECT submitted_in, blob_key FROM attachments WHERE id = $1`, [id]);
    if (!a) return;
    if (a.submitted_in !== null) {
      await em.query(`UPDATE attachments SET removed_at = now(), removed_by = $2, replaced_by = $3 WHERE id = $1`, [id, actor.id, replacedBy ?? null]);
      return;
    }
    // an earlier file this one had replaced now points at its successor
    if (replacedBy !== undefined) await em.query(`UPDATE attachments SET replaced_by = $2 WHERE replaced_by = $1`, [id, replacedBy]);
    await em.query(`DELETE FROM attachments WHERE id = $1`, [id]);
    await this.blobs.delete(a.blob_key, em);
  }

  async forCase(actor: Actor, workflowKey: string, caseId: number): Promise<AttachmentDto[]> {
    const row = await this.workflow.readable(actor, workflowKey, caseId);
    return listAttachments(this.ds.manager, row.id, seesPanel(actor) ? 'all' : actor.id);
  }

  /** Bytes and metadata, for the case's parties and reviewers only (others: 404); files kept for history included. */
  async download(actor: Actor, id: number): Promise<{ meta: AttachmentDto; bytes: Buffer }> {
    const [r]: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT a.*, c.workflow_key FROM attachments a JOIN cases c ON c.id = a.case_id WHERE a.id = $1`,
      [id],
    );
    if (!r) throw DomainException.notFound('附件');
    await this.workflow.readable(actor, r.workflow_key as string, Number(r.case_id));
    if (r.panel_only && r.uploaded_by !== actor.id && !seesPanel(actor)) throw DomainException.notFound('附件');
    const bytes = await this.blobs.get(r.blob_key as string);
    if (!bytes) throw DomainException.notFound('附件内容');
    return { meta: toDto(r), bytes };
  }

  async remove(actor: Actor, id: number): Promise<AttachmentDto> {
    const [first]: Array<{ case_id: string; workflow_key: string }> = await this.ds.query(
      `SELECT a.case_id, c.workflow_key FROM attachments a JOIN cases c ON c.id = a.case_id WHERE a.id = $1 AND a.removed_at IS NULL`,
      [id],
    );
    if (!first) throw DomainException.notFound('附件');
    return this.ds.transaction(async (em) => {
      const row = await this.lockedCase(em, actor, first.workflow_key, Number(first.case_id));
      const [r]: Array<Record<string, unknown>> = await em.query(`SELECT * FROM attachments WHERE id = $1 AND removed_at IS NULL`, [id]);
      if (!r) throw DomainException.notFound('附件');
      const st = this.workflow.definition(row.workflowKey).states[row.state];
      if (st.kind === 'final') throw DomainException.conflict('已办结的事项不能再修改附件');
      if (row.ownerOrgId === actor.organisationId) {
        if (st.kind !== 'applicant') throw DomainException.conflict('申请已提交，审核期间不能修改附件；如需补充，请等待退回补正');
      } else if (r.uploaded_by !== actor.id) {
        throw DomainException.forbidden('只能删除本单位上传的附件');
      }
      await this.retire(em, id, actor);
      return toDto(r);
    });
  }
}
