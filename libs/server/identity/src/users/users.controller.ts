import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserDto } from '@portal/contracts';
import { ApiReturns, ApiReturnsFile, ApiReturnsList, listExport, ListQueryDto, ParseIdPipe } from '@portal/core';
import { USERS_EXPORT } from '../identity.exports.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/auth.decorators.js';
import { CreateUserDto, UpdateUserDto } from '../dto/identity.dto.js';
import { toUserDto } from '../entities/user.entity.js';
import type { ReplyHeaders } from '../http.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: '用户列表（管理员：全部；单位管理员：本单位；其他：本人）' })
  @ApiReturnsList('UserDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: ReplyHeaders): Promise<UserDto[]> {
    return (await this.users.list(actor, q, reply)).map(toUserDto);
  }

  @Get('export')
  @ApiOperation({ summary: '导出用户（.xlsx，按列表的筛选与排序；手机号码脱敏）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto) {
    return listExport(q, (page, reply) => this.list(actor, page, reply), USERS_EXPORT);
  }

  @Get(':id')
  @ApiReturns('UserDto')
  async get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<UserDto> {
    return toUserDto(await this.users.get(actor, id));
  }

  @Post()
  @Roles('admin', 'enterprise_applicant', 'school_admin')
  @ApiOperation({ summary: '新建用户（单位管理员只能在本单位授予可委派的角色）' })
  @ApiReturns('UserDto')
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return toUserDto(await this.users.create(actor, dto));
  }

  @Put(':id')
  @ApiOperation({ summary: '修改用户；只计算值有变化的字段' })
  @ApiReturns('UserDto')
  async update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return toUserDto(await this.users.update(actor, id, dto));
  }
}
