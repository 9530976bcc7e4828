import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { createJobWorker, createQueue, OutboxRelay, type JobQueue } from './bullmq.js';
import { JobRegistry } from './job-registry.js';
import { InlineJobRunner, MAX_ATTEMPTS } from './job-runner.js';
import { purgeProcessedOutbox } from './outbox.service.js';

export type ProcessRole = 'api' | 'worker';
export const PROCESS_ROLE = Symbol('PROCESS_ROLE');

/** How often the SLA sweep is scheduled. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Starts whatever runs jobs in this process:
 * - no REDIS_URL (embedded default): the API runs the processors in-process off the outbox;
 * - REDIS_URL, worker process: the outbox relay publishes to BullMQ and a BullMQ worker runs the processors;
 * - REDIS_URL, API process: nothing — state changes only write outbox rows.
 * Refuses to start while a job name has no processor.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private inline?: InlineJobRunner;
  private relay?: OutboxRelay;
  private queue?: JobQueue;
  private worker?: Worker;
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly registry: JobRegistry,
    private readonly role: ProcessRole,
  ) {}

  get mode(): 'inline' | 'bullmq-worker' | 'enqueue-only' {
    if (!this.config.redisUrl) return 'inline';
    return this.role === 'worker' ? 'bullmq-worker' : 'enqueue-only';
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    if (this.mode !== 'enqueue-only') {
      const missing = this.registry.missing();
      if (missing.length) throw new Error(`refusing to run jobs: no processor for ${missing.join(', ')}`);
    }
    if (this.mode === 'inline') {
      this.inline = new InlineJobRunner(this.ds, this.registry);
      this.inline.start();
    } else if (this.mode === 'bullmq-worker') {
      this.queue = createQueue(this.config.redisUrl!);
      this.queue.on('error', () => {});
      this.relay = new OutboxRelay(this.ds, this.queue);
      this.relay.start();
      this.worker = createJobWorker(this.config.redisUrl!, this.ds, this.registry, { lockDuration: this.config.jobLockMs });
      this.logger.log(`jobs from BullMQ queue on ${this.config.redisUrl}`);
    }
    if (this.mode !== 'enqueue-only') this.scheduleSweeps();
  }

  /** Enqueue the SLA sweep once a minute; the dedupe key makes several processes schedule it only once. */
  private scheduleSweeps(): void {
    const tick = () => {
      const minute = Math.floor(Date.now() / SWEEP_EVERY_MS);
      this.ds
        .query(`INSERT INTO outbox (job_name, payload, dedupe_key) VALUES ('workflow.sla-sweep', '{}', $1) ON CONFLICT (dedupe_key) DO NOTHING`, [
          `sla-sweep:${minute}`,
        ])
        .then(() => purgeProcessedOutbox(this.ds))
        .catch((e: Error) => this.logger.warn(`could not schedule the SLA sweep: ${e.message}`));
    };
    tick();
    this.sweepTimer = setInterval(tick, SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  /** A state change wrote outbox rows: run them soon (in-process mode). */
  poke(): void {
    this.inline?.poke();
  }

  /**
   * Run every due job now and wait until none is left (tests; jobs that enqueue jobs are followed too).
   * In BullMQ mode the relay publishes and the worker runs them; rows another runner holds are waited for.
   */
  async drain(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.inline) await this.inline.pass();
      if (this.relay) await this.relay.relayAll();
      const [{ n }]: Array<{ n: number }> = await this.ds.query(
        `SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL AND attempts < $1 AND available_at <= now()`,
        [MAX_ATTEMPTS],
      );
      if (n === 0) return;
      if (Date.now() > deadline) throw new Error(`${n} jobs still pending after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The BullMQ queue, for the queue screen (BullMQ mode only). */
  getQueue(): JobQueue | undefined {
    if (!this.queue && this.config.redisUrl) {
      this.queue = createQueue(this.config.redisUrl);
      this.queue.on('error', () => {});
    }
    return this.queue;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.inline?.stop();
    await this.relay?.stop();
    await this.worker?.close();
    await this.queue?.close();
  }
}
