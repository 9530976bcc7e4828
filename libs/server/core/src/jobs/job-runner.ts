import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { JobRegistry } from './job-registry.js';

/** How many times a job is tried before it stays failed (visible in the queue screen, retryable). */
export const MAX_ATTEMPTS = 5;
/** Backoff before attempt n+1, in ms. */
export const backoffMs = (attempt: number): number => Math.min(60_000, 1000 * 2 ** (attempt - 1));

export interface OutboxRow {
  id: string;
  job_name: string;
  payload: unknown;
  attempts: number;
}

/** Run one outbox row's job through its handler (shared by the in-process runner and the BullMQ worker). */
export async function runOutboxJob(registry: JobRegistry, row: Pick<OutboxRow, 'id' | 'job_name' | 'payload'>, attempt: number): Promise<void> {
  const handler = registry.handler(row.job_name);
  if (!handler) throw new Error(`no processor for job ${row.job_name}`);
  await handler(row.payload as never, { outboxId: Number(row.id), attempt });
}

/**
 * The embedded default (no REDIS_URL): jobs run in this process straight off the outbox table. Rows are
 * claimed with SKIP LOCKED, so several API instances share the work without running a job twice at once;
 * a failure is retried with backoff up to MAX_ATTEMPTS and its error kept on the row.
 */
export class InlineJobRunner {
  private readonly logger = new Logger('Jobs');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private wake = false;

  constructor(
    private readonly ds: DataSource,
    private readonly registry: JobRegistry,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.stopped = false;
    this.logger.log('no REDIS_URL: jobs run in-process off the outbox table (embedded default)');
    this.schedule(0);
  }

  /** Ask for a pass soon (after a state change wrote outbox rows). */
  poke(): void {
    this.wake = true;
    if (!this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Work until no due row is left (tests call this to wait for effects). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.pass();
      total += n;
      if (n === 0) return total;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.loop().finally(() => {
        this.running = undefined;
        this.schedule(this.wake ? 0 : this.intervalMs);
      });
    }, ms);
  }

  private async loop(): Promise<void> {
    this.wake = false;
    try {
      while (!this.stopped && (await this.pass()) > 0);
    } catch (e) {
      if (!this.stopped) this.logger.warn(`job pass failed: ${(e as Error).message}`);
    }
  }

  /** Claim and run up to 20 due rows; answers how many ran. */
  async pass(): Promise<number> {
    let ran = 0;
    await this.ds.transaction(async (em) => {
      const rows: OutboxRow[] = await em.query(
        `SELECT id, job_name, payload, attempts FROM outbox
          WHERE processed_at IS NULL AND attempts < $1 AND available_at <= now()
          ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED`,
        [MAX_ATTEMPTS],
      );
      for (const row of rows) {
        const attempt = row.attempts + 1;
        try {
          await runOutboxJob(this.registry, row, attempt);
          await em.query(
            `UPDATE outbox SET processed_at = now(), published_at = coalesce(published_at, now()), attempts = $2, last_error = NULL WHERE id = $1`,
            [row.id, attempt],
          );
        } catch (e) {
          const message = (e as Error).message ?? String(e);
          this.logger.warn(`job ${row.job_name} #${row.id} failed (attempt ${attempt}): ${message}`);
          await em.query(`UPDATE outbox SET attempts = $2, last_error = $3, available_at = now() + make_interval(secs => $4) WHERE id = $1`, [
            row.id,
            attempt,
            message.slice(0, 2000),
            backoffMs(attempt) / 1000,
          ]);
        }
        ran++;
      }
    });
    return ran;
  }
}
