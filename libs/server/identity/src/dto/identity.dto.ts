import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AUTHORITY_TYPE_CODES,
  COUNTY_CODES,
  INDUSTRY_CODES,
  ORGANISATION_KINDS,
  ROLES,
  SCHOOL_TYPE_CODES,
  type OrganisationKind,
  type Role,
} from '@portal/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCreditCode, PHONE_PATTERN, USERNAME_PATTERN } from './validators.js';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'Demo@2025' })
  @IsString()
  @Length(1, 256)
  password: string;
}

/** Fields of an organisation anyone registering or editing may give; kind-specific rules are in the service. */
class OrganisationFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  address?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(50)
  contactName?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: '电话号码格式不正确' })
  contactPhone?: string | null;
}

export class EnterpriseRegistrationDto extends OrganisationFieldsDto {
  @ApiProperty({ example: '温州某某电气有限公司' })
  @IsString()
  @Length(2, 100)
  name: string;

  @ApiProperty({ example: '91330302MA2AB12340' })
  @IsCreditCode()
  creditCode: string;

  @ApiProperty({ enum: COUNTY_CODES })
  @IsIn(COUNTY_CODES)
  countyCode: string;

  @ApiProperty({ enum: INDUSTRY_CODES })
  @IsIn(INDUSTRY_CODES)
  industry: string;
}

export class CredentialsDto {
  @ApiProperty({ example: 'zhangsan' })
  @Matches(USERNAME_PATTERN, { message: '用户名应为 3–64 位字母、数字或 _.@-' })
  username: string;

  @ApiProperty()
  @IsString()
  @Length(1, 128)
  password: string;

  @ApiProperty({ example: '张三' })
  @IsString()
  @Length(1, 50)
  displayName: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail({}, { message: '邮箱格式不正确' })
  email?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: '电话号码格式不正确' })
  phone?: string | null;
}

export class RegisterEnterpriseDto {
  @ApiProperty({ type: EnterpriseRegistrationDto })
  @ValidateNested()
  @Type(() => EnterpriseRegistrationDto)
  organisation: EnterpriseRegistrationDto;

  @ApiProperty({ type: CredentialsDto })
  @ValidateNested()
  @Type(() => CredentialsDto)
  user: CredentialsDto;
}

export class UpdateOrganisationDto extends OrganisationFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(2, 100)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsCreditCode()
  creditCode?: string | null;

  @ApiPropertyOptional({ enum: COUNTY_CODES })
  @IsOptional()
  @IsIn(COUNTY_CODES)
  countyCode?: string | null;

  @ApiPropertyOptional({ enum: INDUSTRY_CODES })
  @IsOptional()
  @IsIn(INDUSTRY_CODES)
  industry?: string | null;

  @ApiPropertyOptional({ enum: SCHOOL_TYPE_CODES })
  @IsOptional()
  @IsIn(SCHOOL_TYPE_CODES)
  schoolType?: string | null;

  @ApiPropertyOptional({ enum: AUTHORITY_TYPE_CODES })
  @IsOptional()
  @IsIn(AUTHORITY_TYPE_CODES)
  authorityType?: string | null;
}

export class CreateOrganisationDto extends UpdateOrganisationDto {
  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS)
  kind: OrganisationKind;

  @ApiProperty()
  @IsString()
  @Length(2, 100)
  override name: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 50)
  displayName?: string;

  @ApiPropertyOptional({ description: '留空则不修改' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  password?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  organisationId?: number;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ enum: COUNTY_CODES, nullable: true })
  @IsOptional()
  @IsIn(COUNTY_CODES)
  jurisdiction?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail({}, { message: '邮箱格式不正确' })
  email?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: '电话号码格式不正确' })
  phone?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class CreateUserDto extends UpdateUserDto {
  @ApiProperty({ example: 'lisi' })
  @Matches(USERNAME_PATTERN, { message: '用户名应为 3–64 位字母、数字或 _.@-' })
  username: string;

  @ApiProperty()
  @IsString()
  @Length(1, 50)
  override displayName: string;

  @ApiProperty()
  @IsString()
  @Length(1, 128)
  override password: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  override roles: Role[];
}

export class UpdateProfileDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 50)
  displayName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail({}, { message: '邮箱格式不正确' })
  email?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: '电话号码格式不正确' })
  phone?: string | null;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 256)
  currentPassword: string;

  @ApiProperty()
  @IsString()
  @Length(1, 128)
  newPassword: string;
}
