import { Injectable } from '@nestjs/common';
import { JOB_NAMES, type JobName, type JobPayloads } from '@portal/contracts';

export interface JobContext {
  /** the outbox row id behind this job */
  outboxId: number;
  attempt: number;
}

export type JobHandler<N extends JobName = JobName> = (payload: JobPayloads[N], ctx: JobContext) => Promise<void>;

/**
 * The one map from job name to processor. Modules register their handlers when they start; whoever runs
 * jobs (the worker, or the API's in-process runner) checks that every JobName has one before it begins.
 * Handlers must be idempotent: a job may run more than once (retry, a worker killed mid-job).
 */
@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<JobName, JobHandler>();

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`job ${name} already has a processor`);
    this.handlers.set(name, handler as JobHandler);
  }

  handler(name: string): JobHandler | undefined {
    return this.handlers.get(name as JobName);
  }

  /** Names of jobs nobody processes; a runner refuses to start while this is not empty. */
  missing(): JobName[] {
    return JOB_NAMES.filter((n) => !this.handlers.has(n));
  }
}
