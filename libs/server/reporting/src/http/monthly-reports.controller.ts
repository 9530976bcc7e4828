import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiReturns, DomainException } from '@portal/core';
import { CurrentActor, type Actor } from '@portal/identity';
import { MonthlyReportsService } from '../monthly-report/monthly-reports.service.js';
import { MonthlyReportDtoIn } from './reporting.dto.js';
import type { MonthlyReportDto } from '@portal/contracts';

type Reply = { status(n: number): unknown };

@ApiTags('reporting')
@ApiBearerAuth()
@Controller('reports/monthly')
export class MonthlyReportsController {
  constructor(private readonly reports: MonthlyReportsService) {}

  @Post()
  @ApiOperation({ summary: '生成市级月报（PDF，经文件服务签发，可公开核验）；同一月份只生成一次，重复请求答复同一份' })
  @ApiCreatedResponse({ description: '新生成的月报' })
  @ApiOkResponse({ description: '该月已有月报：答复同一份' })
  @ApiReturns('MonthlyReportDto')
  async create(@CurrentActor() actor: Actor, @Body() dto: MonthlyReportDtoIn, @Res({ passthrough: true }) reply: Reply): Promise<MonthlyReportDto> {
    const report = await this.reports.request(actor, dto.month);
    reply.status(report.created ? 201 : 200);
    return report;
  }

  @Get(':month')
  @ApiOperation({ summary: '某月的月报及其 PDF 文件（市级）' })
  @ApiReturns('MonthlyReportDto')
  get(@CurrentActor() actor: Actor, @Param('month') month: string): Promise<MonthlyReportDto> {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw DomainException.validation('月份应为 YYYY-MM，如 2026-10', [{ field: 'month', messages: ['格式不正确'] }]);
    return this.reports.read(actor, month);
  }
}
