import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainException, listPage, SettingsService, textSearch, type ListSpec, type RawListQuery } from '@portal/core';
import { Brackets, Repository, type EntityManager } from 'typeorm';
import { canReadUser, forbiddenUserFields, roleAssignmentProblems, userScope } from '../auth/access.rules.js';
import { isAdmin, type Actor } from '../auth/actor.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import type { ChangePasswordDto, CreateUserDto, UpdateProfileDto, UpdateUserDto } from '../dto/identity.dto.js';
import { OrganisationEntity } from '../entities/organisation.entity.js';
import { UserEntity } from '../entities/user.entity.js';
import { definedEntries } from '../organisations/changes.js';

const LIST: ListSpec<UserEntity> = {
  sortable: {
    id: 'u.id',
    username: 'u.username',
    displayName: 'u.display_name',
    organisationId: 'u.organisation_id',
    createdAt: 'u.created_at',
    active: 'u.active',
  },
  filters: {
    id: 'u.id',
    organisationId: 'u.organisation_id',
    active: 'u.active',
    jurisdiction: 'u.jurisdiction',
    role: (qb, value, param) => {
      const roles = Array.isArray(value) ? value.map(String) : [String(value)];
      qb.andWhere(`u.roles && :${param}::text[]`, { [param]: roles });
    },
    q: textSearch('u.username', 'u.display_name', 'u.email'),
  },
  defaultSort: { field: 'id', order: 'ASC' },
};

