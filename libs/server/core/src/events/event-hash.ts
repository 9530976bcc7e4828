import { createHash } from 'node:crypto';

/** What an event's hash covers: its content, its place in the case's chain and the previous event's hash. */
export interface HashedEvent {
  caseId: number;
  seq: number;
  actorId: number | null;
  actorRole: string | null;
  onBehalfOf: number | null;
  action: string;
  fromState: string | null;
  toState: string;
  comment: string | null;
  payload: unknown;
  at: Date;
  prevHash: string | null;
}

/** JSON with object keys sorted at every depth, so that a payload read back from jsonb hashes the same. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

/**
 * The hash of a case event over its content and the previous event's hash (a per-case chain): the one format,
 * used by the workflow engine (event-chain.ts) and by migrations that write events.
 */
export function eventHash(e: HashedEvent): string {
  const canonical = canonicalJson([
    e.prevHash,
    e.caseId,
    e.seq,
    e.actorId,
    e.actorRole,
    e.onBehalfOf,
    e.action,
    e.fromState,
    e.toState,
    e.comment,
    e.payload ?? null,
    e.at.toISOString(),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
