import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DOCUMENT_KIND_CODES, DOCUMENT_KINDS, type DocumentBatchDto, type DocumentDto, type ReissueDto, type VerificationDto } from '@portal/contracts';
import {
  ApiReturns,
  ApiReturnsFile,
  ApiReturnsList,
  exportDateTime,
  idsFilter,
  listExport,
  type ListExportSpec,
  ListQueryDto,
  ParseIdPipe,
  parseListQuery,
  setContentRange,
} from '@portal/core';
import { CurrentActor, Public, type Actor } from '@portal/identity';
import { IsString, Length } from 'class-validator';
import { DocumentsService } from '../documents.service.js';

type Reply = { header(n: string, v: string): unknown; status(n: number): unknown; type(t: string): unknown };

const DOCUMENTS_EXPORT: ListExportSpec<DocumentDto> = {
  title: '已签发文件',
  fields: [
    { header: '编号', cell: (r) => r.id },
    { header: '文件类型', width: 20, cell: (r) => DOCUMENT_KINDS[r.kind].label },
    { header: '文件编号', width: 24, cell: (r) => r.serial },
    { header: '持有单位', width: 30, cell: (r) => r.holderName },
    { header: '签发时间', width: 18, cell: (r) => exportDateTime(r.issuedAt) },
    { header: '有效期至', width: 18, cell: (r) => exportDateTime(r.validUntil) },
    { header: '状态', width: 16, cell: (r) => r.statusLabel },
    { header: '撤销理由', width: 30, cell: (r) => r.revokeReason },
    { header: '核验地址', width: 40, cell: (r) => r.verifyUrl },
  ],
};

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
  @ApiReturnsList('DocumentDto')
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

  @Get('export')
  @ApiOperation({ summary: '导出已签发的文件（.xlsx，按列表的筛选）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@CurrentActor() actor: Actor, @Query() q: ListQueryDto) {
    return listExport(q, (page, reply) => this.list(actor, page, reply), DOCUMENTS_EXPORT);
  }

  @Get(':id')
  @ApiReturns('DocumentDto')
  async get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<DocumentDto> {
    return this.documents.toDto(await this.documents.readable(actor, id));
  }

  @Get(':id/download')
  @ApiOperation({ summary: '下载 PDF（持有单位、案件审核人员、管理员）' })
  @ApiReturnsFile('application/pdf')
  async download(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Res({ passthrough: true }) reply: Reply): Promise<Buffer> {
    const { row, bytes } = await this.documents.download(actor, id);
    reply.header('Content-Type', 'application/pdf');
    reply.header('Content-Disposition', `attachment; filename="${row.serial}.pdf"`);
    return bytes;
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: '撤销（核验页面随即显示已撤销及理由）' })
  @ApiReturns('DocumentDto')
  revoke(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: RevokeDto): Promise<DocumentDto> {
    return this.documents.revoke(actor, id, dto.reason);
  }

  @Post(':id/reissue')
  @HttpCode(202)
  @ApiOperation({ summary: '重新签发：生成新文件（新编号），原文件撤销，从不覆盖' })
  @ApiReturns('ReissueDto')
  reissue(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<ReissueDto> {
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
  @ApiReturns('DocumentBatchDto')
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
  @ApiReturns('VerificationDto')
  verify(@Param('code') code: string): Promise<VerificationDto> {
    return this.documents.verify(code);
  }
}
