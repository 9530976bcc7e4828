import { Body, Controller, Delete, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StatusEventDto, TargetDto } from '@portal/contracts';
import { ApiReturns, ApiReturnsFile, ApiReturnsList, exportDateTime, listExport, type ListExportSpec, ListQueryDto, ParseIdPipe } from '@portal/core';
import { CurrentActor, Roles, type Actor } from '@portal/identity';
import { TargetsService } from '../targets/targets.service.js';
import { CreateTargetDto, UpdateTargetDto } from './reporting.dto.js';

type Reply = { header(n: string, v: string): unknown };

const TARGETS_EXPORT: ListExportSpec<TargetDto> = {
  title: '规划目标',
  fields: [
    { header: '编号', cell: (r) => r.id },
    { header: '指标', width: 24, cell: (r) => r.label },
    { header: '目标值', cell: (r) => r.value },
    { header: '单位', cell: (r) => r.unit },
    { header: '完成期限', width: 12, cell: (r) => r.deadline },
    { header: '重点任务', cell: (r) => r.seedTask },
    { header: '范围', cell: (r) => r.countyCode ?? '全市' },
    { header: '最后修改人', cell: (r) => r.updatedByName },
    { header: '最后修改时间', width: 18, cell: (r) => exportDateTime(r.updatedAt) },
  ],
};

@ApiTags('reporting')
@ApiBearerAuth()
@Controller('targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Get()
  @ApiOperation({ summary: '规划目标（全市与各县；登录用户均可查看）' })
  @ApiReturnsList('TargetDto')
  list(@Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<TargetDto[]> {
    return this.targets.list(q, reply);
  }

  @Get('export')
  @ApiOperation({ summary: '导出规划目标（.xlsx）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@Query() q: ListQueryDto) {
    return listExport(q, (page, reply) => this.list(page, reply), TARGETS_EXPORT);
  }

  @Get(':id')
  @ApiReturns('TargetDto')
  get(@Param('id', ParseIdPipe) id: number): Promise<TargetDto> {
    return this.targets.get(id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: '目标的修改记录（谁、何时、改了什么）' })
  @ApiReturnsList('StatusEventDto')
  history(@Param('id', ParseIdPipe) id: number): Promise<StatusEventDto[]> {
    return this.targets.history(id);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: '新增目标（管理员；同一指标在同一范围只能有一个目标）' })
  @ApiReturns('TargetDto')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTargetDto): Promise<TargetDto> {
    return this.targets.create(actor, { ...dto, countyCode: dto.countyCode ?? null });
  }

  @Put(':id')
  @Roles('admin')
  @ApiOperation({ summary: '修改目标（管理员；留痕）' })
  @ApiReturns('TargetDto')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateTargetDto): Promise<TargetDto> {
    return this.targets.update(actor, id, dto);
  }

  @Delete(':id')
  @Roles('admin')
  @ApiOperation({ summary: '删除目标（管理员；留痕）' })
  @ApiReturns('TargetDto')
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<TargetDto> {
    return this.targets.remove(actor, id);
  }
}
