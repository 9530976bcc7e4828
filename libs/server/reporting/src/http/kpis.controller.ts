import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { KpisDto } from '@portal/contracts';
import { CurrentActor, type Actor } from '@portal/identity';
import { parseScope } from '../kpis/kpi-scope.js';
import { KpisService } from '../kpis/kpis.service.js';
import { KpiQueryDto } from './reporting.dto.js';
import { ApiReturns } from '@portal/core';

@ApiTags('reporting')
@ApiBearerAuth()
@Controller('kpis')
export class KpisController {
  constructor(private readonly kpis: KpisService) {}

  @Get()
  @ApiOperation({
    summary: '驾驶舱指标：每项指标的当前值、目标、完成进度、按县/行业/学校分布、月度趋势与明细列表链接（按角色：市级全部，县级本县，学校、企业本单位）',
  })
  @ApiReturns('KpisDto')
  get(@CurrentActor() actor: Actor, @Query() q: KpiQueryDto): Promise<KpisDto> {
    return this.kpis.forActor(actor, q.scope ? parseScope(q.scope) : undefined);
  }
}
