import { Body, Controller, Get, Headers, HttpCode, Ip, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type BatchResult,
  CERTIFICATION_LEVEL_CODES,
  CERTIFICATION_STATUS_CODES,
  type CertificationApplicationDto,
  type CertificationDto,
  COUNTY_CODES,
  type EligibilityRule,
  INDUSTRY_CODES,
  portalToday,
  type PublicityNoticeDto,
  type RecordDto,
  SUBSIDY_STATUSES,
  type SubsidyDto,
} from '@portal/contracts';
import {
  ApiReturns,
  ApiReturnsFile,
  ApiReturnsList,
  DomainException,
  filterInt,
  filterOneOf,
  filterTextList,
  filterYear,
  idsFilter,
  listExport,
  ListQueryDto,
  ParseIdPipe,
  parseListQuery,
  setContentRange,
  yuanToFen,
} from '@portal/core';
import { CurrentActor, Public, Roles, type Actor } from '@portal/identity';
import { ObjectionDtoIn, ObjectionsService, type ObjectionDto } from '@portal/workflow';
import { ApplicationsService } from '../applications/applications.service.js';
import { CERTIFICATION_WORKFLOW } from '../applications/certification.workflow.js';
import { CertificationBatchService } from '../applications/batch.service.js';
import { AnnualReportsService, type AnnualReportDto } from '../certifications/annual-reports.service.js';
import { CertificationsService } from '../certifications/certifications.service.js';
import { RecordsService } from '../certifications/records.service.js';
import { SubsidiesService, type SubsidyTotals } from '../subsidies/subsidies.service.js';
import {
  ActionDto,
  AnnualReportDtoIn,
  BatchActionDto,
  CreateApplicationDto,
  PayDto,
  ProposeRecordDto,
  ReasonDto,
  RecordCertificationDto,
  RecoverDto,
  UpdateApplicationDto,
} from './certification.dto.js';
import { APPLICATIONS_EXPORT, CERTIFICATIONS_EXPORT, RECORDS_EXPORT, SUBSIDIES_EXPORT } from './certification.exports.js';

type Reply = { header(n: string, v: string): unknown; status(n: number): unknown };
const any = (qb: unknown) => qb;

