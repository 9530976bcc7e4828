import { Injectable } from '@nestjs/common';
import type { LoginResponse } from '@portal/contracts';
import { DomainException } from '@portal/core';
import { DataSource, QueryFailedError } from 'typeorm';
import type { RegisterEnterpriseDto } from '../dto/identity.dto.js';
import { OrganisationEntity } from '../entities/organisation.entity.js';
import { UserEntity } from '../entities/user.entity.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { UsersService } from '../users/users.service.js';
import { AuthService } from './auth.service.js';
import { hashPassword } from './password.js';

/** An enterprise registers itself: its organisation and its first user (企业申报人), in one transaction. */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly ds: DataSource,
    private readonly organisations: OrganisationsService,
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  async registerEnterprise(dto: RegisterEnterpriseDto): Promise<LoginResponse> {
    await this.users.assertPasswordPolicy(dto.user.password);
    const passwordHash = await hashPassword(dto.user.password);
    try {
      const user = await this.ds.transaction(async (em) => {
        await this.organisations.assertCreditCodeFree(dto.organisation.creditCode, null, em, 'organisation.creditCode');
        if (await this.users.usernameTaken(dto.user.username, em)) {
          throw new DomainException('DUPLICATE', '用户名已被使用', [{ field: 'user.username', messages: ['用户名已被使用'] }]);
        }
        const org = await em.getRepository(OrganisationEntity).save(em.getRepository(OrganisationEntity).create({ kind: 'enterprise', ...dto.organisation }));
        return em.getRepository(UserEntity).save(
          em.getRepository(UserEntity).create({
            username: dto.user.username,
            displayName: dto.user.displayName,
            email: dto.user.email ?? null,
            phone: dto.user.phone ?? null,
            passwordHash,
            organisationId: org.id,
            roles: ['enterprise_applicant'],
          }),
        );
      });
      return this.auth.issueToken({ id: user.id, tokenVersion: 0 });
    } catch (e) {
      // two registrations racing past the checks: the unique indexes decide, with the same clear answers
      const constraint = (e as QueryFailedError & { driverError?: { constraint?: string } }).driverError?.constraint;
      if (e instanceof QueryFailedError && constraint === 'organisations_credit_code_key') {
        throw new DomainException('DUPLICATE', '该统一社会信用代码已注册', [{ field: 'organisation.creditCode', messages: ['该统一社会信用代码已注册'] }]);
      }
      if (e instanceof QueryFailedError && constraint === 'users_username_lower') {
        throw new DomainException('DUPLICATE', '用户名已被使用', [{ field: 'user.username', messages: ['用户名已被使用'] }]);
      }
      if (e instanceof QueryFailedError && constraint === 'organisations_kind_name') {
        throw new DomainException('DUPLICATE', '同名企业已注册', [{ field: 'organisation.name', messages: ['同名企业已注册'] }]);
      }
      throw e;
    }
  }
}
