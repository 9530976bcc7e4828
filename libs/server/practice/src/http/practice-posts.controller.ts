import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res, type StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  COUNTY_CODES,
  type EnterpriseChoiceDto,
  INDUSTRY_CODES,
  type PracticeApplicationDto,
  type PracticePostDto,
  type PracticeStatsDto,
} from '@portal/contracts';
import {
  ApiReturns,
  ApiReturnsFile,
  ApiReturnsList,
  filterBool as bool,
  filterDay as day,
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
import { practiceApplicationWorkflow } from '../posts/practice-application.workflow.js';
import { PracticeApplicationsService } from '../posts/practice-applications.service.js';
import { PracticePostsService } from '../posts/practice-posts.service.js';
import { PracticeStatsService } from '../records/practice-stats.service.js';
import { ApplyDto, ClosePostDto, CreatePostDto } from './practice.dto.js';
import { PRACTICE_APPLICATION_EXPORT, PRACTICE_POST_EXPORT } from './practice.exports.js';

type Reply = { header(n: string, v: string): unknown };
const any = (qb: unknown) => qb;
const APPLICATION_STATES = Object.keys(practiceApplicationWorkflow.states);

@ApiTags('practice')
@ApiBearerAuth()
@Controller('practice-posts')
export class PracticePostsController {
  constructor(private readonly posts: PracticePostsService) {}

  @Get()
  @ApiOperation({ summary: '千企万岗实践岗位（按专业、县（市、区）、产业、日期检索）' })
  @ApiReturnsList('PracticePostDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<PracticePostDto[]> {
    const query = parseListQuery(q, {
      sortable: { id: 'id', startDate: 'startDate', remaining: 'remaining' },
      filters: {
        id: any,
        enterpriseId: any,
        major: any,
        countyCode: any,
        industry: any,
        from: any,
        to: any,
        status: any,
        available: any,
        acceptedForMe: any,
        q: any,
      },
      defaultSort: { field: 'id', order: 'DESC' },
    });
    const f = query.filter;
    const { rows, total } = await this.posts.list(
      actor,
      {
        ids: idList(f),
        enterpriseId: int(f, 'enterpriseId'),
        major: text(f, 'major', 50),
        countyCode: oneOf(f, 'countyCode', COUNTY_CODES),
        industry: oneOf(f, 'industry', INDUSTRY_CODES),
        from: day(f, 'from'),
        to: day(f, 'to'),
        status: oneOf(f, 'status', ['open', 'closed'] as const),
        available: bool(f, 'available'),
        acceptedForMe: bool(f, 'acceptedForMe'),
        q: text(f, 'q'),
      },
      query.sort as { field: 'id' | 'startDate' | 'remaining'; order: 'ASC' | 'DESC' },
      query.range,
    );
    setContentRange(reply, 'practice-posts', query, rows.length, total);
    return rows;
  }

  @Post()
  @ApiOperation({ summary: '企业发布实践岗位' })
  @ApiReturns('PracticePostDto')
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePostDto): Promise<PracticePostDto> {
    return this.posts.create(actor, dto);
  }

  @Get('export')
  @ApiOperation({ summary: '导出实践岗位（.xlsx，按当前筛选条件和排序；中文表头）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto): Promise<StreamableFile> {
    return listExport(q, (page, reply) => this.list(actor, page, reply), PRACTICE_POST_EXPORT);
  }

  @Get(':id')
  @ApiReturns('PracticePostDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<PracticePostDto> {
    return this.posts.get(actor, id);
  }

  @Put(':id')
  @ApiOperation({ summary: '开放或关闭岗位（发布企业）' })
  @ApiReturns('PracticePostDto')
  setStatus(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ClosePostDto): Promise<PracticePostDto> {
    return this.posts.setStatus(actor, id, dto.status);
  }
}

@ApiTags('practice')
@ApiBearerAuth()
@Controller('practice-applications')
export class PracticeApplicationsController {
  constructor(private readonly applications: PracticeApplicationsService) {}

  @Get()
  @ApiOperation({ summary: '岗位申请（教师：本人；学校：本校教师；企业：本企业岗位；可按流程状态 state 筛选）' })
  @ApiReturnsList('PracticeApplicationDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<PracticeApplicationDto[]> {
    const query = parseListQuery(q, {
      sortable: { id: 'id', updatedAt: 'updatedAt' },
      filters: { id: any, postId: any, state: any, teacherId: any },
      defaultSort: { field: 'id', order: 'DESC' },
    });
    const f = query.filter;
    const { rows, total } = await this.applications.list(
      actor,
      { ids: idList(f), postId: int(f, 'postId'), state: textList(f, 'state', APPLICATION_STATES), teacherId: int(f, 'teacherId') },
      query.sort as { field: 'id' | 'updatedAt'; order: 'ASC' | 'DESC' },
      query.range,
    );
    setContentRange(reply, 'practice-applications', query, rows.length, total);
    return rows;
  }

  @Post()
  @ApiOperation({ summary: '教师申请实践岗位（名额已满或岗位关闭时答复 409）' })
  @ApiReturns('PracticeApplicationDto')
  apply(@CurrentActor() actor: Actor, @Body() dto: ApplyDto): Promise<PracticeApplicationDto> {
    return this.applications.apply(actor, dto.postId, dto.note);
  }

  @Get('export')
  @ApiOperation({ summary: '导出岗位申请（.xlsx，按当前筛选条件和排序；中文表头）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto): Promise<StreamableFile> {
    return listExport(q, (page, reply) => this.list(actor, page, reply), PRACTICE_APPLICATION_EXPORT);
  }

  @Get(':id')
  @ApiReturns('PracticeApplicationDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<PracticeApplicationDto> {
    return this.applications.get(actor, id);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiOperation({ summary: '学校同意/不同意，企业接收/不接收，教师撤回（经流程引擎；version 过期答复 409；岗位名额已满时接收答复 409）' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiReturns('PracticeApplicationDto')
  act(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: ActionDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<PracticeApplicationDto> {
    return this.applications.act(actor, id, dto, { idempotencyKey: key });
  }
}

@ApiTags('practice')
@ApiBearerAuth()
@Controller('practice-hosts')
export class PracticeHostsController {
  constructor(private readonly posts: PracticePostsService) {}

  @Get()
  @ApiOperation({ summary: '可选的接收企业（已注册企业的名称、县（市、区）、产业）' })
  @ApiReturnsList('EnterpriseChoiceDto')
  async list(@Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<EnterpriseChoiceDto[]> {
    const query = parseListQuery(q, { sortable: { name: 'name', id: 'id' }, filters: { q: any, id: any }, defaultSort: { field: 'name', order: 'ASC' } });
    const { rows, total } = await this.posts.hosts(text(query.filter, 'q'), query.range, idList(query.filter));
    setContentRange(reply, 'practice-hosts', query, rows.length, total);
    return rows;
  }
}

@ApiTags('practice')
@ApiBearerAuth()
@Controller('practice-stats')
export class PracticeStatsController {
  constructor(private readonly stats: PracticeStatsService) {}

  @Get()
  @ApiOperation({ summary: '教师入企实践人次：按县（市、区）、学校、产业、月份，对照目标（市教育局、管理员：全市；县教育局：本县（市、区）学校）' })
  @ApiReturns('PracticeStatsDto')
  get(@CurrentActor() actor: Actor): Promise<PracticeStatsDto> {
    return this.stats.stats(actor);
  }
}
