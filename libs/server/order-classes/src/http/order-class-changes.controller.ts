import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrderClassDto, RosterChangeDto } from '@portal/contracts';
import { ApiReturns, ApiReturnsList, ListQueryDto, ParseIdPipe, parseListQuery, setContentRange } from '@portal/core';
import { CurrentActor, type Actor } from '@portal/identity';
import { RosterChangesService } from '../students/roster-changes.service.js';
import { ChangeDtoIn } from './order-class.dto.js';

type Reply = { header(n: string, v: string): unknown; status(n: number): unknown };

/** Roster changes while a class runs: each one an audited action of the case. */
@ApiTags('order-classes')
@ApiBearerAuth()
@Controller('order-classes/:id/changes')
export class OrderClassChangesController {
  constructor(private readonly changes: RosterChangesService) {}

  @Get()
  @ApiOperation({ summary: '名单变更记录（加入、退出；日期与原因）' })
  @ApiReturnsList('RosterChangeDto')
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Query() q: ListQueryDto,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<RosterChangeDto[]> {
    const query = parseListQuery(q, { sortable: { id: 'id' }, filters: {}, defaultSort: { field: 'id', order: 'DESC' } });
    const { rows, total } = await this.changes.list(actor, id, query.range);
    setContentRange(reply, 'changes', query, rows.length, total);
    return rows;
  }

  @Post()
  @ApiOperation({ summary: '登记名单变更（培养中）：学生退出（studentId）或加入（student），附日期和原因；作为流程操作记入审计' })
  @ApiReturns('OrderClassDto')
  record(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ChangeDtoIn): Promise<OrderClassDto> {
    return this.changes.record(actor, id, {
      kind: dto.kind,
      date: dto.date,
      reason: dto.reason,
      studentId: dto.studentId,
      student: dto.student ? { name: dto.student.name, idNumber: dto.student.idNumber, gender: dto.student.gender, phone: dto.student.phone ?? '' } : undefined,
      version: dto.version,
    });
  }
}
