import { Body, Controller, Delete, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { type CalendarDayRow, isIsoDay, type RemovedDto } from '@portal/contracts';
import { ApiReturns, ApiReturnsList, DomainException, ListQueryDto, parseListQuery, setContentRange } from '@portal/core';
import { Roles } from '@portal/identity';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { CalendarService } from './calendar.service.js';

class NewCalendarDayDto {
  @ApiProperty({ example: '2027-10-01' })
  @IsString()
  day: string;

  @ApiProperty({ enum: ['holiday', 'workday'] })
  @IsIn(['holiday', 'workday'])
  kind: 'holiday' | 'workday';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(50)
  name?: string;
}

class CalendarDayDto {
  @ApiProperty({ enum: ['holiday', 'workday'], description: 'holiday: 法定节假日；workday: 调休上班日' })
  @IsIn(['holiday', 'workday'])
  kind: 'holiday' | 'workday';

  @ApiPropertyOptional({ example: '国庆节' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  name?: string;
}

const parseDay = (day: string): string => {
  if (!isIsoDay(day)) {
    throw DomainException.validation('日期格式应为 YYYY-MM-DD', [{ field: 'day', messages: ['日期格式不正确'] }]);
  }
  return day;
};

/**
 * The official holiday and 调休 calendar the working-day SLA and 公示 windows count on, kept as data an
 * admin edits when the State Council publishes the next year's arrangement (seeded for 2023-2026).
 */
@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar-days')
export class CalendarController {
  constructor(
    private readonly ds: DataSource,
    private readonly calendar: CalendarService,
  ) {}

  @Get()
  @ApiOperation({ summary: '节假日与调休日（filter: {"year": 2026}）' })
  @ApiReturnsList('CalendarDayRow')
  async list(@Query() q: ListQueryDto, @Res({ passthrough: true }) reply: { header(n: string, v: string): unknown }): Promise<CalendarDayRow[]> {
    const query = parseListQuery(q, { sortable: { id: 'id' }, filters: { year: (qb) => qb }, defaultSort: { field: 'id', order: 'ASC' } });
    const year = query.filter.year === undefined ? undefined : Number(query.filter.year);
    if (year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100))
      throw DomainException.validation('year 应为年份', [{ field: 'filter.year', messages: ['应为年份'] }]);
    const where = year === undefined ? '' : 'WHERE extract(year FROM day) = $1';
    const params = year === undefined ? [] : [year];
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM calendar_days ${where}`, params);
    const rows: CalendarDayRow[] = await this.ds.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS id, to_char(day, 'YYYY-MM-DD') AS day, kind, name FROM calendar_days ${where}
        ORDER BY day ${query.sort.order} OFFSET ${query.range.start} LIMIT ${query.range.end - query.range.start + 1}`,
      params,
    );
    setContentRange(reply, 'calendar-days', query, rows.length, n);
    return rows;
  }

  @Get(':day')
  @ApiReturns('CalendarDayRow')
  async get(@Param('day') day: string): Promise<CalendarDayRow> {
    const d = parseDay(day);
    const [r]: CalendarDayRow[] = await this.ds.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS id, to_char(day, 'YYYY-MM-DD') AS day, kind, name FROM calendar_days WHERE day = $1`,
      [d],
    );
    if (!r) throw DomainException.notFound('该日期的设定');
    return r;
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: '新增一天的设定（管理员）' })
  @ApiReturns('CalendarDayRow')
  create(@Body() dto: NewCalendarDayDto): Promise<CalendarDayRow> {
    return this.set(dto.day, { kind: dto.kind, name: dto.name });
  }

  @Put(':day')
  @Roles('admin')
  @ApiOperation({ summary: '设定某日为法定节假日或调休上班日（管理员）' })
  @ApiReturns('CalendarDayRow')
  async set(@Param('day') day: string, @Body() dto: CalendarDayDto): Promise<CalendarDayRow> {
    const d = parseDay(day);
    await this.ds.query(
      `INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3) ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name`,
      [d, dto.kind, dto.name ?? null],
    );
    this.calendar.invalidate();
    return { id: d, day: d, kind: dto.kind, name: dto.name ?? null };
  }

  @Delete(':day')
  @Roles('admin')
  @ApiOperation({ summary: '恢复为普通日（周一至周五上班，周末休息）' })
  @ApiReturns('RemovedDto')
  async remove(@Param('day') day: string): Promise<RemovedDto> {
    const d = parseDay(day);
    const [, n]: [unknown, number] = await this.ds.query(`DELETE FROM calendar_days WHERE day = $1`, [d]);
    if (!n) throw DomainException.notFound('该日期的设定');
    this.calendar.invalidate();
    return { id: d };
  }
}
