import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVIDENCE_TYPES, type EvidenceType } from '@portal/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsYuan, IsPortalDay } from '@portal/core';
import { ActionDto } from '@portal/workflow';

export class EvidenceItemDto {
  @ApiProperty({ enum: Object.keys(EVIDENCE_TYPES) })
  @IsIn(Object.keys(EVIDENCE_TYPES))
  type: EvidenceType;

  @ApiProperty()
  @IsString()
  @Length(1, 500)
  description: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  schoolName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1990)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  count?: number;

  @ApiPropertyOptional({ description: '金额（元）' })
  @IsOptional()
  @IsYuan()
  @Min(0)
  @Max(10_000_000_000)
  amountYuan?: number;

  @ApiProperty({ enum: ['manual', 'order_class', 'practice_record'] })
  @IsIn(['manual', 'order_class', 'practice_record'])
  source: 'manual' | 'order_class' | 'practice_record';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sourceRef?: string;
}

export class DeclarationsDto {
  @ApiProperty({ description: '近三年无重大安全、环保、质量事故' })
  @IsBoolean()
  noMajorAccident: boolean;

  @ApiProperty({ description: '未被列入严重失信主体名单' })
  @IsBoolean()
  notDishonest: boolean;

  @ApiProperty({ description: '主营业务不属于教育培训' })
  @IsBoolean()
  mainBusinessNotEducation: boolean;
}

export class CreateApplicationDto {
  @ApiPropertyOptional({ description: '申报年度（默认今年）' })
  @IsOptional()
  @IsInt()
  @Min(2023)
  @Max(2100)
  year?: number;
}

export class UpdateApplicationDto {
  @ApiProperty({ description: '编辑前看到的版本；过期答复 409' })
  @IsInt()
  @Min(1)
  dataVersion: number;

  @ApiPropertyOptional({ description: '三年产教融合规划' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  plan?: string;

  @ApiPropertyOptional({ type: [EvidenceItemDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => EvidenceItemDto)
  evidence?: EvidenceItemDto[];

  @ApiPropertyOptional({ type: DeclarationsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DeclarationsDto)
  declarations?: DeclarationsDto;
}

export class BatchActionDto {
  @ApiProperty({ type: [Number] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsInt({ each: true })
  ids: number[];

  @ApiProperty({ example: 'certify' })
  @Matches(/^[a-z][a-z_]{0,39}$/)
  action: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RecordCertificationDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  enterpriseId: number;

  @ApiProperty({ enum: ['provincial', 'national'] })
  @IsIn(['provincial', 'national'])
  level: 'provincial' | 'national';

  @ApiProperty({ description: '认定文件文号' })
  @IsString()
  @Length(2, 100)
  documentNo: string;

  @ApiProperty({ example: '2025-06-30' })
  @IsPortalDay('应为有效的日期（YYYY-MM-DD）')
  certifiedAt: string;
}

export class ProposeRecordDto {
  @ApiProperty({ enum: ['provincial', 'national'] })
  @IsIn(['provincial', 'national'])
  level: 'provincial' | 'national';

  @ApiProperty()
  @IsString()
  @Length(2, 100)
  documentNo: string;

  @ApiProperty({ example: '2025-06-30' })
  @IsPortalDay('应为有效的日期（YYYY-MM-DD）')
  certifiedAt: string;
}

export class ReasonDto {
  @ApiProperty()
  @IsString()
  @Length(2, 500)
  reason: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class PayDto {
  @ApiProperty({ description: '拨付凭证号' })
  @IsString()
  @Length(2, 64)
  voucherNo: string;

  @ApiProperty({ example: '2025-07-15' })
  @IsPortalDay('应为有效的日期（YYYY-MM-DD）')
  paidAt: string;

  @ApiProperty({ description: '拨付金额（元，最多两位小数；应等于通知书所列补助金额）' })
  @IsYuan()
  @Min(0.01)
  @Max(100_000_000)
  amountYuan: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class RecoverDto {
  @ApiProperty({ description: '追回凭证号（追回自有的凭证，不改动拨付凭证）' })
  @IsString()
  @Length(2, 64)
  voucherNo: string;

  @ApiProperty({ example: '2026-03-01' })
  @IsPortalDay('应为有效的日期（YYYY-MM-DD）')
  recoveredAt: string;

  @ApiProperty({ description: '追回金额（元，最多两位小数，不超过已拨付金额）' })
  @IsYuan()
  @Min(0.01)
  @Max(100_000_000)
  amountYuan: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export { ActionDto };

export class AnnualReportDtoIn {
  @ApiProperty({ description: '报告年度' })
  @IsInt()
  @Min(2023)
  @Max(2100)
  year: number;

  @ApiProperty({ description: '年度产教融合工作总结' })
  @IsString()
  @Length(10, 10000)
  summary: string;

  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(10000)
  orderClasses: number;

  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  internsHosted: number;

  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  practicePosts: number;

  @ApiProperty({ description: '职业教育投入（元）' })
  @IsYuan()
  @Min(0)
  @Max(10_000_000_000)
  investmentYuan: number;
}
