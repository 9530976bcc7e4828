import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { LoginResponse } from '@portal/contracts';
import { DomainException, SettingsService } from '@portal/core';
import { Repository } from 'typeorm';
import { LoginEventEntity } from '../entities/login-event.entity.js';
import { UserEntity } from '../entities/user.entity.js';
import type { Actor } from './actor.js';
import { dummyHash, verifyPassword } from './password.js';

export interface TokenPayload {
  sub: number;
  /** token version: bumped on password change or deactivation, which invalidates older tokens */
  tv: number;
}

export interface LoginContext {
  ip?: string;
  userAgent?: string;
}

const INVALID = () => new DomainException('INVALID_CREDENTIALS', '用户名或密码错误');

function formatLockedUntil(d: Date): string {
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(LoginEventEntity) private readonly events: Repository<LoginEventEntity>,
    private readonly jwt: JwtService,
    private readonly settings: SettingsService,
  ) {}

  /**
   * Check a password; after `auth.maxFailedLogins` failures in a row the account is locked for
   * `auth.lockMinutes`. Every attempt is written to login_events.
   */
  async login(username: string, password: string, ctx: LoginContext = {}): Promise<LoginResponse> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
    const audit = (success: boolean, reason: string | null) =>
      this.events.insert({ username: username.slice(0, 64), userId: user?.id ?? null, success, reason, ip: ctx.ip ?? null, userAgent: ctx.userAgent?.slice(0, 256) ?? null });

    if (!user) {
      await verifyPassword(await dummyHash(), password);
      await audit(false, 'unknown_user');
      throw INVALID();
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      await audit(false, 'locked');
      throw new DomainException('ACCOUNT_LOCKED', `账号因多次登录失败已锁定，请于 ${formatLockedUntil(user.lockedUntil)} 后再试`, { lockedUntil: user.lockedUntil.toISOString() });
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      const { 'auth.maxFailedLogins': max, 'auth.lockMinutes': minutes } = await this.settings.all();
      // one atomic statement: concurrent failures all count, and exactly the max-th one locks
      const [row] = (await this.users.query(
        `UPDATE users SET
           failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
           locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
         WHERE id = $1 RETURNING locked_until`,
        [user.id, max, minutes],
      )) as [Array<{ locked_until: Date | null }>, number];
      const lockedUntil = row[0]?.locked_until;
      if (lockedUntil && lockedUntil > new Date()) {
        await audit(false, 'bad_password_locked');
        throw new DomainException('ACCOUNT_LOCKED', `连续 ${max} 次登录失败，账号已锁定，请于 ${formatLockedUntil(lockedUntil)} 后再试`, { lockedUntil: lockedUntil.toISOString() });
      }
      await audit(false, 'bad_password');
      throw INVALID();
    }
    if (!user.active) {
      await audit(false, 'inactive');
      throw new DomainException('INVALID_CREDENTIALS', '账号已停用，请联系管理员');
    }
    await this.users.update(user.id, { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() });
    await audit(true, null);
    return this.issueToken(user);
  }

  async issueToken(user: Pick<UserEntity, 'id' | 'tokenVersion'>): Promise<LoginResponse> {
    const minutes = await this.settings.get('auth.tokenTtlMinutes');
    const payload: TokenPayload = { sub: user.id, tv: user.tokenVersion };
    const token = await this.jwt.signAsync(payload, { expiresIn: minutes * 60 });
    return { token, expiresAt: new Date(Date.now() + minutes * 60_000).toISOString() };
  }

  /** The actor behind a bearer token, loaded fresh (a deactivated user or an old token version fails). */
  async actorForToken(token: string): Promise<Actor> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token);
    } catch {
      throw new DomainException('UNAUTHENTICATED', '登录已过期或无效，请重新登录');
    }
    const user = await this.users.findOne({ where: { id: payload.sub }, relations: { organisation: true } });
    if (!user || !user.active || user.tokenVersion !== payload.tv || !user.organisation) {
      throw new DomainException('UNAUTHENTICATED', '登录已过期或无效，请重新登录');
    }
    return actorOf(user);
  }

  /** The actor for a user id (an active user), e.g. the principal a delegate acts for. */
  async actorById(id: number): Promise<Actor | undefined> {
    const user = await this.users.findOne({ where: { id }, relations: { organisation: true } });
    return user && user.active && user.organisation ? actorOf(user) : undefined;
  }
}

function actorOf(user: UserEntity & { organisation?: { kind: Actor['organisationKind']; name: string; countyCode: string | null } }): Actor {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    organisationId: user.organisationId,
    organisationKind: user.organisation!.kind,
    organisationName: user.organisation!.name,
    organisationCountyCode: user.organisation!.countyCode,
    jurisdiction: user.jurisdiction,
  };
}
