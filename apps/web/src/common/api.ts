import { useMemo } from 'react';
import { HttpError, useDataProvider } from 'react-admin';
import type { CallOptions, PortalDataProvider } from '../providers/dataProvider';

/** The typed face of the dataProvider's `call` and `download` (through react-admin, so a 401 logs out). */
export interface PortalApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
  download(path: string, fallbackName?: string, onProgress?: (bytes: number) => void): Promise<void>;
}

export function usePortalApi(): PortalApi {
  const dp = useDataProvider<PortalDataProvider>();
  return useMemo(() => {
    const call = <T>(path: string, options: CallOptions = {}) => dp.call<T>(path, options);
    return {
      get: <T>(path: string) => call<T>(path),
      post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>(path, { method: 'POST', body: body ?? {}, headers }),
      put: <T>(path: string, body?: unknown) => call<T>(path, { method: 'PUT', body }),
      del: <T>(path: string) => call<T>(path, { method: 'DELETE' }),
      download: (path: string, fallbackName?: string, onProgress?: (bytes: number) => void) => dp.download(path, fallbackName, onProgress),
    };
  }, [dp]);
}

/**
 * A fresh `Idempotency-Key` for one user intent (one form submission): a retry or a double click sends the
 * same key and the server answers the first result instead of creating twice. `crypto.randomUUID` exists
 * only in secure contexts (not on plain http to an intranet host), hence the fallback.
 */
export function newIdempotencyKey(): string {
  const uuid = globalThis.crypto?.randomUUID?.();
  return uuid ?? `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** The HTTP status of a failed call (0 when the server was not reached). */
export const errorStatus = (e: unknown): number | undefined => (e instanceof HttpError ? (e.status as number) : (e as { status?: number } | null)?.status);

/** The server's Chinese message for a failed call. */
export const errorMessage = (e: unknown, fallback = '操作失败'): string =>
  e instanceof Error && e.message ? e.message : typeof e === 'string' && e ? e : fallback;

/** A JSON value as a query-string parameter of the REST dialect. */
export const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

/** A path of the REST dialect's list: `/tasks?sort=…&range=…&filter=…`. */
export function listPath(resource: string, opts: { filter?: Record<string, unknown>; sort?: [string, 'ASC' | 'DESC']; range?: [number, number] } = {}): string {
  const parts: string[] = [];
  if (opts.sort) parts.push(`sort=${q(opts.sort)}`);
  if (opts.range) parts.push(`range=${q(opts.range)}`);
  if (opts.filter && Object.keys(opts.filter).length) parts.push(`filter=${q(opts.filter)}`);
  return `/${resource}${parts.length ? `?${parts.join('&')}` : ''}`;
}
