import { Body, Controller, Get, Headers, HttpCode, Ip, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CaseDiffDto, CaseEventDto, CaseSummaryDto, ChainVerdict, SnapshotDto, UserChoiceDto } from '@portal/contracts';
import { ApiReturns, ApiReturnsList, ApiReturnsNothing, DomainException, type MultipartRequest, readUpload } from '@portal/core';
import { CurrentActor, Public, type Actor } from '@portal/identity';
import { AttachmentsService } from '../attachments/attachments.service.js';
import type { AttachmentDto } from '../attachments/attachment.dto.js';
import { WorkflowService } from '../engine/workflow.service.js';
import { CaseHistoryService } from '../events/case-history.service.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { ObjectionsService, type ObjectionDto } from '../objections/objections.service.js';
import { ParseCaseRefPipe } from './case-ref.pipe.js';

import { ActionDto, DiffQueryDto, ObjectionDtoIn } from './workflow.dto.js';

type Ref = { workflowKey: string; id: number };

/** Every case, whatever its feature: state and actions, history, submissions, objections, attachments. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly workflow: WorkflowService,
    private readonly history: CaseHistoryService,
    private readonly objections: ObjectionsService,
    private readonly attachments: AttachmentsService,
    private readonly invitations: InvitationsService,
  ) {}

  @Get(':ref')
  @ApiOperation({ summary: '案件状态与当前用户可执行的操作（allowedActions）' })
  @ApiReturns('CaseSummaryDto')
  async get(@CurrentActor() actor: Actor, @Param('ref', ParseCaseRefPipe) ref: Ref): Promise<CaseSummaryDto> {
    return this.workflow.summary(actor, await this.workflow.readable(actor, ref.workflowKey, ref.id));
  }

  @Post(':ref/actions')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '重放时答复首次的结果且不再改变任何数据' })
  @ApiOperation({ summary: '执行流程操作（提交、审核通过、退回补正、不予通过、撤回、评分……）' })
  @ApiReturns('CaseSummaryDto')
  act(
    @CurrentActor() actor: Actor,
    @Param('ref', ParseCaseRefPipe) ref: Ref,
    @Body() dto: ActionDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<CaseSummaryDto> {
    return this.workflow.act(ref.workflowKey, ref.id, dto, actor, { idempotencyKey: key });
  }

  @Post(':ref/parties/:party/invitation')
  @HttpCode(204)
  @ApiOperation({ summary: '重新发送邀请（邀请方）：新的邀请链接发往被邀请单位的邮箱，此前的链接失效' })
  @ApiReturnsNothing()
  resendInvitation(@CurrentActor() actor: Actor, @Param('ref', ParseCaseRefPipe) ref: Ref, @Param('party') party: string): Promise<void> {
    return this.invitations.resend(actor, ref, party);
  }

  @Get(':ref/panel-candidates')
  @ApiOperation({ summary: '可选的评审专家（在册、在职、不属于申请单位）：供组建或增补专家组时选择' })
  @ApiReturnsList('UserChoiceDto')
  async panelCandidates(@CurrentActor() actor: Actor, @Param('ref', ParseCaseRefPipe) ref: Ref): Promise<UserChoiceDto[]> {
    return this.workflow.panelCandidates(actor, await this.workflow.readable(actor, ref.workflowKey, ref.id));
  }

  @Get(':ref/events')
  @ApiOperation({ summary: '案件的审计事件（时间线）' })
  @ApiReturnsList('CaseEventDto')
  async events(@CurrentActor() actor: Actor, @Param('ref', ParseCaseRefPipe) ref: Ref): Promise<CaseEventDto[]> {
    return this.history.events(await this.workflow.readable(actor, ref.workflowKey, ref.id), actor);
  }

  @Get(':ref/events/verify')
  @ApiOperation({ summary: '重新计算事件哈希链，核验审计记录未被篡改' })
  @ApiReturns('ChainVerdict')
  async verify(@CurrentActor() actor: Actor, @Param('ref', ParseCaseRefPipe) ref: Ref): Promise<ChainVerdict> {
    return this.history.verify(await this.workflow.readable(actor, ref.workflowKey, ref.id));
  }

  @Get(':ref/snapshots')
  @ApiOperation({ summary: '每次提交时冻结的申请内容' })
  @ApiReturnsList('SnapshotDto')
  async snapshots(@CurrentActor() actor: Actor, @Param('ref', ParseCaseRefPipe) ref: Ref): Promise<SnapshotDto[]> {
    return this.history.snapshots(await this.workflow.readable(actor, ref.workflowKey, ref.id));
  }

  @Get(':ref/diff')
  @ApiOperation({ summary: '两次提交之间的差异（默认最近两次）' })
  @ApiReturns('CaseDiffDto')
  async diff(@CurrentActor() actor: Actor, @Param('ref', ParseCaseRefPipe) ref: Ref, @Query() q: DiffQueryDto): Promise<CaseDiffDto> {
    const row = await this.workflow.readable(actor, ref.workflowKey, ref.id);
    return this.history.diff(row, q.from ? Number(q.from) : undefined, q.to ? Number(q.to) : undefined);
  }

  @Get(':ref/objections')
  @ApiOperation({ summary: '公示期间收到的异议' })
  @ApiReturnsList('ObjectionDto')
  async listObjections(@CurrentActor() actor: Actor, @Param('ref', ParseCaseRefPipe) ref: Ref): Promise<ObjectionDto[]> {
    return this.objections.forCase(actor, await this.workflow.readable(actor, ref.workflowKey, ref.id));
  }

  @Public()
  @Post(':ref/objections')
  @ApiOperation({ summary: '公示期间实名提出异议（无需登录）' })
  @ApiReturns('ObjectionDto')
  lodge(@Param('ref', ParseCaseRefPipe) ref: Ref, @Body() dto: ObjectionDtoIn, @Ip() ip: string): Promise<ObjectionDto> {
    return this.objections.lodge(ref.workflowKey, ref.id, dto, ip);
  }

  @Get(':ref/attachments')
  @ApiOperation({ summary: '案件附件' })
  @ApiReturnsList('AttachmentDto')
  listAttachments(@CurrentActor() actor: Actor, @Param('ref', ParseCaseRefPipe) ref: Ref): Promise<AttachmentDto[]> {
    return this.attachments.forCase(actor, ref.workflowKey, ref.id);
  }

  @Post(':ref/attachments')
  @ApiOperation({
    summary:
      '上传附件（multipart：file；可选 purpose、replaces）。PDF/JPG/PNG/XLSX/DOCX，按文件内容识别类型。材料清单项已达上限时新文件替换原文件（replaces 指定被替换的附件 id）；审核人员只能上传审核意见附件（purpose=review_opinion）',
  })
  @ApiReturns('AttachmentDto')
  async upload(
    @CurrentActor() actor: Actor,
    @Param('ref', ParseCaseRefPipe) ref: Ref,
    @Req() req: MultipartRequest,
    @Res({ passthrough: true }) reply: { status(n: number): unknown },
  ): Promise<AttachmentDto> {
    const file = await readUpload(req, await this.attachments.maxBytes());
    const replaces = file.fields.replaces;
    if (replaces !== undefined && !/^[1-9]\d{0,14}$/.test(replaces))
      throw DomainException.validation('replaces 应为要替换的附件 id', [{ field: 'replaces', messages: ['应为正整数'] }]);
    const saved = await this.attachments.upload(
      actor,
      ref.workflowKey,
      ref.id,
      file,
      file.fields.purpose,
      replaces === undefined ? undefined : Number(replaces),
    );
    reply.status(201);
    return saved;
  }
}
