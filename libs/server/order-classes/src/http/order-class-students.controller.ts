import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { isIsoDay, type OrderClassStudentDto, type StudentRevealDto } from '@portal/contracts';
import {
  ApiReturns,
  ApiReturnsFile,
  ApiReturnsList,
  ApiReturnsNothing,
  DomainException,
  filterIds,
  ListQueryDto,
  ParseIdPipe,
  parseListQuery,
  listExport,
  setContentRange,
} from '@portal/core';
import { CurrentActor, type Actor } from '@portal/identity';
import { StudentsService } from '../students/students.service.js';
import { ROSTER_EXPORT } from './exports.js';
import { OutcomeDtoIn, RevealDtoIn, StudentDtoIn } from './order-class.dto.js';

type Reply = { header(n: string, v: string): unknown; status(n: number): unknown };
const any = (qb: unknown) => qb;

/** The roster of an order class: masked for every reader; the full values on an audited reveal by the owning school. */
@ApiTags('order-classes')
@ApiBearerAuth()
@Controller('order-classes/:id/students')
export class OrderClassStudentsController {
  constructor(private readonly students: StudentsService) {}

  @Get()
  @ApiOperation({ summary: '学生名单（身份证号码、手机号码脱敏）；filter.at=YYYY-MM-DD 显示该日的名单' })
  @ApiReturnsList('OrderClassStudentDto')
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Query() q: ListQueryDto,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<OrderClassStudentDto[]> {
    const query = parseListQuery(q, {
      sortable: { id: 'id', name: 'name', joinedOn: 'joinedOn' },
      filters: { at: any, id: any, q: any, orderClassId: any },
      defaultSort: { field: 'id', order: 'ASC' },
    });
    const at = query.filter.at;
    if (at !== undefined && !isIsoDay(at))
      throw DomainException.validation('筛选条件 at 应为日期 YYYY-MM-DD', [{ field: 'filter.at', messages: ['日期格式不正确'] }]);
    const { rows, total } = await this.students.list(
      actor,
      id,
      { at, ids: filterIds(query.filter), q: query.filter.q ? String(query.filter.q).slice(0, 40) : undefined },
      query.sort as { field: 'id' | 'name' | 'joinedOn'; order: 'ASC' | 'DESC' },
      query.range,
    );
    setContentRange(reply, 'students', query, rows.length, total);
    return rows;
  }

  @Get('export')
  @ApiOperation({ summary: '导出学生名单（.xlsx，按名单的筛选与排序，身份证号码、手机号码脱敏）；filter.at=YYYY-MM-DD 导出该日的名单' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Query() q: ListQueryDto): Promise<StreamableFile> {
    return listExport(q, (page, reply) => this.list(actor, id, page, reply), ROSTER_EXPORT);
  }

  @Post()
  @ApiOperation({ summary: '新增学生（开班前；开班后请登记“学生加入”变更）：身份证号码校验、性别一致、班内不重复' })
  @ApiReturns('OrderClassStudentDto')
  add(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: StudentDtoIn): Promise<OrderClassStudentDto> {
    return this.students.add(actor, id, { name: dto.name, idNumber: dto.idNumber, gender: dto.gender, phone: dto.phone ?? '' });
  }

  @Delete(':studentId')
  @HttpCode(204)
  @ApiOperation({ summary: '删除误录的学生（开班前）' })
  @ApiReturnsNothing()
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Param('studentId', ParseIdPipe) studentId: number): Promise<void> {
    return this.students.remove(actor, id, studentId);
  }

  @Post(':studentId/reveal')
  @HttpCode(200)
  @ApiOperation({ summary: '查看完整身份证号码和手机号码（仅举办学校管理员；须说明理由，记入审计）' })
  @ApiReturns('StudentRevealDto')
  reveal(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Param('studentId', ParseIdPipe) studentId: number,
    @Body() dto: RevealDtoIn,
  ): Promise<StudentRevealDto> {
    return this.students.reveal(actor, id, studentId, dto.reason);
  }

  @Put(':studentId/outcome')
  @ApiOperation({ summary: '登记学生结业情况：是否结业、去向（合作企业就业、其他单位就业、升学、待就业）' })
  @ApiReturns('OrderClassStudentDto')
  outcome(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Param('studentId', ParseIdPipe) studentId: number,
    @Body() dto: OutcomeDtoIn,
  ): Promise<OrderClassStudentDto> {
    return this.students.setOutcome(actor, id, studentId, dto);
  }
}
