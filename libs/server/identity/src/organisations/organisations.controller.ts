import { Body, Controller, Delete, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganisationDto } from '@portal/contracts';
import { ApiReturns, ApiReturnsFile, ApiReturnsList, listExport, ListQueryDto, ParseIdPipe } from '@portal/core';
import { ORGANISATIONS_EXPORT } from '../identity.exports.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/auth.decorators.js';
import { CreateOrganisationDto, UpdateOrganisationDto } from '../dto/identity.dto.js';
import { toOrganisationDto } from '../entities/organisation.entity.js';
import type { ReplyHeaders } from '../http.js';
import { OrganisationsService } from './organisations.service.js';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @ApiOperation({ summary: '单位列表（管理员与市级：全部；县级：本县；其他：本单位）' })
  @ApiReturnsList('OrganisationDto')
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: ReplyHeaders): Promise<OrganisationDto[]> {
    return (await this.organisations.list(actor, q, reply)).map(toOrganisationDto);
  }

  @Get('export')
  @ApiOperation({ summary: '导出单位（.xlsx，按列表的筛选与排序；联系电话脱敏）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto) {
    return listExport(q, (page, reply) => this.list(actor, page, reply), ORGANISATIONS_EXPORT);
  }

  @Get(':id')
  @ApiReturns('OrganisationDto')
  async get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<OrganisationDto> {
    return toOrganisationDto(await this.organisations.get(actor, id));
  }

  @Post()
  @Roles('admin')
  @ApiReturns('OrganisationDto')
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateOrganisationDto): Promise<OrganisationDto> {
    return toOrganisationDto(await this.organisations.create(actor, dto));
  }

  @Put(':id')
  @ApiOperation({ summary: '修改单位（单位管理员只能改本单位的地址、联系人等）' })
  @ApiReturns('OrganisationDto')
  async update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    return toOrganisationDto(await this.organisations.update(actor, id, dto));
  }

  @Delete(':id')
  @Roles('admin')
  @ApiReturns('OrganisationDto')
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<OrganisationDto> {
    return toOrganisationDto(await this.organisations.remove(actor, id));
  }
}
