import { Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SETTING_DEFINITIONS, TEXT_SETTING_DEFINITIONS, type SettingKey, type SettingRow, type TextSettingKey } from '@portal/contracts';
import { ApiReturns, ApiReturnsList, DomainException, ListQueryDto, parseListQuery, setContentRange, SettingsService } from '@portal/core';
import { CurrentActor, Roles, type Actor } from '@portal/identity';
import { IsDefined } from 'class-validator';

class SettingValueDto {
  @ApiProperty({ description: 'the new value (an integer within the setting’s range, or the text of a wording setting)' })
  @IsDefined()
  value: unknown;
}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
@Roles('admin')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  private async rows(): Promise<SettingRow[]> {
    const values = await this.settings.all();
    const texts = await this.settings.texts();
    return [
      ...(Object.keys(SETTING_DEFINITIONS) as SettingKey[]).map((key): SettingRow => ({
        id: key,
        type: 'number',
        value: values[key],
        ...SETTING_DEFINITIONS[key],
      })),
      ...(Object.keys(TEXT_SETTING_DEFINITIONS) as TextSettingKey[]).map((key): SettingRow => ({
        id: key,
        type: 'text',
        value: texts[key],
        ...TEXT_SETTING_DEFINITIONS[key],
      })),
    ];
  }

  @Get()
  @ApiOperation({ summary: '政策与安全参数（金额、天数、阈值）及文书用语（签发机关、证书正文），含默认值与取值范围' })
  @ApiReturnsList('SettingRow')
  async list(@Query() q: ListQueryDto, @Res({ passthrough: true }) reply: { header(n: string, v: string): unknown }): Promise<SettingRow[]> {
    const query = parseListQuery(q, { sortable: { id: 'id' }, filters: {}, defaultSort: { field: 'id', order: 'ASC' } });
    const all = await this.rows();
    const page = all.slice(query.range.start, query.range.end + 1);
    setContentRange(reply, 'settings', query, page.length, all.length);
    return page;
  }

  @Get(':key')
  @ApiReturns('SettingRow')
  async get(@Param('key') key: string): Promise<SettingRow> {
    const row = (await this.rows()).find((r) => r.id === key);
    if (!row) throw DomainException.notFound('设置项');
    return row;
  }

  @Put(':key')
  @ApiReturns('SettingRow')
  async set(@CurrentActor() actor: Actor, @Param('key') key: string, @Body() dto: SettingValueDto): Promise<SettingRow> {
    await this.settings.set(key, dto.value, actor.id);
    return this.get(key);
  }
}
