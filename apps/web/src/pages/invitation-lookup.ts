import { useQuery } from '@tanstack/react-query';
import { INVITATION_TOKEN, type InvitationDto } from '@portal/contracts';
import { useLocation } from 'react-admin';
import { apiFetch } from '../providers/session';

/** The `invitation` parameter of the page's address (the invitation mail's link), or null when there is none. */
export function useInvitationToken(): string | null {
  const { search } = useLocation();
  const token = new URLSearchParams(search).get('invitation');
  return token ? token.trim() : null;
}

/** Whether a token has the shape of one the server mails (anything else cannot be one, and is not sent). */
export const wellFormedInvitation = (token: string | null): token is string => !!token && INVITATION_TOKEN.test(token);

/**
 * What an invitation token invites to (POST /api/invitations/lookup, public: the token is the proof). The token
 * travels in the body, as the server asks, never in a URL it would log.
 */
export function useInvitationLookup(token: string | null) {
  return useQuery({
    queryKey: ['invitation', token],
    queryFn: () => apiFetch<InvitationDto>('/invitations/lookup', { method: 'POST', json: { token }, auth: false }),
    enabled: wellFormedInvitation(token),
    retry: false,
    staleTime: 0,
  });
}
