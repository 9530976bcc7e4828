import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiReturns,
  ApiReturnsList,
  AppConfig,
  DomainException,
  JobsService,
  listPage,
  ListQueryDto,
  type ListSpec,
  MAX_ATTEMPTS,
  ParseIdPipe,
} from '@portal/core';
import { Roles } from '@portal/identity';
import { DataSource, type ObjectLiteral } from 'typeorm';
import type { JobDto, JobRetryDto, JobStatsDto } from '@portal/contracts';

const JOB_STATUSES: ReadonlyArray<JobDto['status']> = ['pending', 'scheduled', 'retrying', 'failed', 'done'];
const STATUS_SQL = `CASE WHEN o.processed_at IS NOT NULL THEN 'done' WHEN o.attempts >= ${MAX_ATTEMPTS} THEN 'failed'
  WHEN o.last_error IS NOT NULL THEN 'retrying' WHEN o.available_at > now() THEN 'scheduled' ELSE 'pending' END`;

const LIST: ListSpec<ObjectLiteral> = {
  sortable: { id: 'o.id', createdAt: 'o.created_at', attempts: 'o.attempts' },
  filters: { status: (qb, v, p) => void qb.andWhere(`(${STATUS_SQL}) = :${p}`, { [p]: String(v) }), jobName: 'o.job_name' },
  defaultSort: { field: 'id', order: 'DESC' },
};

/**
 * Queue health for admins: every job is an outbox row, so this one screen shows both the embedded and
 * the BullMQ mode — counts by state, failed jobs with their error, and retry.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/jobs')
export class JobsController {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
  ) {}

  @Get('stats')
  @ApiOperation({ summary: '任务队列状态：各状态的任务数' })
  @ApiReturns('JobStatsDto')
  async stats(): Promise<JobStatsDto> {
    const rows: Array<{ status: string; n: number }> = await this.ds.query(`SELECT ${STATUS_SQL} AS status, count(*)::int AS n FROM outbox o GROUP BY 1`);
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0])) as JobStatsDto['counts'];
    let bullmq: Record<string, number> | undefined;
    const queue = this.config.redisUrl ? this.jobs.getQueue() : undefined;
    if (queue) bullmq = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed').catch(() => undefined);
    return { mode: this.config.queueMode, counts, bullmq };
  }

  @Get()
  @ApiOperation({ summary: '任务列表（可按状态筛选：failed 等）' })
  @ApiReturnsList('JobDto')
  async list(@Query() q: ListQueryDto, @Res({ passthrough: true }) reply: { header(n: string, v: string): unknown }): Promise<JobDto[]> {
    const qb = this.ds
      .createQueryBuilder()
      .select([
        'o.id AS id',
        'o.job_name AS "jobName"',
        'o.payload AS payload',
        'o.attempts AS attempts',
        'o.last_error AS "lastError"',
        'o.created_at AS "createdAt"',
        'o.processed_at AS "processedAt"',
        `${STATUS_SQL} AS status`,
      ])
      .from('outbox', 'o');
    return (await listPage(qb, q, LIST, reply, 'admin/jobs', { raw: true })).map((r): JobDto => ({ ...(r as JobDto), id: Number(r.id) }));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: '重试失败的任务' })
  @ApiReturns('JobRetryDto')
  async retry(@Param('id', ParseIdPipe) id: number): Promise<JobRetryDto> {
    // BullMQ keeps a failed job under its id (ob-<outbox id>): retry it there; otherwise the row is republished
    const job = this.config.redisUrl ? await this.jobs.getQueue()?.getJob(`ob-${id}`) : undefined;
    const inQueue = job ? await job.isFailed() : false;
    const [, n]: [unknown, number] = await this.ds.query(
      `UPDATE outbox SET attempts = 0, last_error = NULL, available_at = now(), published_at = CASE WHEN $2 THEN published_at ELSE NULL END
        WHERE id = $1 AND processed_at IS NULL`,
      [id, inQueue],
    );
    if (!n) throw DomainException.conflict('该任务已完成或不存在');
    if (inQueue) await job!.retry('failed');
    this.jobs.poke();
    return { id, status: 'pending' };
  }
}
