import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PRACTICE_FORM_CODES, TEACHER_EMPLOYMENT_CODES, type PracticeForm, type TeacherEmployment } from '@portal/contracts';
import { IsPortalDay } from '@portal/core';
import { IsCreditCode, PHONE_PATTERN, USERNAME_PATTERN } from '@portal/identity';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

const DAY_MESSAGE = (field: string) => `${field}应为 YYYY-MM-DD 格式的有效日期`;

/** A practice record as the teacher fills it in (new, or corrected while it is theirs to edit). */
export class PracticeRecordFieldsDto {
  @ApiPropertyOptional({ description: '接收企业（已注册）' })
  @IsOptional()
  @IsInt({ message: '接收企业应为单位编号' })
  @Min(1, { message: '接收企业应为单位编号' })
  hostOrgId?: number;

  @ApiPropertyOptional({ description: '未注册的接收企业：统一社会信用代码（邮件邀请其注册并接受邀请）' })
  @IsOptional()
  @IsCreditCode({ message: '接收企业的统一社会信用代码不正确' })
  hostCreditCode?: string;

  @ApiPropertyOptional({ description: '未注册的接收企业：联系邮箱' })
  @IsOptional()
  @IsEmail({}, { message: '接收企业的联系邮箱格式不正确' })
  @MaxLength(200, { message: '接收企业的联系邮箱过长' })
  hostEmail?: string;

  @ApiPropertyOptional({ description: '千企万岗岗位（可选）' })
  @IsOptional()
  @IsInt({ message: '岗位应为岗位编号' })
  @Min(1, { message: '岗位应为岗位编号' })
  postId?: number;

  @ApiProperty({ example: '2025-07-01' })
  @IsPortalDay(DAY_MESSAGE('开始日期'))
  startDate: string;

  @ApiProperty({ example: '2025-08-31' })
  @IsPortalDay(DAY_MESSAGE('结束日期'))
  endDate: string;

  @ApiProperty({ description: '学时' })
  @IsInt({ message: '学时应为整数' })
  @Min(1, { message: '学时至少为 1' })
  @Max(100_000, { message: '学时过大' })
  hours: number;

  @ApiProperty({ enum: PRACTICE_FORM_CODES })
  @IsIn(PRACTICE_FORM_CODES, { message: '实践形式应为考察观摩、岗位实践、技能培训或研发' })
  form: PracticeForm;

  @ApiProperty({ description: '实践内容（生产组织方式、工艺流程、岗位职责、技能要求、新技术新工艺…）' })
  @IsString({ message: '实践内容应为文本' })
  @Length(1, 4000, { message: '实践内容应为 1–4000 字' })
  content: string;

  @ApiPropertyOptional({ description: '实践成果' })
  @IsOptional()
  @IsString({ message: '实践成果应为文本' })
  @MaxLength(4000, { message: '实践成果不能超过 4000 字' })
  outcomes?: string;
}

export class CreatePracticeRecordDto extends PracticeRecordFieldsDto {}

export class UpdatePracticeRecordDto extends PracticeRecordFieldsDto {
  @ApiProperty({ description: '看到的内容版本；过期则答复 409' })
  @IsInt({ message: '内容版本应为整数' })
  @Min(1, { message: '内容版本应为正整数' })
  dataVersion: number;
}

/** A school creates a teacher: the user (role teacher in the school) and the profile. */
export class CreateTeacherDto {
  @ApiProperty({ example: 'zhanglaoshi' })
  @Matches(USERNAME_PATTERN, { message: '用户名应为 3–64 位字母、数字或 _.@-' })
  username: string;

  @ApiProperty()
  @IsString({ message: '姓名应为文本' })
  @Length(1, 50, { message: '姓名应为 1–50 字' })
  displayName: string;

  @ApiProperty()
  @IsString({ message: '初始密码应为文本' })
  @Length(1, 128, { message: '初始密码过长' })
  password: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail({}, { message: '邮箱格式不正确' })
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: '电话号码格式不正确' })
  phone?: string;

  @ApiPropertyOptional({ description: '学校（管理员新建时必填；学校管理员为本校）' })
  @IsOptional()
  @IsInt({ message: '学校应为单位编号' })
  @Min(1, { message: '学校应为单位编号' })
  schoolId?: number;

  @ApiProperty({ description: '专业' })
  @IsString({ message: '专业应为文本' })
  @Length(1, 50, { message: '专业应为 1–50 字' })
  major: string;

  @ApiProperty({ enum: TEACHER_EMPLOYMENT_CODES })
  @IsIn(TEACHER_EMPLOYMENT_CODES, { message: '任职类型应为专任或兼职' })
  employment: TeacherEmployment;

  @ApiPropertyOptional({ description: '双师型' })
  @IsOptional()
  @IsBoolean({ message: '双师型应为是或否' })
  dualQualified?: boolean;

  @ApiPropertyOptional({ description: '双师型认定日期' })
  @IsOptional()
  @IsPortalDay(DAY_MESSAGE('双师型认定日期'))
  dualQualifiedOn?: string;
}

export class UpdateTeacherDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '专业应为文本' })
  @Length(1, 50, { message: '专业应为 1–50 字' })
  major?: string;

  @ApiPropertyOptional({ enum: TEACHER_EMPLOYMENT_CODES })
  @IsOptional()
  @IsIn(TEACHER_EMPLOYMENT_CODES, { message: '任职类型应为专任或兼职' })
  employment?: TeacherEmployment;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: '双师型应为是或否' })
  dualQualified?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsPortalDay(DAY_MESSAGE('双师型认定日期'))
  dualQualifiedOn?: string;
}

export class CreatePostDto {
  @ApiProperty()
  @IsString({ message: '岗位名称应为文本' })
  @Length(1, 100, { message: '岗位名称应为 1–100 字' })
  title: string;

  @ApiProperty()
  @IsString({ message: '专业应为文本' })
  @Length(1, 50, { message: '专业应为 1–50 字' })
  major: string;

  @ApiProperty()
  @IsInt({ message: '岗位数应为整数' })
  @Min(1, { message: '岗位数至少为 1' })
  @Max(1000, { message: '岗位数不能超过 1000' })
  openings: number;

  @ApiProperty()
  @IsPortalDay(DAY_MESSAGE('开始日期'))
  startDate: string;

  @ApiProperty()
  @IsPortalDay(DAY_MESSAGE('结束日期'))
  endDate: string;

  @ApiProperty()
  @IsString({ message: '岗位内容应为文本' })
  @Length(1, 2000, { message: '岗位内容应为 1–2000 字' })
  content: string;

  @ApiProperty({ description: '企业导师' })
  @IsString({ message: '企业导师应为文本' })
  @Length(1, 50, { message: '企业导师应为 1–50 字' })
  mentorName: string;

  @ApiPropertyOptional({ description: '企业导师的平台账号（本企业用户，确认学时）' })
  @IsOptional()
  @IsInt({ message: '企业导师账号应为用户编号' })
  @Min(1, { message: '企业导师账号应为用户编号' })
  mentorUserId?: number;
}

export class ClosePostDto {
  @ApiProperty({ enum: ['open', 'closed'] })
  @IsIn(['open', 'closed'], { message: '状态应为 open 或 closed' })
  status: 'open' | 'closed';
}

export class ApplyDto {
  @ApiProperty()
  @IsInt({ message: '岗位应为岗位编号' })
  @Min(1, { message: '岗位应为岗位编号' })
  postId: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '申请说明应为文本' })
  @MaxLength(500, { message: '申请说明不能超过 500 字' })
  note?: string;
}
