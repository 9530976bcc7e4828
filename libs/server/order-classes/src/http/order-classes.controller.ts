import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EmploymentStatsDto, EmploymentStatsGroup, EnterpriseChoiceDto, OrderClassDto, OrderClassProgressDto } from '@portal/contracts';
import {
  ApiReturns,
  ApiReturnsFile,
  ApiReturnsList,
  DomainException,
  listExport,
  ListQueryDto,
  ParseIdPipe,
  parseListQuery,
  setContentRange,
} from '@portal/core';
import { CurrentActor, type Actor } from '@portal/identity';
import { ActionDto, WorkflowService } from '@portal/workflow';
import { OrderClassStatsService } from '../classes/order-class-stats.service.js';
import { OrderClassesService, type OrderClassSort } from '../classes/order-classes.service.js';
import { ORDER_CLASS_WORKFLOW } from '../classes/order-class.workflow.js';
import { ORDER_CLASS_EXPORT } from './exports.js';
import { ORDER_CLASS_FILTERS, orderClassFilter } from './list-filters.js';
import { CreateOrderClassDto, UpdateOrderClassDto } from './order-class.dto.js';

type Reply = { header(n: string, v: string): unknown; status(n: number): unknown };
const any = (qb: unknown) => qb;
const SORTABLE = { id: 'id', name: 'name', updatedAt: 'updatedAt', cohortYear: 'cohortYear', stageDueAt: 'stageDueAt' };
const GROUPS: readonly EmploymentStatsGroup[] = ['class', 'school', 'enterprise', 'county'];

@ApiTags('order-classes')
@ApiBearerAuth()
@Controller('order-classes')
export class OrderClassesController {
  constructor(
    private readonly classes: OrderClassesService,
    private readonly stats: OrderClassStatsService,
    private readonly workflow: WorkflowService,
  ) {}

  private states(): string[] {
    return Object.keys(this.workflow.definition(ORDER_CLASS_WORKFLOW).states);
  }

  @Get()
  @ApiOperation({ summary: '订单班列表（学校：本校；企业：本企业参与的；县级：本县已提交的；市级：全部）；可按学校、企业、产业、专业、县、阶段筛选' })
  @ApiReturnsList('OrderClassDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<OrderClassDto[]> {
    const query = parseListQuery(q, {
      sortable: SORTABLE,
      filters: Object.fromEntries(Object.keys(ORDER_CLASS_FILTERS).map((k) => [k, any])),
      defaultSort: { field: 'id', order: 'DESC' },
    });
    const { rows, total } = await this.classes.list(actor, orderClassFilter(query.filter, this.states()), query.sort as OrderClassSort, query.range);
    setContentRange(reply, 'order-classes', query, rows.length, total);
    return rows;
  }

  @Post()
  @ApiOperation({ summary: '登记订单班（学校管理员）：合作企业从已注册企业中选择，或以统一社会信用代码和邮箱邀请' })
  @ApiReturns('OrderClassDto')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrderClassDto): Promise<OrderClassDto> {
    return this.classes.create(actor, dto);
  }

  @Get('export')
  @ApiOperation({ summary: '导出订单班列表（.xlsx，按当前筛选条件和排序；中文表头）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto): Promise<StreamableFile> {
    return listExport(q, (page, reply) => this.list(actor, page, reply), ORDER_CLASS_EXPORT);
  }

  @Get('employment-stats')
  @ApiOperation({ summary: '就业情况统计（按订单班、学校、企业或县汇总；由学生结业去向计算）' })
  @ApiReturnsList('EmploymentStatsDto')
  employment(@CurrentActor() actor: Actor, @Query('group') group = 'class', @Query('filter') filter?: string): Promise<EmploymentStatsDto[]> {
    if (!GROUPS.includes(group as EmploymentStatsGroup))
      throw DomainException.validation('group 应为 class、school、enterprise 或 county', [{ field: 'group', messages: ['不在可选值范围内'] }]);
    const query = parseListQuery(
      { filter },
      { sortable: SORTABLE, filters: Object.fromEntries(Object.keys(ORDER_CLASS_FILTERS).map((k) => [k, any])), defaultSort: { field: 'id', order: 'ASC' } },
    );
    return this.stats.employment(actor, group as EmploymentStatsGroup, orderClassFilter(query.filter, this.states()));
  }

  @Get('enterprise-choices')
  @ApiOperation({ summary: '可选择的合作企业（已注册企业，按名称或统一社会信用代码搜索；学校管理员）' })
  @ApiReturnsList('EnterpriseChoiceDto')
  enterpriseChoices(@CurrentActor() actor: Actor, @Query('q') q = ''): Promise<EnterpriseChoiceDto[]> {
    if (typeof q !== 'string' || q.length > 50) throw DomainException.validation('搜索内容过长', [{ field: 'q', messages: ['不超过 50 个字'] }]);
    return this.classes.enterpriseChoices(actor, q);
  }

  @Get('progress')
  @ApiOperation({ summary: '订单班建设进度：已备案数对照全市目标（规划目标 order_classes）' })
  @ApiReturns('OrderClassProgressDto')
  progress(@CurrentActor() actor: Actor): Promise<OrderClassProgressDto> {
    return this.stats.progress(actor);
  }

  @Get(':id')
  @ApiReturns('OrderClassDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<OrderClassDto> {
    return this.classes.get(actor, id);
  }

  @Put(':id')
  @ApiOperation({ summary: '保存订单班信息（填报中或退回修改时；dataVersion 过期答复 409）' })
  @ApiReturns('OrderClassDto')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateOrderClassDto): Promise<OrderClassDto> {
    return this.classes.update(actor, id, dto);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: '流程操作：提交企业确认、确认合作、退回修改、予以备案、不予备案、结束培养、提交结业报告、撤回、终止' })
  @ApiReturns('OrderClassDto')
  act(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: ActionDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<OrderClassDto> {
    return this.classes.act(actor, id, dto, { idempotencyKey: key });
  }
}
