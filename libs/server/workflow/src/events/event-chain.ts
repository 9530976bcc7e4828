import type { ChainVerdict } from '@portal/contracts';
import { eventHash, type HashedEvent } from '@portal/core';
import type { EntityManager } from 'typeorm';

/** What a caller appends: the event without its place in the chain (seq, time, previous hash), which appendEvent sets. */
export type EventInput = Omit<HashedEvent, 'seq' | 'at' | 'prevHash'>;

export interface StoredEvent extends HashedEvent {
  id: number;
  hash: string;
}

export { canonicalJson, eventHash } from '@portal/core';

/**
 * Append an event to a case's chain. Called with the case row locked (inside act), so seq and the
 * previous hash cannot race. The table refuses UPDATE and DELETE (a trigger).
 */
export async function appendEvent(em: EntityManager, input: EventInput): Promise<StoredEvent> {
  const [last]: Array<{ seq: number; hash: string }> = await em.query(`SELECT seq, hash FROM case_events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [
    input.caseId,
  ]);
  const at = new Date();
  const base = { ...input, seq: (last?.seq ?? 0) + 1, at, prevHash: last?.hash ?? null };
  const hash = eventHash(base);
  // the case remembers its chain's length (a deleted latest event no longer goes unnoticed): set in the same statement
  const [[row]]: [Array<{ id: string }>, number] = await em.query(
    `WITH appended AS (
       INSERT INTO case_events (case_id, seq, actor_id, actor_role, on_behalf_of, action, from_state, to_state, comment, payload, at, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id, case_id, seq)
     UPDATE cases SET event_count = appended.seq FROM appended WHERE cases.id = appended.case_id RETURNING appended.id`,
    [
      base.caseId,
      base.seq,
      base.actorId,
      base.actorRole,
      base.onBehalfOf,
      base.action,
      base.fromState,
      base.toState,
      base.comment,
      base.payload === undefined ? null : JSON.stringify(base.payload),
      at,
      base.prevHash,
      hash,
    ],
  );
  return { ...base, id: Number(row.id), hash };
}

/**
 * What the case row says its chain must end with. The invariant (a deleted latest event breaks it):
 * - `eventCount` = the number of events (each append writes it, in the event's transaction);
 * - `state` = the latest event's `to_state` (every event carries the state it leaves the case in);
 * - `version` = 1 + the number of events after the first whose action is a transition of the case's
 *   definition (`act`/`systemAct` raise the version by one and append one event per transition; events
 *   beside the transitions — task claims, subsidy payments, objection rulings — never raise it, and their
 *   actions may not be named like a transition, see `WorkflowService.recordEvent`).
 */
export interface ChainHead {
  state: string;
  version: number;
  eventCount: number;
  transitionActions: ReadonlySet<string>;
}

/** Recompute a case's chain from its stored events, and check that the case agrees with its latest event. */
export async function verifyChain(em: EntityManager, caseId: number, head?: ChainHead): Promise<ChainVerdict> {
  const rows: Array<Record<string, unknown>> = await em.query(`SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId]);
  let prev: string | null = null;
  for (const [i, r] of rows.entries()) {
    const e = {
      caseId: Number(r.case_id),
      seq: r.seq as number,
      actorId: r.actor_id as number | null,
      actorRole: r.actor_role as string | null,
      onBehalfOf: r.on_behalf_of as number | null,
      action: r.action as string,
      fromState: r.from_state as string | null,
      toState: r.to_state as string,
      comment: r.comment as string | null,
      payload: r.payload,
      at: r.at as Date,
      prevHash: r.prev_hash as string | null,
    };
    if (e.seq !== i + 1) return { valid: false, events: rows.length, brokenAt: { seq: e.seq, reason: '事件序号不连续' } };
    if (e.prevHash !== prev) return { valid: false, events: rows.length, brokenAt: { seq: e.seq, reason: '与上一事件的链接不符' } };
    if (eventHash(e) !== r.hash) return { valid: false, events: rows.length, brokenAt: { seq: e.seq, reason: '事件内容与哈希不符' } };
    prev = r.hash;
  }
  if (head) {
    const last = rows.at(-1);
    const transitions = rows.filter((r) => (r.seq as number) > 1 && head.transitionActions.has(r.action as string)).length;
    const missing = { seq: rows.length + 1, reason: '案件的状态或版本与最新事件不符：最新事件可能已被删除' };
    if (head.eventCount !== rows.length || !last || last.to_state !== head.state || head.version !== 1 + transitions) {
      return { valid: false, events: rows.length, brokenAt: missing };
    }
  }
  return { valid: true, events: rows.length };
}
