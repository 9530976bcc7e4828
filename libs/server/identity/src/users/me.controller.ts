import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MeDto } from '@portal/contracts';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/auth.decorators.js';
import { AuthService } from '../auth/auth.service.js';
import { ChangePasswordDto, UpdateProfileDto } from '../dto/identity.dto.js';
import { toOwnUserDto } from '../entities/user.entity.js';
import { UsersService } from './users.service.js';
import { ApiReturns, ApiReturnsNothing } from '@portal/core';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  /** `fresh`: read the record again (after a change); otherwise the one the actor check has just read. */
  private async me(actor: Actor, fresh = false): Promise<MeDto> {
    const user = (!fresh && this.auth.profileOf(actor)) || toOwnUserDto(await this.users.get(actor, actor.id));
    return {
      ...user,
      organisation: { id: actor.organisationId, name: actor.organisationName, kind: actor.organisationKind, countyCode: actor.organisationCountyCode },
    };
  }

  @Get()
  @ApiOperation({ summary: '当前用户、角色、管辖区域和所属单位' })
  @ApiReturns('MeDto')
  get(@CurrentActor() actor: Actor): Promise<MeDto> {
    return this.me(actor);
  }

  @Put()
  @ApiOperation({ summary: '修改本人的姓名、邮箱、电话' })
  @ApiReturns('MeDto')
  async update(@CurrentActor() actor: Actor, @Body() dto: UpdateProfileDto): Promise<MeDto> {
    await this.users.updateProfile(actor, dto);
    return this.me(actor, true);
  }

  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: '修改本人密码（其他会话随之失效）' })
  @ApiReturnsNothing()
  async changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.users.changePassword(actor, dto);
  }
}
