import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type AttachmentDto,
  type BatchResolveResult,
  type CountDto,
  countyName,
  type DelegationDto,
  type InvitationAcceptedDto,
  type InvitationDto,
  type MarkedReadDto,
  type NotificationDto,
  type ObjectionDto,
  type RemovedDto,
  taskRoleLabel,
  type TaskDto,
  type UserChoiceDto,
  type WorkflowDefinitionDto,
} from '@portal/contracts';
import {
  ApiReturns,
  ApiReturnsFile,
  ApiReturnsList,
  exportDateTime,
  listExport,
  type ListExportSpec,
  ListQueryDto,
  ParseIdPipe,
  safeDisplayFilename,
} from '@portal/core';
import { CurrentActor, Public, type Actor } from '@portal/identity';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { DelegationsService } from '../delegations/delegations.service.js';
import { definitionDto, WorkflowRegistry } from '../engine/workflow.registry.js';
import { WorkflowService } from '../engine/workflow.service.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { ObjectionsService } from '../objections/objections.service.js';
import { TasksService } from '../tasks/tasks.service.js';
import { BatchResolveObjectionsDto, DelegationDtoIn, InvitationTokenDto, ReassignDto, ResolveObjectionDto } from './workflow.dto.js';

type Reply = { header(n: string, v: string): unknown };

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly workflow: WorkflowService,
  ) {}

  @Get()
  @ApiOperation({ summary: '全部流程定义' })
  @ApiReturnsList('WorkflowDefinitionDto')
  list(@Res({ passthrough: true }) reply: Reply): WorkflowDefinitionDto[] {
    const defs = this.registry.all().map(definitionDto);
    reply.header('Content-Range', `workflows 0-${Math.max(0, defs.length - 1)}/${defs.length}`);
    return defs;
  }

  @Get(':key')
  @ApiOperation({ summary: '一个流程的定义（状态、操作、角色），供网页绘制流程图' })
  @ApiReturns('WorkflowDefinitionDto')
  get(@Param('key') key: string): WorkflowDefinitionDto {
    return definitionDto(this.workflow.definition(key));
  }
}

