import { Controller, Get, Res, type OnModuleDestroy } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HealthReport } from '@portal/contracts';
import { ApiReturns, AppConfig, pingDatabase, RedisProbe } from '@portal/core';
import { Public } from '@portal/identity';
import { DataSource } from 'typeorm';

@ApiTags('health')
@Controller('health')
export class HealthController implements OnModuleDestroy {
  /** one connection for every check (RedisProbe), when the jobs run on Redis */
  private readonly redis: RedisProbe | undefined;

  constructor(
    private readonly ds: DataSource,
    config: AppConfig,
  ) {
    this.redis = config.redisUrl ? new RedisProbe(config.redisUrl) : undefined;
  }

  onModuleDestroy(): void {
    this.redis?.close();
  }

  @Public()
  @Get()
  @ApiOperation({ summary: '数据库与任务队列的状态；数据库不可用时答复 503' })
  @ApiReturns('HealthReport')
  async health(@Res({ passthrough: true }) reply: { status(code: number): unknown }): Promise<HealthReport> {
    let timer: NodeJS.Timeout | undefined;
    // straight on the pool (pingDatabase): TypeORM's query runner cost more than the statement
    const database = await Promise.race([
      pingDatabase(this.ds).then(() => ({ status: 'up' as const })),
      new Promise<{ status: 'down'; error: string }>((resolve) => {
        timer = setTimeout(() => resolve({ status: 'down', error: 'timeout' }), 2000);
      }),
    ])
      .catch((e: Error) => ({ status: 'down' as const, error: e.message }))
      .finally(() => clearTimeout(timer));
    const queue: HealthReport['queue'] = this.redis ? { mode: 'bullmq', ...(await this.redis.ping()) } : { mode: 'embedded', status: 'in-process' };
    const status = database.status === 'down' ? 'down' : queue.status === 'down' ? 'degraded' : 'ok';
    if (status === 'down') reply.status(503);
    return { status, database, queue };
  }
}
