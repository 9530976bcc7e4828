import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WorkloadDto } from '@portal/contracts';
import { CurrentActor, type Actor } from '@portal/identity';
import { WorkloadService } from '@portal/workflow';
import { WorkloadQueryDto } from './reporting.dto.js';
import { ApiReturns } from '@portal/core';

@ApiTags('reporting')
@ApiBearerAuth()
@Controller('workload')
export class WorkloadController {
  constructor(private readonly workload: WorkloadService) {}

  @Get()
  @ApiOperation({ summary: '审核工作量：各阶段与各审核人的在办任务、逾期任务、各阶段办理用时中位数（工作日）、等待最久的事项' })
  @ApiReturns('WorkloadDto')
  get(@CurrentActor() actor: Actor, @Query() q: WorkloadQueryDto): Promise<WorkloadDto> {
    return this.workload.workload(actor, q.countyCode);
  }
}
