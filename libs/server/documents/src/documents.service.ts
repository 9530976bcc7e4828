import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  DOCUMENT_KINDS,
  DOCUMENT_STATUS_LABELS,
  type DocumentBatchDto,
  type DocumentBatchState,
  type DocumentDto,
  type DocumentKind,
  type DocumentRequest,
  type DocumentStatus,
  portalDate,
  type ReissueDto,
  type VerificationDto,
} from '@portal/contracts';
import { AppConfig, BlobStore, DomainException, JobsService, MAX_ATTEMPTS, OutboxService } from '@portal/core';
import { hasRole, isAdmin, managesOrganisation, type Actor } from '@portal/identity';
import { anyCaseReadScope } from '@portal/workflow';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { renderDocument } from './render/template.js';

interface DocumentRow {
  id: string;
  kind: DocumentKind;
  serial: string;
  subject_key: string;
  generation: number;
  case_id: string | null;
  holder_org_id: number;
  /** the person a document is about (a teacher's practice certificate), if any */
  holder_user_id: number | null;
  holder_name: string;
  county_code: string | null;
  authority: string;
  facts: DocumentRequest['facts'];
  issued_at: Date;
  valid_until: Date | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
  sha256: string;
  size: number;
  blob_key: string;
  verify_code: string;
  body: string | null;
  addressee: string | null;
  /** what became of the subject (document_subjects), e.g. 已追回 */
  subject_label: string | null;
}

/** The advisory lock class a batch run holds (with the batch id) while it works. */
const BATCH_LOCK = 724_300;

/**
 * Documents read by exactly those who may read their case (canReadCase), not by every user of the holder
 * organisation: the 订单班备案回执 is the school's admins', the partner enterprise's and the reviewers' (as the
 * class is), never a teacher's of the school. The public verification page still answers for it with its minimum.
 * Each such kind names the workflow of its case (whose read rule applies).
 */
const READ_WITH_CASE: Partial<Record<DocumentKind, string>> = { order_class_receipt: 'order-class' };

/**
 * Who may see a document, as one SQL condition on `d` (null: every document) whose parameters are pushed onto
 * `params`: the one rule of the list, getOne, download, revoke and reissue, so that a listed document always opens.
 * - admins and city reviewers: every document;
 * - a document read with its case (READ_WITH_CASE): whoever may read the case (canReadCase), nobody else;
 * - any other, in the holder organisation: an organisation's document its users; a person's document (a teacher's
 *   practice certificate) the person and the organisation's managers, not every colleague;
 * - outside the holder organisation: the finance officials of the county a subsidy notice is addressed to (city-level
 *   ones every notice), and county reviewers and experts a document whose case they may read (canReadCase: a county
 *   reviewer a submitted case of their county, an expert one they hold or held a task on).
 */
function readScope(actor: Actor, params: unknown[]): string | null {
  if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) return null;
  const cases = anyCaseReadScope(actor, params.length + 1);
  params.push(...cases.params);
  // correlated (the document's own case by its key): opening one document reads one case, not every case the actor may read
  const caseReadable = `EXISTS (SELECT 1 FROM cases c WHERE c.id = d.case_id AND ${cases.sql})`;
  const withCase = `(d.kind = ANY ($${params.push(Object.keys(READ_WITH_CASE))}::text[]) AND d.case_id IS NOT NULL)`;
  const own = `d.holder_org_id = $${params.push(actor.organisationId)}`;
  const ownReads = managesOrganisation(actor, actor.organisationId) ? 'true' : `(d.holder_user_id IS NULL OR d.holder_user_id = $${params.push(actor.id)})`;
  const outside: string[] = [];
  if (hasRole(actor, 'finance'))
    outside.push(
      actor.jurisdiction === null ? `d.kind = 'subsidy_notice'` : `(d.kind = 'subsidy_notice' AND d.county_code = $${params.push(actor.jurisdiction)})`,
    );
  if (hasRole(actor, 'county_reviewer', 'expert')) outside.push(`(d.case_id IS NOT NULL AND ${caseReadable})`);
  return `((${withCase} AND ${caseReadable}) OR (NOT ${withCase} AND ((${own} AND ${ownReads}) OR (NOT ${own} AND (${outside.join(' OR ') || 'false'})))))`;
}

