import { INVITATION_TOKEN } from '@portal/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Length, Matches, MaxLength, Min } from 'class-validator';

export class ActionDto {
  @ApiProperty({ example: 'approve' })
  @Matches(/^[a-z][a-z_]{0,39}$/, { message: '操作名称不正确' })
  action: string;

  @ApiPropertyOptional({ description: '意见' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({ description: '用户看到的版本；过期则答复 409' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ type: [String], description: '补正清单' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  items?: string[];

  @ApiPropertyOptional({ description: '补正期限' })
  @IsOptional()
  @IsISO8601()
  deadline?: string;

  @ApiPropertyOptional({ description: '退回到的阶段（默认申请人）' })
  @IsOptional()
  @Matches(/^[a-z][a-z_]{0,39}$/)
  target?: string;

  @ApiPropertyOptional({ description: '评分：评分项 → 分数' })
  @IsOptional()
  @IsObject()
  scores?: Record<string, number>;

  @ApiPropertyOptional({ type: [Number], description: '评审专家（用户 id）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsInt({ each: true })
  panel?: number[];

  @ApiPropertyOptional({ description: '代理办理：被代理人的用户 id' })
  @IsOptional()
  @IsInt()
  @Min(1)
  onBehalfOf?: number;
  @ApiPropertyOptional({ description: '操作的附加数据（如确认的学时），按流程对该操作的定义校验' })
  @IsOptional()
  @IsObject({ message: '附加数据应为对象' })
  data?: Record<string, unknown>;
}

export class ObjectionDtoIn {
  @ApiProperty({ description: '实名' })
  @IsString()
  @Length(2, 30)
  name: string;

  @ApiProperty()
  @Matches(/^[0-9+\-() ]{5,30}$/, { message: '电话号码格式不正确' })
  phone: string;

  @ApiPropertyOptional({ description: '身份证号（只保存脱敏后的号码）' })
  @IsOptional()
  @Matches(/^\d{17}[\dXx]$/, { message: '身份证号格式不正确' })
  idNumber?: string;

  @ApiProperty({ description: '异议内容及理由' })
  @IsString()
  @Length(10, 2000)
  content: string;
}

export class ResolveObjectionDto {
  @ApiProperty({ enum: ['upheld', 'dismissed'] })
  @IsIn(['upheld', 'dismissed'])
  outcome: 'upheld' | 'dismissed';

  @ApiProperty()
  @IsString()
  @Length(2, 2000)
  resolution: string;
}

/** One ruling for several objections (each still recorded on its own). */
export class BatchResolveObjectionsDto extends ResolveObjectionDto {
  @ApiProperty({ type: [Number], description: '要处理的异议 id（一次最多 500 件）' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsInt({ each: true })
  @Min(1, { each: true })
  ids: number[];
}

export class ReassignDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  userId: number;

  @ApiProperty({ required: false, description: '改派理由（记入审计事件）' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class DelegationDtoIn {
  @ApiProperty()
  @IsInt()
  @Min(1)
  delegateId: number;

  @ApiProperty()
  @IsISO8601()
  startsAt: string;

  @ApiProperty()
  @IsISO8601()
  endsAt: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class DiffQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{1,5}$/)
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{1,5}$/)
  to?: string;
}

export class InvitationTokenDto {
  @ApiProperty({ description: '邀请邮件链接中的一次性令牌（invitation=…）' })
  @IsString({ message: '邀请令牌不正确' })
  @Matches(INVITATION_TOKEN, { message: '邀请令牌不正确：请完整复制邀请邮件中的链接' })
  token: string;
}
