import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ImportPreviewDto } from '@portal/contracts';
import { ApiReturns, ApiReturnsFile, type MultipartRequest, readUpload } from '@portal/core';
import { CurrentActor, type Actor } from '@portal/identity';
import { PracticeImportService } from '../records/practice-import.service.js';

type Reply = { header(n: string, v: string): unknown };

@ApiTags('practice')
@ApiBearerAuth()
@Controller('practice-records/imports')
export class PracticeImportsController {
  constructor(private readonly imports: PracticeImportService) {}

  @Get('template')
  @ApiOperation({ summary: '历年实践记录导入模板（.xlsx）' })
  @ApiReturnsFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async template(@Res({ passthrough: true }) reply: Reply): Promise<Buffer> {
    reply.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('历年教师企业实践记录.xlsx')}`);
    return this.imports.template();
  }

  @Post()
  @ApiOperation({ summary: '上传历年实践记录（.xlsx/.csv），逐行校验后预览（学校管理员）' })
  @ApiReturns('ImportPreviewDto')
  async preview(@CurrentActor() actor: Actor, @Req() req: MultipartRequest): Promise<ImportPreviewDto> {
    const file = await readUpload(req, await this.imports.maxFileBytes());
    return this.imports.preview(actor, { fileName: file.filename, bytes: file.bytes });
  }

  @Get(':id')
  @ApiReturns('ImportPreviewDto')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<ImportPreviewDto> {
    return this.imports.get(actor, id);
  }

  @Post(':id/commit')
  @HttpCode(200)
  @ApiOperation({ summary: '确认导入：全部可导入的行在一个事务中写入并认定（留痕），或一行也不写' })
  @ApiReturns('ImportPreviewDto')
  commit(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<ImportPreviewDto> {
    return this.imports.commit(actor, id);
  }
}
