import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res, type StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { COUNTY_CODES, isIsoDay, type PracticeLedgerDto, type SummaryRequestDto, TEACHER_EMPLOYMENT_CODES, type TeacherDto } from '@portal/contracts';
import {
  ApiReturns,
  ApiReturnsFile,
  ApiReturnsList,
  DomainException,
  filterBool as bool,
  filterIds as idList,
  filterInt as int,
  filterOneOf as oneOf,
  filterText as text,
  listExport,
  ListQueryDto,
  ParseIdPipe,
  parseListQuery,
  safeDisplayFilename,
  setContentRange,
} from '@portal/core';
import { CurrentActor, type Actor } from '@portal/identity';
import { readUpload, type MultipartRequest } from '@portal/core';
import { PracticeDocumentsService } from '../documents/practice-documents.service.js';
import { PracticeLedgerService } from '../ledger/practice-ledger.service.js';
import { TeachersService } from '../teachers/teachers.service.js';
import { CreateTeacherDto, UpdateTeacherDto } from './practice.dto.js';
import { teacherExport } from './practice.exports.js';

type Reply = { header(n: string, v: string): unknown };
const any = (qb: unknown) => qb;

@ApiTags('practice')
@ApiBearerAuth()
@Controller('teachers')
export class TeachersController {
  constructor(
    private readonly teachers: TeachersService,
    private readonly ledger: PracticeLedgerService,
    private readonly documents: PracticeDocumentsService,
  ) {}

  @Get()
  @ApiOperation({ summary: '教师及其企业实践达标情况（学校管理员：本校；县级：本县学校；市级、管理员：全部；教师：本人）' })
  @ApiReturnsList('TeacherDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<TeacherDto[]> {
    const query = parseListQuery(q, {
      sortable: { id: 'id', displayName: 'displayName', hours: 'hours', major: 'major' },
      filters: { id: any, schoolId: any, countyCode: any, major: any, employment: any, dualQualified: any, active: any, met: any, atRisk: any, q: any },
      defaultSort: { field: 'id', order: 'ASC' },
    });
    const f = query.filter;
    const { rows, total } = await this.teachers.list(
      actor,
      {
        ids: idList(f),
        schoolId: int(f, 'schoolId'),
        major: text(f, 'major', 50),
        employment: oneOf(f, 'employment', TEACHER_EMPLOYMENT_CODES),
        dualQualified: bool(f, 'dualQualified'),
        countyCode: oneOf(f, 'countyCode', COUNTY_CODES),
        active: bool(f, 'active'),
        met: bool(f, 'met'),
        atRisk: bool(f, 'atRisk'),
        q: text(f, 'q'),
      },
      query.sort as { field: 'id' | 'displayName' | 'hours' | 'major'; order: 'ASC' | 'DESC' },
      query.range,
    );
    setContentRange(reply, 'teachers', query, rows.length, total);
    return rows;
  }

  @Post()
  @ApiOperation({ summary: '学校新建本校教师（账号 + 档案：专业、专任/兼职、双师型）' })
  @ApiReturns('TeacherDto')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTeacherDto): Promise<TeacherDto> {
    return this.teachers.create(actor, dto);
  }

  @Get('export')
  @ApiOperation({ summary: '导出教师及其企业实践达标情况（.xlsx，按当前筛选条件和排序；手机号码脱敏）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto): Promise<StreamableFile> {
    const { windowYears } = await this.ledger.policy();
    return listExport(q, (page, reply) => this.list(actor, page, reply), teacherExport(windowYears));
  }

  @Get(':id')
  @ApiReturns('TeacherDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<TeacherDto> {
    return this.teachers.get(actor, id);
  }

  @Put(':id')
  @ApiReturns('TeacherDto')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateTeacherDto): Promise<TeacherDto> {
    return this.teachers.update(actor, id, dto);
  }

  @Get(':id/ledger')
  @ApiOperation({ summary: '教师企业实践周期内累计（周期年数见设置 practice.windowYears；某日：学时、月数、是否达标、按现有记录保持达标的最后一天）' })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-01-01' })
  @ApiReturns('PracticeLedgerDto')
  async getLedger(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Query('asOf') asOf?: string): Promise<PracticeLedgerDto> {
    if (asOf !== undefined && (typeof asOf !== 'string' || !isIsoDay(asOf)))
      throw DomainException.validation('查询参数 asOf 应为 YYYY-MM-DD 格式的有效日期', [{ field: 'asOf', messages: ['应为 YYYY-MM-DD 格式的有效日期'] }]);
    await this.teachers.assertReadable(actor, id);
    return this.ledger.ledger(id, asOf);
  }

  @Post(':id/summary')
  @HttpCode(202)
  @ApiOperation({ summary: '出具企业实践周期内汇总证明（职称评审用；列出周期内全部已认定记录；同一天内记录未变时重复请求答复同一份）' })
  @ApiReturns('SummaryRequestDto')
  async summary(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<SummaryRequestDto> {
    const t = await this.teachers.get(actor, id);
    if (actor.id !== id && !(actor.organisationId === t.schoolId && actor.roles.includes('school_admin')))
      throw DomainException.forbidden('只有教师本人或所在学校可以申请出具汇总证明');
    const { subjectKey } = await this.documents.requestSummary(
      { id, displayName: t.displayName, schoolId: t.schoolId, schoolName: t.schoolName },
      await this.ledger.ledger(id),
    );
    return { subjectKey, documentId: await this.documents.summaryDocumentId(subjectKey) };
  }

  @Post(':id/dual-evidence')
  @ApiOperation({ summary: '上传双师型证明（PDF、JPG、PNG；替换原文件）' })
  @ApiReturns('TeacherDto')
  async uploadEvidence(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Req() req: MultipartRequest): Promise<TeacherDto> {
    await this.teachers.assertReadable(actor, id);
    const file = await readUpload(req, 100 * 1024 * 1024);
    return this.teachers.attachEvidence(actor, id, file);
  }

  @Get(':id/dual-evidence')
  @ApiReturnsFile('application/octet-stream')
  async evidence(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Res({ passthrough: true }) reply: Reply): Promise<Buffer> {
    const { bytes, name } = await this.teachers.evidence(actor, id);
    reply.header('Content-Type', 'application/octet-stream');
    reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(safeDisplayFilename(name, '双师型证明'))}`);
    return bytes;
  }
}