const USERNAME_TAKEN = () => new DomainException('DUPLICATE', '用户名已被使用', [{ field: 'username', messages: ['用户名已被使用'] }]);

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>,
    private readonly settings: SettingsService,
  ) {}

  async list(actor: Actor, raw: RawListQuery, reply: { header(n: string, v: string): unknown }): Promise<UserEntity[]> {
    const qb = this.repo.createQueryBuilder('u');
    const scope = userScope(actor);
    if (!scope.all) {
      qb.andWhere(
        new Brackets((b) => {
          b.where('u.id = :scopeUser', { scopeUser: scope.userId });
          if (scope.organisationId !== undefined) b.orWhere('u.organisation_id = :scopeOrg', { scopeOrg: scope.organisationId });
        }),
      );
    }
    return listPage(qb, raw, LIST, reply, 'users');
  }

  async get(actor: Actor, id: number): Promise<UserEntity> {
    const user = await this.repo.findOneBy({ id });
    if (!user || !canReadUser(actor, user)) throw DomainException.notFound('用户');
    return user;
  }

  async assertPasswordPolicy(password: string): Promise<void> {
    const min = await this.settings.get('auth.minPasswordLength');
    if (password.length < min || !/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) {
      const msg = `密码至少 ${min} 位，且须同时包含字母和数字`;
      throw DomainException.validation(msg, [{ field: 'password', messages: [msg] }]);
    }
  }

  async create(actor: Actor, dto: CreateUserDto, em: EntityManager = this.repo.manager): Promise<UserEntity> {
    const write = Object.fromEntries(definedEntries(dto)) as Partial<CreateUserDto>;
    const organisationId = dto.organisationId ?? actor.organisationId;
    const forbidden = forbiddenUserFields(actor, null, { ...write, organisationId });
    if (forbidden.length) throw DomainException.forbidden(`无权设置用户的以下字段：${forbidden.join('、')}`);
    const org = await em.getRepository(OrganisationEntity).findOneBy({ id: organisationId });
    if (!org) throw DomainException.validation('所属单位不存在', [{ field: 'organisationId', messages: ['所属单位不存在'] }]);
    const jurisdiction = dto.jurisdiction ?? null;
    const problems = roleAssignmentProblems(org.kind, dto.roles, jurisdiction);
    if (problems.length) throw DomainException.validation(problems.map((p) => p.messages[0]).join('；'), problems);
    await this.assertPasswordPolicy(dto.password);
    const users = em.getRepository(UserEntity);
    if (await users.createQueryBuilder('u').where('lower(u.username) = lower(:n)', { n: dto.username }).getExists()) throw USERNAME_TAKEN();
    const saved = await users.save(
      users.create({
        username: dto.username,
        displayName: dto.displayName,
        passwordHash: await hashPassword(dto.password),
        organisationId,
        roles: [...new Set(dto.roles)],
        jurisdiction,
        email: dto.email ?? null,
        phone: dto.phone ?? null,
        active: dto.active ?? true,
      }),
    );
    return users.findOneByOrFail({ id: saved.id });
  }

  async update(actor: Actor, id: number, dto: UpdateUserDto): Promise<UserEntity> {
    const user = await this.get(actor, id);
    const current = user as unknown as Record<string, unknown>;
    const same = (k: string, v: unknown) => (Array.isArray(v) ? JSON.stringify(v) === JSON.stringify(current[k]) : current[k] === v);
    const changes = Object.fromEntries(definedEntries(dto).filter(([k, v]) => k === 'password' || !same(k, v))) as Partial<UpdateUserDto>;
    const forbidden = forbiddenUserFields(actor, user, changes);
    if (forbidden.length) throw DomainException.forbidden(`无权修改用户的以下字段：${forbidden.join('、')}`);
    if (!Object.keys(changes).length) return user;
    if (changes.active === false && user.id === actor.id) throw DomainException.conflict('不能停用自己的账号');
    if (changes.roles && user.id === actor.id && isAdmin(actor) && !changes.roles.includes('admin')) {
      throw DomainException.conflict('不能移除自己的管理员角色');
    }
    const organisationId = changes.organisationId ?? user.organisationId;
    if (changes.organisationId !== undefined || changes.roles !== undefined || 'jurisdiction' in changes) {
      const org = await this.repo.manager.getRepository(OrganisationEntity).findOneBy({ id: organisationId });
      if (!org) throw DomainException.validation('所属单位不存在', [{ field: 'organisationId', messages: ['所属单位不存在'] }]);
      const problems = roleAssignmentProblems(
        org.kind,
        changes.roles ?? user.roles,
        changes.jurisdiction !== undefined ? changes.jurisdiction : user.jurisdiction,
      );
      if (problems.length) throw DomainException.validation(problems.map((p) => p.messages[0]).join('；'), problems);
    }
    const { password, ...rest } = changes;
    const patch: Partial<UserEntity> = { ...rest };
    if (rest.roles) patch.roles = [...new Set(rest.roles)];
    if (password !== undefined) {
      await this.assertPasswordPolicy(password);
      patch.passwordHash = await hashPassword(password);
    }
    // a new password, a deactivation or a change of roles ends the user's existing sessions
    const endSessions = password !== undefined || rest.active === false || rest.roles !== undefined || rest.organisationId !== undefined;
    await this.repo.update(id, {
      ...patch,
      ...(endSessions ? { tokenVersion: user.tokenVersion + 1 } : {}),
      ...(rest.active === true ? { lockedUntil: null, failedLogins: 0 } : {}),
    });
    return this.repo.findOneByOrFail({ id });
  }

  async updateProfile(actor: Actor, dto: UpdateProfileDto): Promise<UserEntity> {
    const changes = Object.fromEntries(definedEntries(dto));
    if (Object.keys(changes).length) await this.repo.update(actor.id, changes);
    return this.repo.findOneByOrFail({ id: actor.id });
  }

  async changePassword(actor: Actor, dto: ChangePasswordDto): Promise<void> {
    const user = await this.repo.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: actor.id }).getOneOrFail();
    if (!(await verifyPassword(user.passwordHash, dto.currentPassword))) {
      throw DomainException.validation('当前密码不正确', [{ field: 'currentPassword', messages: ['当前密码不正确'] }]);
    }
    await this.assertPasswordPolicy(dto.newPassword);
    await this.repo.update(actor.id, { passwordHash: await hashPassword(dto.newPassword), tokenVersion: user.tokenVersion + 1 });
  }

  /** Used by enterprise self-registration, inside its transaction. */
  async usernameTaken(username: string, em: EntityManager): Promise<boolean> {
    return em.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.username) = lower(:n)', { n: username }).getExists();
  }
}
