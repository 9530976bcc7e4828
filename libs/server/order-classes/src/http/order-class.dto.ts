import { IsPortalDay } from '@portal/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAJOR_CODES, STUDENT_DESTINATIONS, type StudentDestination } from '@portal/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const DAY_MESSAGE = '日期应为 YYYY-MM-DD';

export class MentorDto {
  @ApiProperty({ description: '导师姓名' })
  @IsString()
  @Length(1, 40)
  name: string;

  @ApiProperty({ description: '职务/岗位' })
  @IsString()
  @MaxLength(60)
  title: string;

  @ApiPropertyOptional({ description: '从业年限' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  years: number | null;
}

export class InternshipDto {
  @ApiProperty({ description: '实习安排' })
  @IsString()
  @MaxLength(2000)
  arrangement: string;

  @ApiPropertyOptional({ description: '岗位实习月数' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(36)
  months: number | null;

  @ApiProperty({ description: '承保机构' })
  @IsString()
  @MaxLength(100)
  insurer: string;

  @ApiProperty({ description: '实习责任保险保单号' })
  @IsString()
  @MaxLength(60)
  policyNo: string;

  @ApiPropertyOptional({ description: '每生保额（元）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  coverageYuan: number | null;
}

export class PostDto {
  @ApiProperty({ description: '岗位名称' })
  @IsString()
  @Length(1, 60)
  title: string;

  @ApiProperty({ description: '岗位数' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  openings: number;
}

export class EmploymentDto {
  @ApiProperty({ type: [PostDto] })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => PostDto)
  posts: PostDto[];

  @ApiPropertyOptional({ description: '月薪下限（元）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  salaryMinYuan: number | null;

  @ApiPropertyOptional({ description: '月薪上限（元）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  salaryMaxYuan: number | null;

  @ApiPropertyOptional({ description: '其他承诺' })
  @IsString()
  @MaxLength(1000)
  note: string;
}

/** The enterprise: a registered one (enterpriseId), or one invited by credit code and e-mail. */
class EnterpriseChoice {
  @ApiPropertyOptional({ description: '已注册企业的 id' })
  @ValidateIf((o: EnterpriseChoice) => o.invitedCreditCode === undefined || o.enterpriseId !== undefined)
  @IsInt({ message: '请选择合作企业，或填写被邀请企业的统一社会信用代码和邮箱' })
  @Min(1)
  enterpriseId?: number;

  @ApiPropertyOptional({ description: '未注册企业的统一社会信用代码（邀请）' })
  @IsOptional()
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{18}$/, { message: '统一社会信用代码应为 18 位' })
  invitedCreditCode?: string;

  @ApiPropertyOptional({ description: '被邀请企业的联系邮箱' })
  @ValidateIf((o: EnterpriseChoice) => o.invitedCreditCode !== undefined)
  @IsEmail({}, { message: '请填写被邀请企业的联系邮箱' })
  @MaxLength(200)
  invitedEmail?: string;
}

export class CreateOrderClassDto extends EnterpriseChoice {
  @ApiProperty({ description: '订单班名称' })
  @IsString()
  @Length(2, 100)
  name: string;

  @ApiPropertyOptional({ description: '专业代码（参考数据 majors）' })
  @IsOptional()
  @IsIn(MAJOR_CODES, { message: '专业不在专业目录中' })
  majorCode?: string;

  @ApiPropertyOptional({ description: '招生年级（届）' })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  cohortYear?: number;
}

/** The form as it is typed (every field optional); dataVersion is the version the user saw. */
export class UpdateOrderClassDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  dataVersion: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(2, 100)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  enterpriseId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{18}$/, { message: '统一社会信用代码应为 18 位' })
  invitedCreditCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail({}, { message: '邮箱格式不正确' })
  @MaxLength(200)
  invitedEmail?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsIn(MAJOR_CODES, { message: '专业不在专业目录中' })
  majorCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  cohortYear?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  plannedHeadcount?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsPortalDay(DAY_MESSAGE)
  termStart?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsPortalDay(DAY_MESSAGE)
  termEnd?: string;

  @ApiPropertyOptional({ description: '培养方案要点与课程' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  courses?: string;

  @ApiPropertyOptional({ type: [MentorDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MentorDto)
  mentors?: MentorDto[];

  @ApiPropertyOptional({ type: InternshipDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => InternshipDto)
  internship?: InternshipDto;

  @ApiPropertyOptional({ type: EmploymentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmploymentDto)
  employment?: EmploymentDto;
}

/** One student, added by the school. */
export class StudentDtoIn {
  @ApiProperty({ description: '姓名' })
  @IsString()
  @Length(1, 40)
  name: string;

  @ApiProperty({ description: '居民身份证号码' })
  @IsString()
  @Length(1, 30)
  idNumber: string;

  @ApiProperty({ enum: ['male', 'female'], description: '性别（须与身份证号码一致）' })
  @IsIn(['male', 'female'])
  gender: 'male' | 'female';

  @ApiPropertyOptional({ description: '手机号码' })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  phone?: string;
}

/** A roster change while the class runs. */
export class ChangeDtoIn {
  @ApiProperty({ enum: ['join', 'leave'] })
  @IsIn(['join', 'leave'])
  kind: 'join' | 'leave';

  @ApiProperty({ description: '日期' })
  @IsPortalDay(DAY_MESSAGE)
  date: string;

  @ApiProperty({ description: '原因' })
  @IsString()
  @Length(2, 200)
  reason: string;

  @ApiPropertyOptional({ description: '退出：名单中的学生 id' })
  @ValidateIf((o: ChangeDtoIn) => o.kind === 'leave')
  @IsInt({ message: '请选择退出的学生' })
  @Min(1)
  studentId?: number;

  @ApiPropertyOptional({ type: StudentDtoIn, description: '加入：新学生' })
  @ValidateIf((o: ChangeDtoIn) => o.kind === 'join')
  @ValidateNested()
  @Type(() => StudentDtoIn)
  student?: StudentDtoIn;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

/** A student's completion outcome. */
export class OutcomeDtoIn {
  @ApiProperty({ description: '是否结业（毕业）' })
  @IsBoolean()
  graduated: boolean;

  @ApiPropertyOptional({ enum: Object.keys(STUDENT_DESTINATIONS), description: '去向（结业者必填）' })
  @ValidateIf((o: OutcomeDtoIn) => o.graduated === true || o.destination !== undefined)
  @IsIn(Object.keys(STUDENT_DESTINATIONS), { message: '请选择去向' })
  destination?: StudentDestination;
}

export class RevealDtoIn {
  @ApiProperty({ description: '查看完整信息的理由（记入审计）' })
  @IsString()
  @Length(2, 200)
  reason: string;
}