const TASK_STATUS = { open: '待办', done: '已办', cancelled: '已取消' } as const;
const TASKS_EXPORT: ListExportSpec<TaskDto> = {
  title: '待办任务',
  fields: [
    { header: '编号', cell: (r) => r.id },
    { header: '事项', width: 30, cell: (r) => r.caseTitle },
    { header: '办理阶段', width: 16, cell: (r) => r.stateLabel },
    { header: '办理角色', cell: (r) => taskRoleLabel(r.role) },
    { header: '县（市、区）', cell: (r) => countyName(r.countyCode) ?? r.countyCode },
    { header: '状态', cell: (r) => TASK_STATUS[r.status] },
    { header: '办理时限', width: 18, cell: (r) => exportDateTime(r.dueAt) },
    { header: '是否逾期', cell: (r) => (r.overdue ? '逾期' : '') },
    { header: '创建时间', width: 18, cell: (r) => exportDateTime(r.createdAt) },
  ],
};

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: '待办（收件箱）：本人的、可认领的任务，逾期优先' })
  @ApiReturnsList('TaskDto')
  list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<TaskDto[]> {
    return this.tasks.list(actor, q, reply);
  }

  @Get('export')
  @ApiOperation({ summary: '导出待办（.xlsx，按列表的筛选与排序）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto) {
    return listExport(q, (page, reply) => this.list(actor, page, reply), TASKS_EXPORT);
  }

  @Get(':id')
  @ApiReturns('TaskDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<TaskDto> {
    return this.tasks.get(actor, id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @ApiReturns('TaskDto')
  claim(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<TaskDto> {
    return this.tasks.claim(actor, id);
  }

  @Post(':id/release')
  @HttpCode(200)
  @ApiReturns('TaskDto')
  release(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<TaskDto> {
    return this.tasks.release(actor, id);
  }

  @Get(':id/assignees')
  @ApiOperation({ summary: '可改派的人员（管理员、市级审核）' })
  @ApiReturnsList('UserChoiceDto')
  assignees(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<UserChoiceDto[]> {
    return this.tasks.assignees(actor, id);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @ApiOperation({ summary: '改派任务（管理员、市级审核）' })
  @ApiReturns('TaskDto')
  reassign(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ReassignDto): Promise<TaskDto> {
    return this.tasks.reassign(actor, id, dto.userId, dto.reason);
  }
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiReturnsList('NotificationDto')
  list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<NotificationDto[]> {
    return this.notifications.list(actor, q, reply);
  }

  @Get('unread-count')
  @ApiReturns('CountDto')
  async unread(@CurrentActor() actor: Actor): Promise<CountDto> {
    return { count: await this.notifications.unreadCount(actor) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiReturns('MarkedReadDto')
  async readAll(@CurrentActor() actor: Actor): Promise<MarkedReadDto> {
    return { marked: await this.notifications.markAllRead(actor) };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiReturns('NotificationDto')
  read(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<NotificationDto> {
    return this.notifications.markRead(actor, id);
  }
}

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get(':id/download')
  @ApiOperation({ summary: '下载附件（仅案件当事方与审核人员）' })
  @ApiReturnsFile('application/octet-stream')
  async download(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Res({ passthrough: true }) reply: Reply): Promise<Buffer> {
    const { meta, bytes } = await this.attachments.download(actor, id);
    reply.header('Content-Type', meta.mime);
    // cleaned again on the way out: rows stored before names were cleaned of bidi characters
    reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(safeDisplayFilename(meta.filename, '附件'))}`);
    reply.header('X-Content-Type-Options', 'nosniff');
    return bytes;
  }

  @Delete(':id')
  @ApiReturns('AttachmentDto')
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<AttachmentDto> {
    return this.attachments.remove(actor, id);
  }
}

@ApiTags('objections')
@ApiBearerAuth()
@Controller('objections')
export class ObjectionsController {
  constructor(private readonly objections: ObjectionsService) {}

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: '处理异议（成立/不成立）' })
  @ApiReturns('ObjectionDto')
  resolve(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ResolveObjectionDto): Promise<ObjectionDto> {
    return this.objections.resolve(actor, id, dto.outcome, dto.resolution);
  }

  @Post('batch-resolve')
  @HttpCode(200)
  @ApiOperation({ summary: '批量处理异议（同一处理意见）：每件仍单独处理并记入审计事件，逐件答复结果' })
  @ApiReturns('BatchResolveResult')
  resolveMany(@CurrentActor() actor: Actor, @Body() dto: BatchResolveObjectionsDto): Promise<BatchResolveResult> {
    return this.objections.resolveMany(actor, dto.ids, dto.outcome, dto.resolution);
  }
}

@ApiTags('delegations')
@ApiBearerAuth()
@Controller('delegations')
export class DelegationsController {
  constructor(private readonly delegations: DelegationsService) {}

  @Get()
  @ApiOperation({ summary: '我委托的和委托我的代理' })
  @ApiReturnsList('DelegationDto')
  async list(@CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: Reply): Promise<DelegationDto[]> {
    const rows = await this.delegations.mine(actor);
    reply.header('Content-Range', `delegations 0-${Math.max(0, rows.length - 1)}/${rows.length}`);
    return rows;
  }

  @Get('candidates')
  @ApiOperation({ summary: '可委托的同事（相同审核角色与管辖范围）' })
  @ApiReturnsList('UserChoiceDto')
  candidates(@CurrentActor() actor: Actor): Promise<UserChoiceDto[]> {
    return this.delegations.candidates(actor);
  }

  @Post()
  @ApiOperation({ summary: '委托同事代理（同一代理人时间段重叠时答复 409）' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '重复请求答复首次创建的委托（响应头 Idempotent-Replayed: true）' })
  @ApiReturns('DelegationDto')
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: DelegationDtoIn,
    @Res({ passthrough: true }) reply: Reply,
    @Headers('idempotency-key') key?: string,
  ): Promise<DelegationDto> {
    const { delegation, replayed } = await this.delegations.create(actor, dto, key);
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return delegation;
  }

  @Delete(':id')
  @ApiReturns('RemovedDto')
  async end(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<RemovedDto> {
    await this.delegations.end(actor, id);
    return { id };
  }
}

/**
 * Invitations by credit code: the token mailed to the invited address shows what it invites to, and an organisation
 * with that credit code accepts it (InvitationsService). The token travels in the body, not the path, so that it is
 * never written to an access log.
 */
@ApiTags('invitations')
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Public()
  @Post('lookup')
  @HttpCode(200)
  @ApiOperation({ summary: '邀请详情（凭邀请邮件中的一次性令牌，无需登录）：邀请方、事项、统一社会信用代码、有效期与状态' })
  @ApiReturns('InvitationDto')
  lookup(@Body() dto: InvitationTokenDto): Promise<InvitationDto> {
    return this.invitations.lookup(dto.token);
  }

  @Post('accept')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: '接受邀请：统一社会信用代码与邀请相同的单位的用户，以其单位成为该事项的当事方' })
  @ApiReturns('InvitationAcceptedDto')
  accept(@CurrentActor() actor: Actor, @Body() dto: InvitationTokenDto): Promise<InvitationAcceptedDto> {
    return this.invitations.accept(actor, dto.token);
  }
}
