import type { MeDto, Role } from '@portal/contracts';
import { useGetIdentity } from 'react-admin';
import { toRoles } from '../providers/access';

/** The logged-in user (GET /api/me) with typed roles. */
export function useMe(): { me: MeDto | undefined; roles: Role[]; isPending: boolean } {
  const { identity, isPending } = useGetIdentity();
  const me = identity as unknown as MeDto | undefined;
  return { me, roles: toRoles(me?.roles), isPending };
}
