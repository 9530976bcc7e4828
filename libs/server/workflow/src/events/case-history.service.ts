import { Injectable } from '@nestjs/common';
import type { AttachmentDto, CaseDiffDto, CaseEventDto, ChainVerdict, DiffEntry, SnapshotDto } from '@portal/contracts';
import { DomainException } from '@portal/core';
import type { Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import type { CaseRow } from '../engine/case-row.js';
import { panelSafeEvents } from '../engine/panel-privacy.js';
import { WorkflowRegistry } from '../engine/workflow.registry.js';
import { verifyChain } from './event-chain.js';

/** Paths whose values differ between two JSON documents (objects by key, arrays by index). */
export function jsonDiff(before: unknown, after: unknown, path = ''): DiffEntry[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObj(before) && isObj(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => jsonDiff(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const change = before === undefined || before === null ? 'added' : after === undefined || after === null ? 'removed' : 'changed';
  return [{ path, change, before: before ?? null, after: after ?? null }];
}

/**
 * The files of two submissions compared per purpose (`attachments.<purpose>`): files only in the later one
 * are 'added', only in the earlier one 'removed', and a purpose whose files were swapped for others (a
 * checklist item's new file in 补正) is 'replaced'. Files are told apart by id (a file never changes).
 */
export function attachmentDiff(before: AttachmentDto[] = [], after: AttachmentDto[] = []): DiffEntry[] {
  const byPurpose = (files: AttachmentDto[]) => {
    const m = new Map<string, AttachmentDto[]>();
    for (const f of files) m.set(f.purpose ?? 'other', [...(m.get(f.purpose ?? 'other') ?? []), f]);
    return m;
  };
  const b = byPurpose(before);
  const a = byPurpose(after);
  const out: DiffEntry[] = [];
  for (const purpose of [...new Set([...b.keys(), ...a.keys()])]) {
    const was = b.get(purpose) ?? [];
    const now = a.get(purpose) ?? [];
    const wasIds = new Set(was.map((f) => f.id));
    const nowIds = new Set(now.map((f) => f.id));
    const gone = was.filter((f) => !nowIds.has(f.id));
    const added = now.filter((f) => !wasIds.has(f.id));
    if (!gone.length && !added.length) continue;
    const change = gone.length && added.length ? 'replaced' : added.length ? 'added' : 'removed';
    out.push({ path: `attachments.${purpose}`, change, before: change === 'added' ? null : gone, after: change === 'removed' ? null : added });
  }
  return out;
}

const filesOf = (data: unknown): AttachmentDto[] | undefined => {
  const files = (data as { attachments?: unknown } | null)?.attachments;
  return Array.isArray(files) ? (files as AttachmentDto[]) : undefined;
};

const withoutFiles = (data: unknown): unknown => {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  const { attachments: _files, ...rest } = data as Record<string, unknown>;
  return rest;
};

/** What happened to a case: its events (with names), its frozen submissions and the differences between them. */
@Injectable()
export class CaseHistoryService {
  constructor(
    private readonly ds: DataSource,
    private readonly registry: WorkflowRegistry,
  ) {}

  /** The events as this viewer may read them (a panel's members and their scores are confidential: panel-privacy.ts). */
  async events(row: CaseRow, viewer: Actor): Promise<CaseEventDto[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT e.*, a.display_name AS actor_name, b.display_name AS behalf_name FROM case_events e
         LEFT JOIN users a ON a.id = e.actor_id LEFT JOIN users b ON b.id = e.on_behalf_of
        WHERE e.case_id = $1 ORDER BY e.seq`,
      [row.id],
    );
    const events = rows.map((r) => ({
      id: Number(r.id),
      seq: r.seq as number,
      actorId: r.actor_id as number | null,
      actorName: r.actor_name as string | null,
      actorRole: r.actor_role as string | null,
      onBehalfOf: r.on_behalf_of as number | null,
      onBehalfOfName: r.behalf_name as string | null,
      action: r.action as string,
      fromState: r.from_state as string | null,
      toState: r.to_state as string,
      comment: r.comment as string | null,
      payload: r.payload,
      at: (r.at as Date).toISOString(),
      hash: r.hash as string,
    }));
    const def = this.registry.get(row.workflowKey);
    return def ? panelSafeEvents(def, events, viewer) : events;
  }

  /** The chain recomputed, and the case checked against its latest event, in one snapshot (an act in between cannot look like a break). */
  async verify(row: CaseRow): Promise<ChainVerdict> {
    const def = this.registry.get(row.workflowKey);
    const transitionActions = new Set(def?.transitions.map((x) => x.action) ?? []);
    return this.ds.transaction('REPEATABLE READ', async (em) => {
      const [c]: Array<{ state: string; version: number; event_count: number }> = await em.query(
        `SELECT state, version, event_count FROM cases WHERE id = $1`,
        [row.id],
      );
      return verifyChain(em, row.id, { state: c.state, version: c.version, eventCount: c.event_count, transitionActions });
    });
  }

  async snapshots(row: CaseRow): Promise<SnapshotDto[]> {
    const rows: Array<{ seq: number; submitted_at: Date; submitted_by: number; data: unknown }> = await this.ds.query(
      `SELECT seq, submitted_at, submitted_by, data FROM case_snapshots WHERE case_id = $1 ORDER BY seq`,
      [row.id],
    );
    return rows.map((r) => ({ seq: r.seq, submittedAt: r.submitted_at.toISOString(), submittedBy: r.submitted_by, data: r.data }));
  }

  /** The differences between two submissions (by default the last two). */
  async diff(row: CaseRow, from?: number, to?: number): Promise<CaseDiffDto> {
    const snaps = await this.snapshots(row);
    const b = to ?? snaps.at(-1)?.seq;
    const a = from ?? (b !== undefined ? b - 1 : undefined);
    const before = snaps.find((s) => s.seq === a);
    const after = snaps.find((s) => s.seq === b);
    if (!before || !after) throw DomainException.notFound('可比较的两次提交');
    return {
      from: before.seq,
      to: after.seq,
      changes: [...jsonDiff(withoutFiles(before.data), withoutFiles(after.data)), ...attachmentDiff(filesOf(before.data), filesOf(after.data))],
    };
  }
}
