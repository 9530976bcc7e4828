import { Logger } from '@nestjs/common';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { redisOptions } from '../queue/redis-connection.js';
import type { JobRegistry } from './job-registry.js';
import { backoffMs, MAX_ATTEMPTS, runOutboxJob, type OutboxRow } from './job-runner.js';

export const QUEUE_NAME = 'portal-jobs';
/** Rows a relay pass claims and publishes in one transaction, and how many such passes run side by side. */
const RELAY_BATCH = 100;
const RELAY_LANES = 2;

export interface QueuedJob {
  outboxId: number;
  payload: unknown;
}

export type JobQueue = Queue;

export function createQueue(redisUrl: string): JobQueue {
  return new Queue(QUEUE_NAME, {
    connection: redisOptions(redisUrl) as ConnectionOptions,
    defaultJobOptions: { attempts: MAX_ATTEMPTS, backoff: { type: 'exponential', delay: backoffMs(1) }, removeOnComplete: 1000, removeOnFail: false },
  });
}

/**
 * Publishes outbox rows to BullMQ with `jobId` = `ob-<outbox id>`, so a row published twice (a relay
 * that died after add, before marking) is still one job. While Redis is down, `add` fails at once
 * (enableOfflineQueue: false) and the rows simply wait for the next pass. Every few seconds it also looks
 * for rows published a while ago and still unprocessed whose job Redis no longer has (a restart without
 * persistence, a failover, a flush) and publishes them again under the same id.
 */
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private redisDown = false;
  private lastLostCheck = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly queue: JobQueue,
    private readonly intervalMs = 250,
    private readonly lostCheckMs = 5_000,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.relayAll()
        .then(() => undefined)
        .catch((e: Error) => {
          if (!this.redisDown) this.logger.warn(`outbox relay paused: ${e.message}`);
          this.redisDown = true;
        })
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Publish every due row; answers how many were published. Two lanes claim batches side by side (SKIP LOCKED keeps
   * them apart), so one batch's database round trips overlap the other's `addBulk` (tests/bench/outbox.bench.mjs).
   */
  async relayAll(): Promise<number> {
    const lane = async () => {
      let n = 0;
      for (;;) {
        const got = await this.relayBatch();
        n += got;
        if (got < RELAY_BATCH) return n;
      }
    };
    let total = (await Promise.all(Array.from({ length: RELAY_LANES }, lane))).reduce((a, b) => a + b, 0);
    if (Date.now() - this.lastLostCheck >= this.lostCheckMs) {
      total += await this.republishLost();
      this.lastLostCheck = Date.now();
    }
    if (this.redisDown) this.logger.log('outbox relay resumed: Redis is reachable again');
    this.redisDown = false;
    return total;
  }

  /** Publish again the published, unprocessed rows whose job BullMQ no longer has; answers how many. */
  async republishLost(): Promise<number> {
    const rows: Array<OutboxRow & { available_at: Date }> = await this.ds.query(
      `SELECT id, job_name, payload, attempts, available_at FROM outbox
        WHERE published_at < now() - interval '5 seconds' AND processed_at IS NULL AND attempts < $1
        ORDER BY id LIMIT 500`,
      [MAX_ATTEMPTS],
    );
    const lost: typeof rows = [];
    for (const r of rows) if (!(await this.queue.getJob(`ob-${r.id}`))) lost.push(r);
    if (!lost.length) return 0;
    // a job that finished meanwhile (and was already trimmed from Redis) is not sent again
    const still: Array<{ id: string }> = await this.ds.query(`SELECT id FROM outbox WHERE id = ANY($1) AND processed_at IS NULL`, [lost.map((r) => r.id)]);
    const again = lost.filter((r) => still.some((s) => String(s.id) === String(r.id)));
    if (!again.length) return 0;
    await this.queue.addBulk(again.map((r) => this.jobOf(r)));
    this.logger.warn(`republished ${again.length} job(s) that Redis no longer had`);
    return again.length;
  }

  private jobOf(r: OutboxRow & { available_at: Date }) {
    return {
      name: r.job_name,
      data: { outboxId: Number(r.id), payload: r.payload },
      opts: { jobId: `ob-${r.id}`, delay: Math.max(0, new Date(r.available_at).getTime() - Date.now()) },
    };
  }

  private relayBatch(): Promise<number> {
    return this.ds.transaction(async (em) => {
      const rows: Array<OutboxRow & { available_at: Date }> = await em.query(
        `SELECT id, job_name, payload, attempts, available_at FROM outbox
          WHERE published_at IS NULL AND processed_at IS NULL AND available_at <= now() + interval '1 day'
          ORDER BY id LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (!rows.length) return 0;
      await this.queue.addBulk(rows.map((r) => this.jobOf(r)));
      await em.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1)`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}

/** The BullMQ worker: runs each job's processor and records the outcome on its outbox row. */
export function createJobWorker(redisUrl: string, ds: DataSource, registry: JobRegistry, opts: { concurrency?: number; lockDuration?: number } = {}): Worker {
  const logger = new Logger('JobWorker');
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      const data = job.data as QueuedJob;
      await runOutboxJob(registry, { id: String(data.outboxId), job_name: job.name, payload: data.payload }, job.attemptsMade + 1);
      await ds.query(`UPDATE outbox SET processed_at = now(), attempts = $2, last_error = NULL WHERE id = $1`, [data.outboxId, job.attemptsMade + 1]);
    },
    {
      connection: redisOptions(redisUrl, { enableOfflineQueue: true }) as ConnectionOptions,
      concurrency: opts.concurrency ?? 4,
      lockDuration: opts.lockDuration ?? 30_000,
      // a killed worker's jobs come back once their lock lapses: look for stalled jobs as often as a lock
      // lasts (BullMQ's default of 30 s would hold them up to a minute whatever the lock duration)
      stalledInterval: Math.min(opts.lockDuration ?? 30_000, 30_000),
    },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    logger.warn(`job ${job.name} ${job.id} failed (attempt ${job.attemptsMade}): ${err.message}`);
    ds.query(`UPDATE outbox SET attempts = $2, last_error = $3 WHERE id = $1`, [
      (job.data as QueuedJob).outboxId,
      job.attemptsMade,
      err.message.slice(0, 2000),
    ]).catch(() => {});
  });
  worker.on('error', (err) => logger.warn(`worker: ${err.message}`));
  return worker;
}
