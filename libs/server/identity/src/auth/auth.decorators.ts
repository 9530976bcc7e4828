import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@portal/contracts';
import type { Actor } from './actor.js';

export const PUBLIC_KEY = 'portal:public';
export const ROLES_KEY = 'portal:roles';

/** The endpoint needs no login. Everything else does (the guard is global). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The endpoint needs one of these roles; object-level checks still happen in the service. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated actor of this request. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!req.actor) throw new Error('CurrentActor used on a public endpoint');
  return req.actor;
});