/** A document with what is known of its subject. */
const SELECT = `SELECT d.*, ds.status_label AS subject_label FROM documents d LEFT JOIN document_subjects ds ON ds.kind = d.kind AND ds.subject_key = d.subject_key`;

/** A verification code: 20 characters of Crockford base32 (100 bits), unguessable and easy to type. */
export function verificationCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...randomBytes(20)].map((b) => alphabet[b & 31]).join('');
}

export function statusOf(r: Pick<DocumentRow, 'revoked_at' | 'valid_until'>, now = new Date()): DocumentStatus {
  if (r.revoked_at) return 'revoked';
  if (r.valid_until && r.valid_until < now) return 'expired';
  return 'valid';
}

/** The status in words: a revoked document says what became of its subject when that is known (已追回…). */
export function statusLabelOf(r: Pick<DocumentRow, 'revoked_at' | 'valid_until' | 'subject_label'>, now = new Date()): string {
  const status = statusOf(r, now);
  return status === 'revoked' && r.subject_label ? r.subject_label : DOCUMENT_STATUS_LABELS[status];
}

/** The portal's calendar year of an instant (serials run per kind and year). */
function portalYear(d: Date): number {
  return Number(portalDate(d).slice(0, 4));
}

/**
 * Documents: issued only by the worker's 'documents.issue' job (one per kind, subject and generation,
 * guaranteed by a unique key), numbered gap-free per kind and year, hashed, stored as blobs, verified
 * publicly by a random code, revoked with a reason, re-issued as a new generation.
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly blobs: BlobStore,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly jobs: JobsService,
  ) {}

  verifyUrl(code: string): string {
    return `${this.config.publicBaseUrl}/verify/${code}`;
  }

  toDto(r: DocumentRow): DocumentDto {
    return {
      id: Number(r.id),
      kind: r.kind,
      kindLabel: DOCUMENT_KINDS[r.kind].label,
      serial: r.serial,
      subjectKey: r.subject_key,
      generation: r.generation,
      caseId: r.case_id === null ? null : Number(r.case_id),
      holderOrgId: r.holder_org_id,
      holderName: r.holder_name,
      issuedAt: r.issued_at.toISOString(),
      validUntil: r.valid_until?.toISOString() ?? null,
      status: statusOf(r),
      statusLabel: statusLabelOf(r),
      revokedAt: r.revoked_at?.toISOString() ?? null,
      revokeReason: r.revoke_reason,
      sha256: r.sha256,
      size: r.size,
      verifyUrl: this.verifyUrl(r.verify_code),
    };
  }

  /**
   * The 'documents.issue' job. Idempotent: a retried job finds its document and stops. The serial is
   * taken inside the transaction that stores the document, so a failure rolls the number back (no gaps)
   * and concurrent issues get consecutive numbers.
   */
  async issue(req: DocumentRequest): Promise<{ id: number; created: boolean }> {
    const existing = await this.find(this.ds.manager, req.kind, req.subjectKey, req.generation);
    if (existing) return { id: Number(existing.id), created: false };
    try {
      const id = await this.ds.transaction(async (em) => {
        // now, or the past instant the request names (a generated history); never a date still to come
        const issuedAt = req.issuedAt && Date.parse(req.issuedAt) < Date.now() ? new Date(req.issuedAt) : new Date();
        const year = portalYear(issuedAt);
        const [{ last }]: Array<{ last: number }> = await em.query(
          `INSERT INTO document_serials (kind, year, last) VALUES ($1, $2, 1)
           ON CONFLICT (kind, year) DO UPDATE SET last = document_serials.last + 1 RETURNING last`,
          [req.kind, year],
        );
        const serial = `${DOCUMENT_KINDS[req.kind].serialPrefix}-${year}-${String(last).padStart(5, '0')}`;
        const code = verificationCode();
        const pdf = await renderDocument(req, { serial, issuedAt, verifyUrl: this.verifyUrl(code) });
        const blob = await this.blobs.put(pdf, em);
        const [row]: Array<{ id: string }> = await em.query(
          `INSERT INTO documents (kind, serial, subject_key, generation, case_id, holder_org_id, holder_user_id, holder_name, county_code, authority, facts,
                                  issued_at, valid_until, sha256, size, blob_key, verify_code, batch_id, body, addressee)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
          [
            req.kind,
            serial,
            req.subjectKey,
            req.generation,
            req.caseId ?? null,
            req.holderOrgId,
            req.holderUserId ?? null,
            req.holderName,
            req.countyCode ?? null,
            req.authority,
            JSON.stringify(req.facts),
            issuedAt,
            req.validUntil ?? null,
            blob.sha256,
            blob.size,
            blob.key,
            code,
            req.batchId ?? null,
            req.body,
            req.addressee ?? null,
          ],
        );
        // its subject was revoked before it was issued (a retried job, a queue that ran out of order): it
        // is born revoked, so the verification page never shows a revoked subject as valid
        await em.query(
          `UPDATE documents d SET revoked_at = s.revoked_at, revoke_reason = s.revoke_reason FROM document_subjects s
            WHERE d.id = $1 AND s.kind = d.kind AND s.subject_key = d.subject_key AND s.revoked_at IS NOT NULL`,
          [row.id],
        );
        if (req.notify) {
          await this.outbox.enqueue(
            em,
            'notify',
            {
              kind: 'document_issued',
              title: req.notify.title,
              body: req.notify.body ?? `${DOCUMENT_KINDS[req.kind].label} ${serial}`,
              roles: req.notify.roles,
              countyCode: req.notify.countyCode,
              organisationId: req.notify.organisationId,
              caseId: req.notify.caseId ?? req.caseId,
            },
            { dedupeKey: `document-issued:${row.id}` },
          );
        }
        // a re-issue replaces the earlier generation: revoked, pointing at its successor, never overwritten
        if (req.generation > 1) {
          await em.query(
            `UPDATE documents SET revoked_at = coalesce(revoked_at, now()), revoke_reason = coalesce(revoke_reason, '已重新签发'), replaced_by = $4
              WHERE kind = $1 AND subject_key = $2 AND generation < $3 AND replaced_by IS NULL`,
            [req.kind, req.subjectKey, req.generation, row.id],
          );
        }
        return Number(row.id);
      });
      return { id, created: true };
    } catch (e) {
      // the same document issued concurrently by a duplicate job: the unique key kept one
      const again = e instanceof QueryFailedError ? await this.find(this.ds.manager, req.kind, req.subjectKey, req.generation) : undefined;
      if (again) return { id: Number(again.id), created: false };
      throw e;
    }
  }

  /** The standing (latest) document of a subject, if one has been issued (for features that show it). */
  /**
   * The valid (not revoked) document of each subject that has one, by subject key: its latest generation's id,
   * in one statement whatever the number of subjects (a feature's list page shows its certificates with it).
   */
  async validIds(kind: DocumentKind, subjectKeys: readonly string[]): Promise<Map<string, number>> {
    if (!subjectKeys.length) return new Map();
    const rows = await this.ds.query<Array<{ subject_key: string; id: string }>>(
      `SELECT DISTINCT ON (subject_key) subject_key, id FROM documents
        WHERE kind = $1 AND subject_key = ANY($2) AND revoked_at IS NULL ORDER BY subject_key, generation DESC`,
      [kind, subjectKeys],
    );
    return new Map(rows.map((r) => [r.subject_key, Number(r.id)]));
  }

  async ofSubject(kind: DocumentKind, subjectKey: string): Promise<DocumentDto | null> {
    const [r] = await this.ds.query<Array<{ generation: number }>>(`SELECT max(generation) AS generation FROM documents WHERE kind = $1 AND subject_key = $2`, [
      kind,
      subjectKey,
    ]);
    const row = r?.generation ? await this.find(this.ds.manager, kind, subjectKey, r.generation) : undefined;
    return row ? this.toDto(row) : null;
  }

  private async find(em: EntityManager, kind: string, subjectKey: string, generation: number): Promise<DocumentRow | undefined> {
    const [r]: DocumentRow[] = await em.query(`SELECT * FROM documents WHERE kind = $1 AND subject_key = $2 AND generation = $3`, [
      kind,
      subjectKey,
      generation,
    ]);
    return r;
  }

  /**
   * The 'documents.revoke' job: every document of the subject is revoked (the verification page says so at
   * once), and so is any issued later. `statusLabel` says what became of the subject (已追回…); a later call
   * for a subject already revoked only updates it (a subsidy to recover, then recovered).
   */
  async revokeSubject(kind: DocumentKind, subjectKey: string, reason: string, statusLabel?: string): Promise<number> {
    return this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO document_subjects (kind, subject_key, revoked_at, revoke_reason, status_label) VALUES ($1, $2, now(), $3, $4)
         ON CONFLICT (kind, subject_key) DO UPDATE SET status_label = coalesce(excluded.status_label, document_subjects.status_label), updated_at = now(),
           revoked_at = coalesce(document_subjects.revoked_at, excluded.revoked_at), revoke_reason = coalesce(document_subjects.revoke_reason, excluded.revoke_reason)`,
        [kind, subjectKey, reason, statusLabel ?? null],
      );
      const [, n]: [unknown, number] = await em.query(
        `UPDATE documents SET revoked_at = now(), revoke_reason = $3 WHERE kind = $1 AND subject_key = $2 AND revoked_at IS NULL`,
        [kind, subjectKey, reason],
      );
      return n;
    });
  }

  async revoke(actor: Actor, id: number, reason: string): Promise<DocumentDto> {
    if (!isAdmin(actor) && !hasRole(actor, 'city_reviewer')) throw DomainException.forbidden('只有管理员或市级审核人员可以撤销文件');
    const r = await this.readable(actor, id);
    if (r.revoked_at) throw DomainException.conflict('该文件已撤销');
    await this.ds.query(`UPDATE documents SET revoked_at = now(), revoke_reason = $2 WHERE id = $1`, [id, reason]);
    return this.toDto(await this.readable(actor, id));
  }

  /** Re-issue: a new document (new serial, code and hash) of the next generation; the old one is revoked by the job. */
  async reissue(actor: Actor, id: number): Promise<ReissueDto> {
    if (!isAdmin(actor) && !hasRole(actor, 'city_reviewer')) throw DomainException.forbidden('只有管理员或市级审核人员可以重新签发');
    const r = await this.readable(actor, id);
    const [{ max }] = await this.ds.query<Array<{ max: number }>>(`SELECT max(generation)::int AS max FROM documents WHERE kind = $1 AND subject_key = $2`, [
      r.kind,
      r.subject_key,
    ]);
    if (r.generation !== max) throw DomainException.conflict('只能重新签发最新的一份');
    const [full]: Array<DocumentRow & { holder_user_id: number | null; batch_id: string | null }> = await this.ds.query(
      `SELECT * FROM documents WHERE id = $1`,
      [id],
    );
    const body = full.body ?? (await this.legacyBodyOf(full));
    const generation = max + 1;
    await this.ds.transaction((em) =>
      this.outbox.enqueue(
        em,
        'documents.issue',
        {
          kind: r.kind,
          subjectKey: r.subject_key,
          generation,
          caseId: r.case_id === null ? undefined : Number(r.case_id),
          holderOrgId: r.holder_org_id,
          holderUserId: full.holder_user_id ?? undefined,
          holderName: r.holder_name,
          countyCode: r.county_code,
          authority: r.authority,
          ...(r.addressee ? { addressee: r.addressee } : {}),
          body,
          facts: r.facts,
          validUntil: r.valid_until?.toISOString() ?? null,
        },
        { dedupeKey: `document:${r.kind}:${r.subject_key}:${generation}` },
      ),
    );
    this.jobs.poke();
    return { queued: true, generation };
  }

  /**
   * Documents issued before their wording was kept with them: the job that made them, while the outbox
   * still holds it, else a plain line.
   */
  private async legacyBodyOf(r: DocumentRow): Promise<string> {
    const [row]: Array<{ payload: DocumentRequest }> = await this.ds.query(
      `SELECT payload FROM outbox WHERE job_name = 'documents.issue' AND payload->>'kind' = $1 AND payload->>'subjectKey' = $2 AND (payload->>'generation')::int = $3 ORDER BY id DESC LIMIT 1`,
      [r.kind, r.subject_key, r.generation],
    );
    return row?.payload.body ?? `${r.holder_name}：${DOCUMENT_KINDS[r.kind].label}（重新签发）`;
  }

  /** A document the actor may see (readScope); others get a 404. */
  async readable(actor: Actor, id: number): Promise<DocumentRow> {
    const params: unknown[] = [id];
    const scope = readScope(actor, params);
    const [r]: DocumentRow[] = await this.ds.query(`${SELECT} WHERE d.id = $1${scope ? ` AND ${scope}` : ''}`, params);
    if (!r) throw DomainException.notFound('文件');
    return r;
  }

  async download(actor: Actor, id: number): Promise<{ row: DocumentRow; bytes: Buffer }> {
    const row = await this.readable(actor, id);
    const bytes = await this.blobs.get(row.blob_key);
    if (!bytes) throw DomainException.notFound('文件内容');
    return { row, bytes };
  }

  /** The public answer for a verification code: kind, serial, authority, holder, dates, status (with its subject's) and hash — nothing more. */
  async verify(code: string): Promise<VerificationDto> {
    if (!/^[0-9A-Z]{20}$/.test(code)) throw DomainException.notFound('文件');
    const [r]: DocumentRow[] = await this.ds.query(`${SELECT} WHERE d.verify_code = $1`, [code]);
    if (!r) throw DomainException.notFound('文件');
    return {
      kind: r.kind,
      kindLabel: DOCUMENT_KINDS[r.kind].label,
      serial: r.serial,
      authority: r.authority,
      holderName: r.holder_name,
      issuedAt: r.issued_at.toISOString(),
      validUntil: r.valid_until?.toISOString() ?? null,
      status: statusOf(r),
      statusLabel: statusLabelOf(r),
      revokeReason: r.revoked_at ? r.revoke_reason : null,
      sha256: r.sha256,
    };
  }

  /** Documents the actor may see (the list page). */
  async list(
    actor: Actor,
    filter: { kind?: string; caseId?: number; batchId?: number; ids?: number[] },
    range: { start: number; end: number },
  ): Promise<{ rows: DocumentDto[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const scope = readScope(actor, params);
    if (scope) where.push(scope);
    if (filter.kind) where.push(`d.kind = $${params.push(filter.kind)}`);
    if (filter.caseId) where.push(`d.case_id = $${params.push(filter.caseId)}`);
    if (filter.batchId) where.push(`d.batch_id = $${params.push(filter.batchId)}`);
    if (filter.ids) where.push(`d.id = ANY($${params.push(filter.ids)}::bigint[])`);
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM documents d ${cond}`, params);
    const rows: DocumentRow[] = await this.ds.query(
      `${SELECT} ${cond} ORDER BY d.id DESC OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    return { rows: rows.map((r) => this.toDto(r)), total: n };
  }

  /**
   * A batch's progress and state, derived from its items and what exists (no counter written at the end
   * of a run, which a crash would never write): items acted, skipped (with reasons) or still pending;
   * documents issued or failed. A run holds the batch's advisory lock while it works, so pending items
   * without the lock mean the run stopped: 'interrupted', not "running" forever.
   */
  async batch(actor: Actor, id: number): Promise<DocumentBatchDto> {
    const [b]: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT b.*, (SELECT count(*)::int FROM documents d WHERE d.batch_id = b.id) AS done,
              (SELECT count(*)::int FROM outbox o WHERE o.job_name = 'documents.issue' AND (o.payload->>'batchId')::bigint = b.id
                 AND o.processed_at IS NULL AND o.attempts >= $2) AS failed,
              EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $3::bigint AND l.objid::bigint = b.id AND l.objsubid = 2
                        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS running
         FROM document_batches b WHERE b.id = $1`,
      [id, MAX_ATTEMPTS, BATCH_LOCK],
    );
    // the city and admins follow every batch; anyone else only the batches they started
    if (!b || (!isAdmin(actor) && !hasRole(actor, 'city_reviewer') && b.created_by !== actor.id)) throw DomainException.notFound('批次');
    const items: Array<{ item_id: string; label: string | null; status: 'pending' | 'acted' | 'skipped'; reason: string | null }> = await this.ds.query(
      `SELECT item_id, label, status, reason FROM document_batch_items WHERE batch_id = $1 ORDER BY seq`,
      [id],
    );
    const count = (status: string) => items.filter((i) => i.status === status).length;
    const [acted, skipped, pending] = [count('acted'), count('skipped'), count('pending')];
    const done = b.done as number;
    const failed = b.failed as number;
    const issuing = done + failed < acted;
    const state: DocumentBatchState = b.running ? 'running' : pending > 0 ? 'interrupted' : issuing ? 'running' : 'finished';
    return {
      id: Number(b.id),
      kind: b.kind as DocumentKind,
      title: b.title as string,
      state,
      items: items.length,
      acted,
      skipped,
      pending,
      skippedItems: items.filter((i) => i.status === 'skipped').map((i) => ({ id: Number(i.item_id), label: i.label, reason: i.reason ?? '' })),
      total: acted,
      done,
      failed,
      finished: state !== 'running' && !issuing,
      createdAt: (b.created_at as Date).toISOString(),
    };
  }

  /** Open a batch with its items, pending (inside the transaction that starts it). */
  async createBatch(
    em: EntityManager,
    kind: DocumentKind,
    title: string,
    items: ReadonlyArray<{ id: number; label: string | null }>,
    createdBy: number,
  ): Promise<number> {
    const [r]: Array<{ id: string }> = await em.query(`INSERT INTO document_batches (kind, title, total, created_by) VALUES ($1, $2, $3, $4) RETURNING id`, [
      kind,
      title,
      items.length,
      createdBy,
    ]);
    const batchId = Number(r.id);
    await em.query(
      `INSERT INTO document_batch_items (batch_id, seq, item_id, label) SELECT $1, s.n, s.id, s.label FROM unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS s(id, label, n)`,
      [batchId, items.map((i) => i.id), items.map((i) => i.label)],
    );
    return batchId;
  }

  /** Mark one item worked: 'acted' in the transaction of the decision itself, or 'skipped' with the reason. */
  async markBatchItem(em: EntityManager, batchId: number, itemId: number, status: 'acted' | 'skipped', reason?: string): Promise<void> {
    await em.query(`UPDATE document_batch_items SET status = $3, reason = $4, updated_at = now() WHERE batch_id = $1 AND item_id = $2 AND status = 'pending'`, [
      batchId,
      itemId,
      status,
      reason ?? null,
    ]);
  }

  /**
   * Work a batch while holding its advisory lock on a connection of its own: while the lock is held the
   * batch reads as running; if the process dies the connection closes, the lock goes, and the batch reads
   * as interrupted (its pending items show where it stopped).
   */
  async runBatch<T>(batchId: number, work: () => Promise<T>): Promise<T> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock($1, $2)`, [BATCH_LOCK, batchId]);
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1, $2)`, [BATCH_LOCK, batchId]);
      }
    } finally {
      await runner.release();
    }
  }
}
