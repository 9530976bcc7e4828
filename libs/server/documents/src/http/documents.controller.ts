import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DOCUMENT_KIND_CODES, type DocumentBatchDto, type DocumentDto, type VerificationDto } from '@portal/contracts';
import { idsFilter, ListQueryDto, ParseIdPipe, parseListQuery, setContentRange } from '@portal/core';
import { CurrentActor, Public, type Actor } from '@portal/identity';
import { IsString, Length } from 'class-validator';
import { DocumentsService } from '../documents.service.js';

type Reply = { header(n: string, v: string): unknown; status(n: number): unknown; type(t: string): unknown };

class RevokeDto {
  @ApiProperty({ description: '撤销理由' })
  @IsString()
  @Length(2, 500)
  reason: string;
}

@ApiTags('documents')
@ApiBearerAuth()
@Controller('documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get()
  @ApiOperation({ summary: '已签发的文件（持有单位、审核人员、财政按管辖可见）' })
  async list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto, @Res({ passthrough: true }) reply: Reply): Promise<DocumentDto[]> {
    const query = parseListQuery(q, {
      sortable: { id: 'id' },
      filters: { id: (qb) => qb, kind: (qb) => qb, caseId: (qb) => qb, batchId: (qb) => qb },
      defaultSort: { field: 'id', order: 'DESC' },
    });
    const f = query.filter;
    if (f.kind !== undefined && !DOCUMENT_KIND_CODES.includes(f.kind as never)) return (setContentRange(reply, 'documents', query, 0, 0), []);
    const { rows, total } = await this.documents.list(
      actor,
      {
        kind: f.kind as string | undefined,
        caseId: f.caseId ? Number(f.caseId) : undefined,
        batchId: f.batchId ? Number(f.batchId) : undefined,
        ids: idsFilter(query),
      },
      query.range,
    );
    setContentRange(reply, 'documents', query, rows.length, total);
    return rows;
  }

  @Get(':id')
  async get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<DocumentDto> {
    return this.documents.toDto(await this.documents.readable(actor, id));
  }

  @Get(':id/download')
  @ApiOperation({ summary: '下载 PDF（持有单位、案件审核人员、管理员）' })
  async download(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Res({ passthrough: true }) reply: Reply): Promise<Buffer> {
    const { row, bytes } = await this.documents.download(actor, id);
    reply.header('Content-Type', 'application/pdf');
    reply.header('Content-Disposition', `attachment; filename="${row.serial}.pdf"`);
    return bytes;
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: '撤销（核验页面随即显示已撤销及理由）' })
  revoke(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: RevokeDto): Promise<DocumentDto> {
    return this.documents.revoke(actor, id, dto.reason);
  }

  @Post(':id/reissue')
  @HttpCode(202)
  @ApiOperation({ summary: '重新签发：生成新文件（新编号），原文件撤销，从不覆盖' })
  reissue(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number) {
    return this.documents.reissue(actor, id);
  }
}

@ApiTags('documents')
@ApiBearerAuth()
@Controller('document-batches')
export class DocumentBatchesController {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':id')
  @ApiOperation({ summary: '批量签发的进度' })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<DocumentBatchDto> {
    return this.documents.batch(actor, id);
  }
}

@ApiTags('verify')
@Controller()
export class VerifyController {
  constructor(private readonly documents: DocumentsService) {}

  @Public()
  @Get('verify/:code')
  @ApiOperation({ summary: '公开核验（无需登录，限流）：类型、持有人、签发日期、有效期、状态、哈希' })
  verify(@Param('code') code: string): Promise<VerificationDto> {
    return this.documents.verify(code);
  }
}
