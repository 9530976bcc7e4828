import { Injectable } from '@nestjs/common';
import type { JobName, JobPayloads } from '@portal/contracts';
import type { EntityManager } from 'typeorm';

export interface EnqueueOptions {
  /** at most one row per key ever (e.g. one certificate per case): a second enqueue is a no-op */
  dedupeKey?: string;
  /** do not run before this time */
  availableAt?: Date;
}

/**
 * The transactional outbox: side effects are rows written in the same transaction as the state change
 * that causes them, so a committed change never loses its effects and a rolled-back one never has any.
 */
@Injectable()
export class OutboxService {
  async enqueue<N extends JobName>(em: EntityManager, name: N, payload: JobPayloads[N], opts: EnqueueOptions = {}): Promise<number | undefined> {
    const rows: Array<{ id: string }> = await em.query(
      `INSERT INTO outbox (job_name, payload, dedupe_key, available_at) VALUES ($1, $2, $3, coalesce($4, now()))
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [name, JSON.stringify(payload), opts.dedupeKey ?? null, opts.availableAt ?? null],
    );
    return rows[0] ? Number(rows[0].id) : undefined;
  }
}