@ApiTags('certification')
@ApiBearerAuth()
@Controller('certification-applications')
export class ApplicationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly batch: CertificationBatchService,
  ) {}

  @Get()
  @ApiOperation({ summary: '认定申请列表（企业：本企业；县级：本县；市级：全部；专家：受邀评审的）' })
  @ApiReturnsList('CertificationApplicationDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<CertificationApplicationDto[]> {
    const query = parseListQuery(q, {
      sortable: { id: 'id', updatedAt: 'updatedAt', stageDueAt: 'stageDueAt' },
      filters: { id: any, state: any, countyCode: any, year: any, overdue: any, q: any, enterpriseId: any, caseId: any },
      defaultSort: { field: 'id', order: 'DESC' },
    });
    const f = query.filter;
    if (f.countyCode !== undefined && !COUNTY_CODES.includes(String(f.countyCode)))
      throw DomainException.validation('筛选条件 countyCode 不是温州市的县（市、区）', [{ field: 'filter.countyCode', messages: ['不正确'] }]);
    const { rows, total } = await this.applications.list(
      actor,
      {
        state: filterTextList(f, 'state', this.applications.states()),
        countyCode: f.countyCode as string | undefined,
        year: f.year ? Number(f.year) : undefined,
        overdue: f.overdue === true || f.overdue === 'true',
        q: f.q ? String(f.q) : undefined,
        enterpriseId: f.enterpriseId ? Number(f.enterpriseId) : undefined,
        caseId: f.caseId ? Number(f.caseId) : undefined,
        ids: idsFilter(query),
      },
      query.sort as { field: 'id' | 'updatedAt' | 'stageDueAt'; order: 'ASC' | 'DESC' },
      query.range,
    );
    setContentRange(reply, 'certification-applications', query, rows.length, total);
    return rows;
  }

  @Get('export')
  @ApiOperation({ summary: '导出认定申请（.xlsx，按列表的筛选与排序）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto) {
    return listExport(q, (page, reply) => this.list(actor, page, reply), APPLICATIONS_EXPORT);
  }

  @Post()
  @ApiOperation({ summary: '发起认定申请；已有进行中的申请时答复该申请（不会重复创建草稿）' })
  @ApiCreatedResponse({ description: '新建的申请草稿' })
  @ApiOkResponse({ description: '已有进行中的申请：答复该申请' })
  @ApiReturns('CertificationApplicationDto')
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateApplicationDto,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<CertificationApplicationDto> {
    const { application, created } = await this.applications.create(actor, dto.year ?? Number(portalToday().slice(0, 4)));
    reply.status(created ? 201 : 200);
    return application;
  }

  @Post('batch-actions')
  @HttpCode(200)
  @ApiOperation({ summary: '批量操作（如批量认定）：每件仍是一次独立、留痕的流程操作' })
  @ApiReturns('BatchResult')
  batchAct(@CurrentActor() actor: Actor, @Body() dto: BatchActionDto): Promise<BatchResult> {
    return this.batch.run(actor, dto.ids, { action: dto.action, comment: dto.comment });
  }

  @Get(':id')
  @ApiReturns('CertificationApplicationDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<CertificationApplicationDto> {
    return this.applications.get(actor, id);
  }

  @Put(':id')
  @ApiOperation({ summary: '保存申请内容（填报中或退回补正时；dataVersion 过期答复 409）' })
  @ApiReturns('CertificationApplicationDto')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateApplicationDto): Promise<CertificationApplicationDto> {
    return this.applications.update(actor, id, dto);
  }

  @Get(':id/eligibility')
  @ApiOperation({ summary: '资格预审：每条规则的结果（通过/警示/不通过）及依据' })
  @ApiReturnsList('EligibilityRule')
  eligibility(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<EligibilityRule[]> {
    return this.applications.eligibility(actor, id);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiReturns('CertificationApplicationDto')
  act(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: ActionDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<CertificationApplicationDto> {
    return this.applications.act(actor, id, dto, { idempotencyKey: key });
  }
}

@ApiTags('certification')
@ApiBearerAuth()
@Controller('certifications')
export class CertificationsController {
  constructor(
    private readonly certifications: CertificationsService,
    private readonly reports: AnnualReportsService,
  ) {}

  @Get(':id/annual-reports')
  @ApiOperation({ summary: '认定企业的年度报告' })
  @ApiReturnsList('AnnualReportDto')
  annualReports(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<AnnualReportDto[]> {
    return this.reports.list(actor, id);
  }

  @Post(':id/annual-reports')
  @ApiOperation({ summary: '提交年度报告（认定企业；每年一份）' })
  @ApiReturns('AnnualReportDto')
  submitAnnualReport(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: AnnualReportDtoIn): Promise<AnnualReportDto> {
    const { year, ...content } = dto;
    return this.reports.submit(actor, id, year, content);
  }

  @Get()
  @ApiReturnsList('CertificationDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<CertificationDto[]> {
    const query = parseListQuery(q, {
      sortable: { id: 'id' },
      filters: { id: any, level: any, countyCode: any, enterpriseId: any, status: any, industry: any },
      defaultSort: { field: 'id', order: 'DESC' },
    });
    const f = query.filter;
    if (f.industry !== undefined && !INDUSTRY_CODES.includes(String(f.industry)))
      throw DomainException.validation('筛选条件 industry 不是“5+5+N”产业之一', [{ field: 'filter.industry', messages: ['不正确'] }]);
    if (f.level !== undefined && !CERTIFICATION_LEVEL_CODES.includes(f.level as never))
      throw DomainException.validation('筛选条件 level 不正确', [{ field: 'filter.level', messages: ['应为 city、provincial 或 national'] }]);
    const { rows, total } = await this.certifications.list(
      actor,
      {
        level: f.level as string,
        countyCode: f.countyCode as string,
        enterpriseId: filterInt(f, 'enterpriseId'),
        // a status the list does not know would be ignored and answer every certification: refused instead
        status: filterOneOf(f, 'status', CERTIFICATION_STATUS_CODES),
        industry: f.industry as string | undefined,
        ids: idsFilter(query),
      },
      query.range,
    );
    setContentRange(reply, 'certifications', query, rows.length, total);
    return rows;
  }

  @Get('export')
  @ApiOperation({ summary: '导出认定企业（.xlsx，按列表的筛选）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto) {
    return listExport(q, (page, reply) => this.list(actor, page, reply), CERTIFICATIONS_EXPORT);
  }

  @Post()
  @Roles('city_reviewer', 'admin')
  @ApiOperation({ summary: '市级登记省级、国家级认定（幂等：重复登记答复同一条，补助只生成一笔）' })
  @ApiCreatedResponse({ description: '新登记的认定' })
  @ApiOkResponse({ description: '重复登记：答复已有的认定' })
  @ApiReturns('CertificationDto')
  async record(@CurrentActor() actor: Actor, @Body() dto: RecordCertificationDto, @Res({ passthrough: true }) reply: Reply): Promise<CertificationDto> {
    const { certification, created } = await this.certifications.record(actor, dto);
    reply.status(created ? 201 : 200);
    return certification;
  }

  @Get(':id')
  @ApiReturns('CertificationDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<CertificationDto> {
    return this.certifications.get(actor, id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('city_reviewer', 'admin')
  @ApiOperation({
    summary: '撤销认定：证书随即作废，未拨付补助撤销、已拨付补助待追回，在设定年限内（certification.blockYearsAfterRevocation）不得再申报',
  })
  @ApiReturns('CertificationDto')
  revoke(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ReasonDto): Promise<CertificationDto> {
    return this.certifications.revoke(actor, id, dto.reason);
  }
}

@ApiTags('certification')
@ApiBearerAuth()
@Controller('certification-records')
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Get()
  @ApiReturnsList('RecordDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<RecordDto[]> {
    const query = parseListQuery(q, { sortable: { id: 'id' }, filters: { id: any, caseId: any }, defaultSort: { field: 'id', order: 'DESC' } });
    const { rows, total } = await this.records.list(actor, query.range, query.filter.caseId ? Number(query.filter.caseId) : undefined, idsFilter(query));
    setContentRange(reply, 'certification-records', query, rows.length, total);
    return rows;
  }

  @Get('export')
  @ApiOperation({ summary: '导出上级认定备案（.xlsx，按列表的筛选）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto) {
    return listExport(q, (page, reply) => this.list(actor, page, reply), RECORDS_EXPORT);
  }

  @Post()
  @ApiOperation({ summary: '企业申请备案省级、国家级认定（附公布名单，由市级确认）；同一文号的备案办理中时答复 409' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '重复请求答复首次创建的备案（响应头 Idempotent-Replayed: true）' })
  @ApiReturns('RecordDto')
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: ProposeRecordDto,
    @Res({ passthrough: true }) reply: Reply,
    @Headers('idempotency-key') key?: string,
  ): Promise<RecordDto> {
    const { record, replayed } = await this.records.create(actor, dto, key);
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return record;
  }

  @Get(':id')
  @ApiReturns('RecordDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<RecordDto> {
    return this.records.get(actor, id);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiReturns('RecordDto')
  act(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: ActionDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<RecordDto> {
    return this.records.act(actor, id, dto, key);
  }
}

@ApiTags('subsidies')
@ApiBearerAuth()
@Controller('subsidies')
export class SubsidiesController {
  constructor(private readonly subsidies: SubsidiesService) {}

  @Get()
  @ApiOperation({ summary: '补助台账（财政：本县；企业：本企业；市级：全部）' })
  @ApiReturnsList('SubsidyDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<SubsidyDto[]> {
    const query = parseListQuery(q, {
      sortable: { id: 'id' },
      filters: { id: any, status: any, level: any, countyCode: any, enterpriseId: any, industry: any, year: any },
      defaultSort: { field: 'id', order: 'DESC' },
    });
    const f = query.filter;
    if (f.industry !== undefined && !INDUSTRY_CODES.includes(String(f.industry)))
      throw DomainException.validation('筛选条件 industry 不是“5+5+N”产业之一', [{ field: 'filter.industry', messages: ['不正确'] }]);
    if (f.status !== undefined && !(String(f.status) in SUBSIDY_STATUSES))
      throw DomainException.validation('筛选条件 status 不正确', [{ field: 'filter.status', messages: ['不正确'] }]);
    const { rows, total } = await this.subsidies.list(
      actor,
      {
        status: f.status as string,
        level: f.level as string,
        countyCode: f.countyCode as string,
        enterpriseId: filterInt(f, 'enterpriseId'),
        industry: f.industry as string | undefined,
        year: filterYear(f),
        ids: idsFilter(query),
      },
      query.range,
    );
    setContentRange(reply, 'subsidies', query, rows.length, total);
    return rows;
  }

  @Get('export')
  @ApiOperation({ summary: '导出补助台账（.xlsx，按列表的筛选）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto) {
    return listExport(q, (page, reply) => this.list(actor, page, reply), SUBSIDIES_EXPORT);
  }

  @Get('totals')
  @ApiOperation({ summary: '按县（市、区）与级别汇总：预算、已发通知、已拨付、待追回（分）' })
  @ApiReturnsList('SubsidyTotals')
  totals(@CurrentActor() actor: Actor): Promise<SubsidyTotals[]> {
    return this.subsidies.totals(actor);
  }

  @Get(':id')
  @ApiReturns('SubsidyDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<SubsidyDto> {
    return this.subsidies.get(actor, id);
  }

  @Post(':id/pay')
  @HttpCode(200)
  @ApiOperation({ summary: '登记拨付（财政）：凭证号、日期、金额' })
  @ApiReturns('SubsidyDto')
  pay(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: PayDto): Promise<SubsidyDto> {
    return this.subsidies.pay(actor, id, { voucherNo: dto.voucherNo, paidAt: dto.paidAt, amountFen: yuanToFen(dto.amountYuan), version: dto.version });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiReturns('SubsidyDto')
  cancel(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ReasonDto): Promise<SubsidyDto> {
    return this.subsidies.cancel(actor, id, { reason: dto.reason, version: dto.version });
  }

  @Post(':id/recover')
  @HttpCode(200)
  @ApiOperation({ summary: '登记追回（财政）：追回凭证号、日期、金额（不超过已拨付金额）' })
  @ApiReturns('SubsidyDto')
  recover(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: RecoverDto): Promise<SubsidyDto> {
    return this.subsidies.recover(actor, id, {
      voucherNo: dto.voucherNo,
      recoveredAt: dto.recoveredAt,
      amountFen: yuanToFen(dto.amountYuan),
      version: dto.version,
    });
  }
}

/** The public 公示 list and its objection form (no login). */
@ApiTags('publicity')
@Controller('publicity-notices')
export class PublicityController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly objections: ObjectionsService,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: '正在公示的拟认定企业（无需登录）' })
  @ApiReturnsList('PublicityNoticeDto')
  async list(@Res({ passthrough: true }) reply: Reply): Promise<PublicityNoticeDto[]> {
    const rows = await this.applications.publicity();
    reply.header('Content-Range', `publicity-notices 0-${Math.max(0, rows.length - 1)}/${rows.length}`);
    return rows;
  }

  @Public()
  @Post(':id/objections')
  @ApiOperation({ summary: '实名提出异议（公示期内）' })
  @ApiReturns('ObjectionDto')
  async object(@Param('id', ParseIdPipe) id: number, @Body() dto: ObjectionDtoIn, @Ip() ip: string): Promise<ObjectionDto> {
    return this.objections.lodge(CERTIFICATION_WORKFLOW, await this.applications.caseIdOf(id), dto, ip);
  }
}
