import { IsPortalDay } from '@portal/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COUNTY_CODES } from '@portal/contracts';
import { IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';

export class CreateTargetDto {
  @ApiProperty({ description: '指标键（如 certified_enterprises）' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{1,49}$/, { message: '指标键只能由小写字母、数字和下划线组成，以字母开头' })
  indicator: string;

  @ApiProperty({ description: '指标名称' })
  @IsString()
  @Length(2, 60, { message: '指标名称应为 2 至 60 个字' })
  label: string;

  @ApiProperty({ description: '单位（家、个、人次、元、%）' })
  @IsString()
  @Length(1, 10, { message: '单位应为 1 至 10 个字' })
  unit: string;

  @ApiProperty({ description: '目标值' })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '目标值应为数字（最多两位小数）' })
  @Min(0, { message: '目标值不能为负数' })
  @Max(100_000_000_000, { message: '目标值过大' })
  value: number;

  @ApiProperty({ description: '完成期限 YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: '完成期限应为日期（YYYY-MM-DD）' })
  @IsPortalDay('完成期限应为日期（YYYY-MM-DD）')
  deadline: string;

  @ApiProperty({ description: '对应的重点任务序号（1-78）' })
  @IsInt({ message: '重点任务序号应为整数' })
  @Min(1, { message: '重点任务序号应在 1 至 78 之间' })
  @Max(78, { message: '重点任务序号应在 1 至 78 之间' })
  seedTask: number;

  @ApiPropertyOptional({ description: '县（市、区）代码；不填或 null 为全市', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsIn(COUNTY_CODES, { message: '县（市、区）代码不是温州市的县（市、区）' })
  countyCode?: string | null;
}

export class UpdateTargetDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{1,49}$/, { message: '指标键只能由小写字母、数字和下划线组成，以字母开头' })
  indicator?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(2, 60, { message: '指标名称应为 2 至 60 个字' })
  label?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 10, { message: '单位应为 1 至 10 个字' })
  unit?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '目标值应为数字（最多两位小数）' })
  @Min(0, { message: '目标值不能为负数' })
  @Max(100_000_000_000, { message: '目标值过大' })
  value?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '完成期限应为日期（YYYY-MM-DD）' })
  @IsPortalDay('完成期限应为日期（YYYY-MM-DD）')
  deadline?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt({ message: '重点任务序号应为整数' })
  @Min(1, { message: '重点任务序号应在 1 至 78 之间' })
  @Max(78, { message: '重点任务序号应在 1 至 78 之间' })
  seedTask?: number;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsIn(COUNTY_CODES, { message: '县（市、区）代码不是温州市的县（市、区）' })
  countyCode?: string | null;

  @ApiPropertyOptional({ description: '读取时的版本（过期答复 409）' })
  @IsOptional()
  @IsInt()
  version?: number;
}

export class KpiQueryDto {
  @ApiPropertyOptional({ description: '范围：city、county:330302、school:<单位编号>、enterprise:<单位编号>；不填按本人角色' })
  @IsOptional()
  @IsString()
  @Matches(/^(city|county:\d{6}|school:\d{1,9}|enterprise:\d{1,9})$/, { message: '范围应为 city、county:<县代码>、school:<单位编号> 或 enterprise:<单位编号>' })
  scope?: string;
}

export class WorkloadQueryDto {
  @ApiPropertyOptional({ description: '县（市、区）代码；不填为全市（县级审核只能看本县）' })
  @IsOptional()
  @IsIn(COUNTY_CODES, { message: '县（市、区）代码不是温州市的县（市、区）' })
  countyCode?: string;
}

export class MonthlyReportDtoIn {
  @ApiPropertyOptional({ description: '月份 YYYY-MM（已结束的月份；不填为上月）' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '月份应为 YYYY-MM，如 2026-10' })
  month?: string;
}
