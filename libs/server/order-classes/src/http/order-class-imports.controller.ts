import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiReturns, ApiReturnsFile, attachmentDisposition, DomainException, type MultipartRequest, ParseIdPipe, readUpload } from '@portal/core';
import type { ImportPreviewDto } from '@portal/contracts';
import { CurrentActor, type Actor } from '@portal/identity';
import { RosterImportsService } from '../students/roster-imports.service.js';

type Reply = { header(n: string, v: string): unknown; status(n: number): unknown };

/** The roster import: upload → preview (bad rows listed) → commit (good rows, all or nothing); the template. */
@ApiTags('order-classes')
@ApiBearerAuth()
@Controller('order-classes/:id/students/imports')
export class OrderClassImportsController {
  constructor(private readonly imports: RosterImportsService) {}

  @Get('template')
  @ApiOperation({ summary: '学生名单导入模板（.xlsx，中文表头与示例行）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async template(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Res({ passthrough: true }) reply: Reply): Promise<Buffer> {
    const bytes = await this.imports.template(actor, id);
    reply.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    reply.header('Content-Disposition', attachmentDisposition('订单班学生名单模板.xlsx'));
    return bytes;
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '上传名单（.xlsx 或 .csv，multipart：file）并预览：列出每个有问题的行及原因，尚不写入名单' })
  @ApiReturns('ImportPreviewDto')
  async preview(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Req() req: MultipartRequest): Promise<ImportPreviewDto> {
    const max = await this.imports.maxFileBytes();
    const file = await readUpload(req, max);
    if (file.truncated) throw new DomainException('PAYLOAD_TOO_LARGE', `导入文件不能超过 ${Math.round(max / 1024 / 1024)} MB`);
    return this.imports.preview(actor, id, { fileName: file.filename, bytes: file.bytes });
  }

  @Get(':importId')
  @ApiOperation({ summary: '一次导入的预览结果' })
  @ApiReturns('ImportPreviewDto')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Param('importId') importId: string): Promise<ImportPreviewDto> {
    return this.imports.get(actor, id, importId);
  }

  @Post(':importId/commit')
  @HttpCode(200)
  @ApiOperation({ summary: '确认导入：预览中的全部正确行在一个事务中写入名单（有任何问题则一行也不写）' })
  @ApiReturns('ImportPreviewDto')
  commit(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Param('importId') importId: string): Promise<ImportPreviewDto> {
    return this.imports.commit(actor, id, importId);
  }
}
