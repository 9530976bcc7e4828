import type { LoginResponse } from '@portal/contracts';
import type { AuthProvider, UserIdentity } from 'react-admin';
import { can, toRoles } from './access';
import {
  ApiError,
  apiFetch,
  clearSession,
  fetchMe,
  forgetInvitation,
  getToken,
  hadSession,
  invitationPath,
  saveSession,
  takePendingInvitation,
} from './session';

/** What the registration page passes to `login()` (the body of POST /api/auth/register-enterprise). */
export interface RegistrationParams {
  registration: { organisation: Record<string, unknown>; user: Record<string, unknown> };
}

function isRegistration(params: unknown): params is RegistrationParams {
  return !!params && typeof params === 'object' && 'registration' in params;
}

export const authProvider: AuthProvider = {
  async login(params: { username?: string; password?: string } | RegistrationParams) {
    clearSession();
    const res = isRegistration(params)
      ? await apiFetch<LoginResponse>('/auth/register-enterprise', { method: 'POST', json: params.registration, auth: false })
      : await apiFetch<LoginResponse>('/auth/login', {
          method: 'POST',
          json: { username: (params.username ?? '').trim(), password: params.password ?? '' },
          auth: false,
        });
    saveSession(res);
    // a visitor who came from an invitation mail goes back to accept it (InvitationAcceptPage remembered it)
    const invitation = takePendingInvitation();
    return { redirectTo: invitation ? invitationPath(invitation) : '/' };
  },

  logout() {
    clearSession();
    forgetInvitation();
    return Promise.resolve();
  },

  checkAuth() {
    if (getToken()) return Promise.resolve();
    // say "please log in again" only to someone whose session ended, not to a first-time visitor
    const expired = hadSession();
    clearSession();
    // react-admin reads `redirectTo` and `message` (false: no notice) from the plain object it is rejected with
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return Promise.reject({ redirectTo: '/login', message: expired ? 'ra.auth.auth_check_error' : false });
  },

  checkError(error: { status?: number } | undefined) {
    const status = error?.status;
    if (status === 401) {
      clearSession();
      // react-admin reads `redirectTo` and `message` from the plain object it is rejected with
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject({ redirectTo: '/login', message: 'app.auth.session_expired' });
    }
    // 403: the user is logged in but may not do this; stay and show the server's message
    return Promise.resolve();
  },

  async getIdentity(): Promise<UserIdentity> {
    const me = await fetchMe();
    return { ...me, id: me.id, fullName: me.displayName };
  },

  async getPermissions() {
    if (!getToken()) return [];
    try {
      return toRoles((await fetchMe()).roles);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) throw e;
      return [];
    }
  },

  async canAccess({ resource, action }) {
    if (!getToken()) return false;
    try {
      const me = await fetchMe();
      return can(toRoles(me.roles), resource, action);
    } catch {
      return false;
    }
  },
};
