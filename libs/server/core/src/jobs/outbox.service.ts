import { Injectable } from '@nestjs/common';
import type { JobName, JobPayloads } from '@portal/contracts';
import type { DataSource, EntityManager } from 'typeorm';

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

/** How long a processed outbox row is kept (for the queue screen and investigations). */
export const OUTBOX_RETENTION_DAYS = 30;

/**
 * Delete processed rows older than the retention, a bounded batch at a time (index `outbox_processed`), so that
 * the clean-up costs the rows it removes, not the table's size; answers how many were deleted.
 */
export async function purgeProcessedOutbox(ds: DataSource, batch = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const [, n]: [unknown, number] = await ds.query(
      `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE processed_at < now() - make_interval(days => $1) LIMIT $2)`,
      [OUTBOX_RETENTION_DAYS, batch],
    );
    total += n;
    if (n < batch) return total;
  }
}
