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
  IsDefined,
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
  // @IsDefined: @ValidateNested alone lets a missing object through (and the service then fails with a 500)
  @ApiProperty({ type: EnterpriseRegistrationDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => EnterpriseRegistrationDto)
  organisation: EnterpriseRegistrationDto;

  @ApiProperty({ type: CredentialsDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => CredentialsDto)
  user: CredentialsDto;
}

/*
 * Update and create DTOs share a base of fields that are optional in both. A field the create requires is
 * declared in the create DTO only — not inherited from the update DTO with its @IsOptional, which
 * class-validator keeps on a subclass: a create without `name`, `password` or `roles` then passed
 * validation and failed in the service or the database with a 500.
 */
class OrganisationKindFieldsDto extends OrganisationFieldsDto {
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

export class UpdateOrganisationDto extends OrganisationKindFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(2, 100)
  name?: string;
}

export class CreateOrganisationDto extends OrganisationKindFieldsDto {
  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS)
  kind: OrganisationKind;

  @ApiProperty()
  @IsString()
  @Length(2, 100)
  name: string;
}

/** Fields of a user optional on create and update alike. */
class UserFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  organisationId?: number;

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

export class UpdateUserDto extends UserFieldsDto {
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

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];
}

export class CreateUserDto extends UserFieldsDto {
  @ApiProperty({ example: 'lisi' })
  @Matches(USERNAME_PATTERN, { message: '用户名应为 3–64 位字母、数字或 _.@-' })
  username: string;

  @ApiProperty()
  @IsString()
  @Length(1, 50)
  displayName: string;

  @ApiProperty()
  @IsString()
  @Length(1, 128)
  password: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles: Role[];
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
