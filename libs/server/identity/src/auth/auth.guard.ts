import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROLE_LABELS, type Role } from '@portal/contracts';
import { DomainException } from '@portal/core';
import type { Actor } from './actor.js';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';
import { AuthService } from './auth.service.js';

/**
 * Global guard: every endpoint needs a valid bearer token unless marked @Public(); @Roles() narrows it
 * to some roles. The actor is loaded from the database on each request, so role changes and
 * deactivation take effect at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: Actor }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new DomainException('UNAUTHENTICATED', '请先登录');
    const actor = await this.auth.actorForToken(match[1]);
    req.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !roles.some((r) => actor.roles.includes(r))) {
      throw DomainException.forbidden(`此操作需要以下角色之一：${roles.map((r) => ROLE_LABELS[r].zh).join('、')}`);
    }
    return true;
  }
}
