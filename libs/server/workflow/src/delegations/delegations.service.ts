import { Injectable } from '@nestjs/common';
import type { DelegationDto, UserChoiceDto } from '@portal/contracts';
import { DomainException } from '@portal/core';
import type { Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import { checkIdempotencyKey, claimIdempotencyKey, rememberIdempotentAnswer, requestFingerprint } from '../engine/idempotency.js';

/** Arbitrary constant: the advisory lock a principal's new delegations take in turn. */
const DELEGATION_CREATE_LOCK = 724_103;

interface DelegateRow {
  id: number;
  roles: string[];
  active: boolean;
  jurisdiction: string | null;
}

const REVIEWER_ROLES = ['county_reviewer', 'city_reviewer', 'expert', 'finance'];

/** A proxy must be able to do the principal's work: an active colleague with the same reviewer roles and jurisdiction. */
function canDelegateTo(actor: Actor, u: DelegateRow): boolean {
  const roles = actor.roles.filter((r) => REVIEWER_ROLES.includes(r));
  return u.id !== actor.id && u.active && roles.length > 0 && roles.every((r) => u.roles.includes(r)) && u.jurisdiction === actor.jurisdiction;
}

/**
 * Out-of-office proxies: a reviewer names a colleague who may act for them for a period; the colleague's
 * actions are recorded as "X for Y" and checked against the principal's authority.
 */
@Injectable()
export class DelegationsService {
  constructor(private readonly ds: DataSource) {}

  async mine(actor: Actor): Promise<DelegationDto[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT d.*, u.display_name, p.display_name AS principal_name FROM delegations d JOIN users u ON u.id = d.delegate_id JOIN users p ON p.id = d.principal_id
        WHERE (d.principal_id = $1 OR d.delegate_id = $1) AND d.ends_at > now() ORDER BY d.starts_at`,
      [actor.id],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      principalId: r.principal_id as number,
      delegateId: r.delegate_id as number,
      delegateName: r.display_name as string,
      principalName: r.principal_name as string,
      startsAt: (r.starts_at as Date).toISOString(),
      endsAt: (r.ends_at as Date).toISOString(),
      reason: r.reason as string | null,
    }));
  }

  /**
   * Name a proxy for a period. One active delegation per principal, delegate and period: an overlapping one
   * to the same colleague is a 409 naming it. With an `Idempotency-Key` a repeated request answers the
   * first one's delegation (`replayed`).
   */
  async create(
    actor: Actor,
    input: { delegateId: number; startsAt: string; endsAt: string; reason?: string },
    idempotencyKey?: string,
  ): Promise<{ delegation: DelegationDto; replayed: boolean }> {
    checkIdempotencyKey(idempotencyKey);
    const starts = new Date(input.startsAt);
    const ends = new Date(input.endsAt);
    if (!(ends > starts) || ends <= new Date())
      throw DomainException.validation('结束时间应晚于开始时间且在将来', [{ field: 'endsAt', messages: ['结束时间应晚于开始时间且在将来'] }]);
    if (input.delegateId === actor.id) throw DomainException.validation('不能委托给自己', [{ field: 'delegateId', messages: ['不能委托给自己'] }]);
    const [u]: DelegateRow[] = await this.ds.query(`SELECT id, roles, active, jurisdiction FROM users WHERE id = $1`, [input.delegateId]);
    if (!u || !canDelegateTo(actor, u)) {
      throw DomainException.validation('代理人应为具有相同审核角色和管辖范围的在职用户', [{ field: 'delegateId', messages: ['代理人不符合条件'] }]);
    }
    const result = await this.ds.transaction(async (em) => {
      if (idempotencyKey) {
        const fingerprint = requestFingerprint('POST /delegations', {
          delegateId: input.delegateId,
          startsAt: starts.toISOString(),
          endsAt: ends.toISOString(),
          reason: input.reason ?? null,
        });
        const prior = await claimIdempotencyKey<{ id: number }>(em, actor.id, idempotencyKey, fingerprint);
        if (prior) return { id: prior.replay.id, replayed: true };
      }
      // one delegation at a time per principal, so two identical ones cannot both find no overlap
      await em.query(`SELECT pg_advisory_xact_lock($1, $2)`, [DELEGATION_CREATE_LOCK, actor.id]);
      const [overlap]: Array<{ id: string }> = await em.query(
        `SELECT id FROM delegations WHERE principal_id = $1 AND delegate_id = $2 AND ends_at > now() AND starts_at < $4 AND ends_at > $3 LIMIT 1`,
        [actor.id, input.delegateId, starts, ends],
      );
      if (overlap)
        throw new DomainException('DUPLICATE', '您已委托该同事在重叠的时间段代理，请先结束原委托或调整时间', { field: 'startsAt', id: Number(overlap.id) });
      const [r]: Array<{ id: string }> = await em.query(
        `INSERT INTO delegations (principal_id, delegate_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [actor.id, input.delegateId, starts, ends, input.reason ?? null],
      );
      const id = Number(r.id);
      if (idempotencyKey) await rememberIdempotentAnswer(em, actor.id, idempotencyKey, { id });
      return { id, replayed: false };
    });
    const delegation = (await this.mine(actor)).find((d) => d.id === result.id);
    // a replayed delegation that has since been ended is no longer listed
    if (!delegation) throw DomainException.notFound('委托');
    return { delegation, replayed: result.replayed };
  }

  /** Colleagues the actor may name as proxy (the same rule as creating the delegation). */
  async candidates(actor: Actor): Promise<UserChoiceDto[]> {
    const rows: Array<DelegateRow & { display_name: string }> = await this.ds.query(
      `SELECT id, display_name, roles, active, jurisdiction FROM users WHERE active AND roles && $1::text[] ORDER BY display_name`,
      [actor.roles.filter((r) => REVIEWER_ROLES.includes(r))],
    );
    return rows.filter((u) => canDelegateTo(actor, u)).map((u) => ({ id: u.id, displayName: u.display_name }));
  }

  async end(actor: Actor, id: number): Promise<void> {
    const [, n]: [unknown, number] = await this.ds.query(
      `UPDATE delegations SET ends_at = greatest(now(), starts_at + interval '1 millisecond') WHERE id = $1 AND principal_id = $2 AND ends_at > now()`,
      [id, actor.id],
    );
    if (!n) throw DomainException.notFound('委托');
  }
}
