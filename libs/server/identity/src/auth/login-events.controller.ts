import { Controller, Get, Query, Res } from '@nestjs/common';
import type { LoginEventDto } from '@portal/contracts';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiReturnsFile, ApiReturnsList, listExport, listPage, ListQueryDto, type ListSpec, textSearch } from '@portal/core';
import { LOGIN_EVENTS_EXPORT } from '../identity.exports.js';
import { Repository } from 'typeorm';
import { LoginEventEntity } from '../entities/login-event.entity.js';
import type { ReplyHeaders } from '../http.js';
import { Roles } from './auth.decorators.js';

const LIST: ListSpec<LoginEventEntity> = {
  sortable: { id: 'e.id', at: 'e.at', username: 'e.username' },
  filters: { success: 'e.success', userId: 'e.user_id', username: 'e.username', reason: 'e.reason', q: textSearch('e.username', 'e.ip') },
  defaultSort: { field: 'at', order: 'DESC' },
};

@ApiTags('auth')
@ApiBearerAuth()
@Controller('login-events')
export class LoginEventsController {
  constructor(@InjectRepository(LoginEventEntity) private readonly repo: Repository<LoginEventEntity>) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: '登录日志（仅管理员）' })
  @ApiReturnsList('LoginEventDto')
  async list(@Query() q: ListQueryDto, @Res({ passthrough: true }) reply: ReplyHeaders): Promise<LoginEventDto[]> {
    const rows = await listPage(this.repo.createQueryBuilder('e'), q, LIST, reply, 'login-events');
    return rows.map((e) => ({ ...e, at: e.at.toISOString() }));
  }

  @Get('export')
  @Roles('admin')
  @ApiOperation({ summary: '导出登录日志（.xlsx，按列表的筛选与排序；仅管理员）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@Query() q: ListQueryDto) {
    return listExport(q, (page, reply) => this.list(page, reply), LOGIN_EVENTS_EXPORT);
  }
}
