import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AUTHORITY_TYPES, type ReferenceDto, SCHOOL_TYPES } from '@portal/contracts';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators.js';
import { ApiReturns } from '@portal/core';

@ApiTags('reference')
@Controller('reference')
export class ReferenceController {
  constructor(private readonly ds: DataSource) {}

  @Public()
  @Get()
  @ApiOperation({ summary: '参考数据：县（市、区）、“5+5+N”产业、办学类型、部门类型' })
  @ApiReturns('ReferenceDto')
  async get(): Promise<ReferenceDto> {
    const [counties, industries] = await Promise.all([
      this.ds.query<Array<{ code: string; name: string }>>('SELECT code, name FROM counties ORDER BY code'),
      this.ds.query<Array<{ code: string; name: string; group: string }>>('SELECT code, name, "group" FROM industries ORDER BY name'),
    ]);
    return { counties, industries, schoolTypes: SCHOOL_TYPES, authorityTypes: AUTHORITY_TYPES };
  }
}
