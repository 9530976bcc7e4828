import { INVITATION_TOKEN, type LoginResponse, type MeDto } from '@portal/contracts';

/** Where the bearer token lives between page loads. */
const TOKEN_KEY = 'portal.token';
const EXPIRES_KEY = 'portal.expiresAt';

export const API_BASE = '/api';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** The stored token, or null when there is none or it has expired. */
export function getToken(): string | null {
  const s = storage();
  const token = s?.getItem(TOKEN_KEY) ?? null;
  if (!token) return null;
  const expiresAt = s?.getItem(EXPIRES_KEY);
  if (expiresAt) {
    const t = Date.parse(expiresAt);
    if (Number.isFinite(t) && t <= Date.now()) {
      clearSession();
      return null;
    }
  }
  return token;
}

/** True when a token was stored, whether or not it is still valid (to tell "expired" from "never logged in"). */
export function hadSession(): boolean {
  return !!storage()?.getItem(TOKEN_KEY);
}

export function saveSession(res: LoginResponse): void {
  const s = storage();
  s?.setItem(TOKEN_KEY, res.token);
  if (res.expiresAt) s?.setItem(EXPIRES_KEY, res.expiresAt);
  else s?.removeItem(EXPIRES_KEY);
  meCache = undefined;
}

export function clearSession(): void {
  const s = storage();
  s?.removeItem(TOKEN_KEY);
  s?.removeItem(EXPIRES_KEY);
  meCache = undefined;
}

const INVITATION_KEY = 'portal.invitation';

function tabStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** The page that shows an invitation and accepts it (the link of the invitation mail, inside the hash). */
export const invitationPath = (token: string): string => `/invitations/accept?invitation=${encodeURIComponent(token)}`;

/**
 * Remember, for this tab, the invitation a visitor is on the way to accept: the next login or registration
 * (authProvider.login) brings them back to it.
 */
export function rememberInvitation(token: string): void {
  if (INVITATION_TOKEN.test(token)) tabStorage()?.setItem(INVITATION_KEY, token);
}

/** Forget the remembered invitation (accepted, or the user logged out). */
export function forgetInvitation(): void {
  tabStorage()?.removeItem(INVITATION_KEY);
}

/** The remembered invitation's token, forgotten as it is taken (once, by the login that follows it). */
export function takePendingInvitation(): string | null {
  const token = tabStorage()?.getItem(INVITATION_KEY) ?? null;
  forgetInvitation();
  return token && INVITATION_TOKEN.test(token) ? token : null;
}

/** An error of the API, carrying the HTTP status and the parsed error body `{statusCode, code, message, details}`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function messageOf(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = body.message;
    if (typeof m === 'string' && m) return m;
    if (Array.isArray(m) && m.length) return m.join('；');
  }
  return fallback;
}

/** A fallback Chinese message for a status when the server sent no body (proxy down, gateway error…). */
export function statusMessage(status: number): string {
  if (status === 0) return '无法连接服务器，请检查网络后重试';
  if (status === 401) return '请先登录';
  if (status === 403) return '无权执行此操作';
  if (status === 404) return '请求的资源不存在';
  if (status === 409) return '数据冲突，请刷新后重试';
  if (status === 429) return '请求过于频繁，请稍后再试';
  if (status >= 500) return '服务暂不可用，请稍后再试';
  return '请求失败';
}

/** A small JSON fetch for the calls outside the dataProvider (login, register, me, my organisation). */
export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown; auth?: boolean } = {}): Promise<T> {
  const { json, auth = true, headers: extra, ...rest } = init;
  const headers = new Headers(extra);
  headers.set('Accept', 'application/json');
  if (json !== undefined) headers.set('Content-Type', 'application/json');
  const token = auth ? getToken() : null;
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  } catch {
    throw new ApiError(statusMessage(0), 0, null);
  }
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!res.ok) throw new ApiError(messageOf(body, statusMessage(res.status)), res.status, body);
  return body as T;
}

let meCache: { token: string; promise: Promise<MeDto> } | undefined;

/** GET /api/me, once per token (cleared on login, logout and registration). */
export function fetchMe(): Promise<MeDto> {
  const token = getToken();
  if (!token) return Promise.reject(new ApiError('请先登录', 401, null));
  if (meCache?.token === token) return meCache.promise;
  const promise = apiFetch<MeDto>('/me');
  meCache = { token, promise };
  promise.catch(() => {
    if (meCache?.promise === promise) meCache = undefined;
  });
  return promise;
}

/** Forget the cached /api/me answer (after the user edits their own organisation, for instance). */
export function invalidateMe(): void {
  meCache = undefined;
}
