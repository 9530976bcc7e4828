import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { LoginResponse, MeDto } from '@portal/contracts';
import { DomainException, preparedRows, SettingsService } from '@portal/core';
import { DataSource, Repository } from 'typeorm';
import { LoginEventEntity } from '../entities/login-event.entity.js';
import { toOwnUserDto, UserEntity } from '../entities/user.entity.js';
import type { Actor } from './actor.js';
import { LOGIN_DELAY_SQL, loginDelayPolicy } from './login-delay.rules.js';
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

/**
 * The one answer to every refused login: unknown user, wrong password and an attempt inside the delay alike
 * (no oracle for which usernames exist or are under attack). The hint covers the delay without telling.
 */
const INVALID = () => new DomainException('INVALID_CREDENTIALS', '用户名或密码错误（连续失败多次后须稍候再试）');

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(LoginEventEntity) private readonly events: Repository<LoginEventEntity>,
    private readonly jwt: JwtService,
    private readonly settings: SettingsService,
    private readonly ds: DataSource,
  ) {}

  /** The actor's own user record as the actor check read it (GET /api/me answers it without reading it again). */
  private readonly profiles = new WeakMap<Actor, Omit<MeDto, 'organisation'>>();

  /**
   * Check a password. After `auth.maxFailedLogins` failures in a row, each further attempt for the username
   * waits a delay that doubles per failure up to a cap (login-delay.rules.ts); an attempt inside the delay is
   * answered like a wrong password without checking it or counting it, so nobody can hold an account locked
   * and a right password after the delay works. Every attempt is written to login_events.
   */
  async login(username: string, password: string, ctx: LoginContext = {}): Promise<LoginResponse> {
    // whether the account is inside a login delay is read on the database's clock, the one that set the delay
    // (several API instances, or a test under faketime, need not agree with it to the second)
    const found = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .addSelect('coalesce(u.locked_until > now(), false)', 'delayed')
      .where('lower(u.username) = lower(:username)', { username })
      .getRawAndEntities<{ delayed: boolean }>();
    const user = found.entities[0];
    const delayed = found.raw[0]?.delayed === true;
    const audit = (success: boolean, reason: string | null) =>
      this.events.insert({
        username: username.slice(0, 64),
        userId: user?.id ?? null,
        success,
        reason,
        ip: ctx.ip ?? null,
        userAgent: ctx.userAgent?.slice(0, 256) ?? null,
      });

    if (!user || delayed) {
      // the same work as a real check, so that timing does not tell either
      await verifyPassword(await dummyHash(), password);
      await audit(false, user ? 'throttled' : 'unknown_user');
      throw INVALID();
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      const policy = loginDelayPolicy(await this.settings.all());
      // one atomic statement: concurrent failures all count, and one that arrives after another has started
      // the delay is not counted (it would have been refused had it come a moment later)
      const [rows] = await this.users.query<[Array<{ failed_logins: number }>, number]>(
        `UPDATE users SET
           failed_logins = failed_logins + 1,
           locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => ${LOGIN_DELAY_SQL('failed_logins + 1')}) ELSE NULL END
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
         RETURNING failed_logins`,
        [user.id, policy.threshold, policy.baseSeconds, policy.capSeconds],
      );
      await audit(false, rows.length ? 'bad_password' : 'throttled');
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
    const row = await this.actorRow(payload.sub);
    if (!row || row.token_version !== payload.tv) throw new DomainException('UNAUTHENTICATED', '登录已过期或无效，请重新登录');
    const actor = actorOf(row);
    this.profiles.set(actor, profileOf(row));
    return actor;
  }

  /** The user record read with the actor by actorForToken (undefined for an actor loaded otherwise). */
  profileOf(actor: Actor): Omit<MeDto, 'organisation'> | undefined {
    return this.profiles.get(actor);
  }

  /** The actor for a user id (an active user), e.g. the principal a delegate acts for. */
  async actorById(id: number): Promise<Actor | undefined> {
    const row = await this.actorRow(id);
    return row ? actorOf(row) : undefined;
  }

  /**
   * An active user with their organisation, in one prepared statement: every authenticated request runs it, so
   * that a deactivated user or a revoked token (token version) is refused at once, on every API instance, with no
   * cache to wait out.
   */
  private async actorRow(id: number): Promise<ActorRow | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const [row] = await preparedRows<ActorRow>(this.ds, 'portal_actor', ACTOR_SQL, [id]);
    return row;
  }
}

const ACTOR_SQL = `SELECT u.id, u.username, u.display_name, u.roles, u.organisation_id, u.jurisdiction, u.token_version,
        u.email, u.phone, u.locked_until, u.created_at,
        o.kind AS organisation_kind, o.name AS organisation_name, o.county_code AS organisation_county_code
   FROM users u JOIN organisations o ON o.id = u.organisation_id
  WHERE u.id = $1 AND u.active`;

interface ActorRow {
  id: number;
  username: string;
  display_name: string;
  roles: Actor['roles'];
  organisation_id: number;
  jurisdiction: string | null;
  token_version: number;
  organisation_kind: Actor['organisationKind'];
  organisation_name: string;
  organisation_county_code: string | null;
  email: string | null;
  phone: string | null;
  locked_until: Date | null;
  created_at: Date;
}

function actorOf(r: ActorRow): Actor {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles,
    organisationId: r.organisation_id,
    organisationKind: r.organisation_kind,
    organisationName: r.organisation_name,
    organisationCountyCode: r.organisation_county_code,
    jurisdiction: r.jurisdiction,
  };
}

function profileOf(r: ActorRow): Omit<MeDto, 'organisation'> {
  return toOwnUserDto({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    organisationId: r.organisation_id,
    roles: r.roles,
    jurisdiction: r.jurisdiction,
    email: r.email,
    phone: r.phone,
    active: true,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
  });
}
