import { createHash } from 'node:crypto';
import { DomainException } from '@portal/core';
import type { EntityManager } from 'typeorm';
import { canonicalJson } from '../events/event-chain.js';

/** What an `Idempotency-Key` header may hold. */
const KEY_FORMAT = /^[\w.:-]{1,128}$/;

/** A malformed key is a 400 naming the header (before anything is written). */
export function checkIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !KEY_FORMAT.test(key)) {
    throw DomainException.validation('Idempotency-Key 应为 1–128 位字母、数字或 _.:-', [{ field: 'Idempotency-Key', messages: ['格式不正确'] }]);
  }
}

/** The request a key was first used for: its endpoint and its body (keys sorted), hashed. */
export function requestFingerprint(scope: string, body: unknown): string {
  return `${scope}:${createHash('sha256').update(canonicalJson(body)).digest('hex')}`;
}

/**
 * Claim an `Idempotency-Key` for a creation request, inside the transaction that creates (the mechanism
 * `act()` uses, on the same table): the first use answers undefined and the caller goes ahead, then calls
 * `rememberIdempotentAnswer` in the same transaction. A concurrent duplicate waits on the key's unique
 * index until the first commits, then gets `{ replay }` with the stored answer; a rolled-back first use
 * leaves the key free. The same key for another request (or an action on a case) is a 409.
 */
export async function claimIdempotencyKey<T>(em: EntityManager, actorId: number, key: string, fingerprint: string): Promise<{ replay: T } | undefined> {
  const inserted = await em.query<unknown[]>(
    `INSERT INTO idempotency_keys (actor_id, key, fingerprint) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
    [actorId, key, fingerprint],
  );
  if (inserted.length) return undefined;
  const [prev]: Array<{ fingerprint: string | null; response: T | null }> = await em.query(
    `SELECT fingerprint, response FROM idempotency_keys WHERE actor_id = $1 AND key = $2`,
    [actorId, key],
  );
  if (!prev || prev.fingerprint !== fingerprint || prev.response === null) throw DomainException.conflict('该 Idempotency-Key 已用于其他请求');
  return { replay: prev.response };
}

export async function rememberIdempotentAnswer(em: EntityManager, actorId: number, key: string, answer: unknown): Promise<void> {
  await em.query(`UPDATE idempotency_keys SET response = $3 WHERE actor_id = $1 AND key = $2`, [actorId, key, JSON.stringify(answer)]);
}
