import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res, type StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { COUNTY_CODES, INDUSTRY_CODES, type PracticeRecordDto } from '@portal/contracts';
import {
  ApiReturns,
  ApiReturnsFile,
  ApiReturnsList,
  filterBool as bool,
  filterIds as idList,
  filterInt as int,
  filterOneOf as oneOf,
  filterText as text,
  filterTextList as textList,
  listExport,
  ListQueryDto,
  ParseIdPipe,
  parseListQuery,
  setContentRange,
} from '@portal/core';
import { CurrentActor, type Actor } from '@portal/identity';
import { ActionDto } from '@portal/workflow';
import { practiceWorkflow } from '../records/practice.workflow.js';
import { PracticeRecordsService, type RecordListSort } from '../records/practice-records.service.js';
import { CreatePracticeRecordDto, UpdatePracticeRecordDto } from './practice.dto.js';
import { PRACTICE_RECORD_EXPORT } from './practice.exports.js';

type Reply = { header(n: string, v: string): unknown };
const any = (qb: unknown) => qb;
const STATES = Object.keys(practiceWorkflow.states);

@ApiTags('practice')
@ApiBearerAuth()
@Controller('practice-records')
export class PracticeRecordsController {
  constructor(private readonly records: PracticeRecordsService) {}

  @Get()
  @ApiOperation({
    summary:
      '企业实践记录（教师：本人；学校管理员：本校；接收企业：本企业接收的；市级、管理员：已认定的全部；县级：本县学校已认定的）；可按学校所在县（countyCode）、接收企业产业（industry，other = 未分类）筛选',
  })
  @ApiReturnsList('PracticeRecordDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<PracticeRecordDto[]> {
    const query = parseListQuery(q, {
      sortable: { id: 'id', startDate: 'startDate', endDate: 'endDate', updatedAt: 'updatedAt', stageDueAt: 'stageDueAt' },
      filters: { id: any, state: any, teacherId: any, schoolId: any, hostOrgId: any, counted: any, caseId: any, countyCode: any, industry: any, q: any },
      defaultSort: { field: 'id', order: 'DESC' },
    });
    const f = query.filter;
    const { rows, total } = await this.records.list(
      actor,
      {
        ids: idList(f),
        state: textList(f, 'state', STATES),
        teacherId: int(f, 'teacherId'),
        schoolId: int(f, 'schoolId'),
        hostOrgId: int(f, 'hostOrgId'),
        counted: bool(f, 'counted'),
        caseId: int(f, 'caseId'),
        countyCode: oneOf(f, 'countyCode', COUNTY_CODES),
        industry: oneOf(f, 'industry', INDUSTRY_CODES),
        q: text(f, 'q'),
      },
      query.sort as RecordListSort,
      query.range,
    );
    setContentRange(reply, 'practice-records', query, rows.length, total);
    return rows;
  }

  @Post()
  @ApiOperation({ summary: '教师登记一条企业实践（草稿；与本人其他记录时间重叠时答复 409 并指明该记录）' })
  @ApiReturns('PracticeRecordDto')
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePracticeRecordDto): Promise<PracticeRecordDto> {
    return this.records.create(actor, dto);
  }

  @Get('export')
  @ApiOperation({ summary: '导出实践记录（.xlsx，按当前筛选条件和排序；中文表头）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto): Promise<StreamableFile> {
    return listExport(q, (page, reply) => this.list(actor, page, reply), PRACTICE_RECORD_EXPORT);
  }

  @Get(':id')
  @ApiReturns('PracticeRecordDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<PracticeRecordDto> {
    return this.records.get(actor, id);
  }

  @Put(':id')
  @ApiOperation({ summary: '修改实践记录（教师本人，填报中或退回修改时；dataVersion 过期答复 409）' })
  @ApiReturns('PracticeRecordDto')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdatePracticeRecordDto): Promise<PracticeRecordDto> {
    return this.records.update(actor, id, dto);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiReturns('PracticeRecordDto')
  act(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: ActionDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<PracticeRecordDto> {
    return this.records.act(actor, id, dto, { idempotencyKey: key });
  }
}
