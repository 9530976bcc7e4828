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

  /** @Public() and @Roles() of each handler, read once: metadata never changes after start, and a public route's request need not look it up */
  private readonly metadata = new WeakMap<object, WeakMap<object, { public: boolean; roles: Role[] | undefined }>>();

  private metadataOf(ctx: ExecutionContext): { public: boolean; roles: Role[] | undefined } {
    // by class, then handler: an inherited handler may serve controllers with different class-level metadata
    const [handler, cls] = [ctx.getHandler(), ctx.getClass()];
    let byHandler = this.metadata.get(cls);
    if (!byHandler) this.metadata.set(cls, (byHandler = new WeakMap()));
    let m = byHandler.get(handler);
    if (!m) {
      const targets = [handler, cls];
      m = {
        public: Boolean(this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)),
        roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
      };
      byHandler.set(handler, m);
    }
    return m;
  }

  /** A public route answers at once (a boolean, no promise for Nest to await); any other awaits the actor. */
  canActivate(ctx: ExecutionContext): boolean | Promise<boolean> {
    const meta = this.metadataOf(ctx);
    if (meta.public) return true;
    return this.authenticate(ctx, meta.roles);
  }

  private async authenticate(ctx: ExecutionContext, roles: Role[] | undefined): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: Actor }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new DomainException('UNAUTHENTICATED', '请先登录');
    const actor = await this.auth.actorForToken(match[1]);
    req.actor = actor;
    if (roles?.length && !roles.some((r) => actor.roles.includes(r))) {
      throw DomainException.forbidden(`此操作需要以下角色之一：${roles.map((r) => ROLE_LABELS[r].zh).join('、')}`);
    }
    return true;
  }
}
