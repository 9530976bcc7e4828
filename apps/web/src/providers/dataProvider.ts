import type { FieldProblem } from '@portal/contracts';
import simpleRestProvider from 'ra-data-simple-rest';
import { type DataProvider, fetchUtils, HttpError, type RaRecord } from 'react-admin';
import { API_BASE, clearSession, getToken, statusMessage } from './session';

/** A call to an endpoint outside the REST dialect (workflow actions, tasks, notifications, uploads…). */
export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** JSON-encoded, or sent as it is when it is a FormData (uploads) */
  body?: unknown;
  headers?: Record<string, string>;
}

function isFieldProblems(details: unknown): details is FieldProblem[] {
  return (
    Array.isArray(details) &&
    details.every((d) => d && typeof d === 'object' && typeof (d as FieldProblem).field === 'string' && Array.isArray((d as FieldProblem).messages))
  );
}

/**
 * The API's error body `{statusCode, code, message, details}` as react-admin wants it: the Chinese message
 * becomes the error's message (shown in the notification) and validation details become `body.errors`
 * (`{ field: "message，message" }`), which react-admin puts on the form's fields.
 */
export function toHttpError(status: number, json: unknown, statusText = ''): HttpError {
  const body = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const message = typeof body.message === 'string' && body.message ? body.message : statusMessage(status) || statusText;
  const details = body.details;
  let errors: Record<string, string> | undefined;
  if (isFieldProblems(details) && details.length) {
    errors = {};
    for (const p of details) {
      const text = p.messages.join('，');
      errors[p.field] = errors[p.field] ? `${errors[p.field]}，${text}` : text;
    }
  } else if (details && typeof details === 'object' && typeof (details as { field?: unknown }).field === 'string') {
    // a conflict naming one field (a duplicate credit code, a taken username)
    errors = { [(details as { field: string }).field]: message };
  }
  return new HttpError(message, status, { ...body, details, ...(errors ? { errors } : {}) });
}

/** fetchJson with the bearer token, mapping the API's error body. */
export async function httpClient(url: string, options: fetchUtils.Options = {}) {
  const headers = new Headers(options.headers ?? { Accept: 'application/json' });
  const token = getToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  try {
    return await fetchUtils.fetchJson(url, { ...options, headers });
  } catch (e) {
    if (e instanceof HttpError) {
      if (e.status === 401) clearSession();
      throw toHttpError(e.status as number, e.body, e.message);
    }
    if (e instanceof Error && e.name === 'AbortError') throw e;
    throw new HttpError(statusMessage(0), 0, null);
  }
}

/** The fields each resource accepts on create and update; anything else (id, timestamps…) is never sent. */
const WRITABLE: Record<string, readonly string[]> = {
  organisations: ['kind', 'name', 'creditCode', 'countyCode', 'industry', 'schoolType', 'authorityType', 'address', 'contactName', 'contactPhone'],
  users: ['username', 'displayName', 'password', 'organisationId', 'roles', 'jurisdiction', 'email', 'phone', 'active'],
  settings: ['value'],
  'calendar-days': ['day', 'kind', 'name'],
  certifications: ['enterpriseId', 'level', 'documentNo', 'certifiedAt'],
  'certification-records': ['level', 'documentNo', 'certifiedAt'],
  'practice-posts': ['title', 'major', 'openings', 'startDate', 'endDate', 'content', 'mentorName', 'mentorUserId'],
  'practice-records': ['hostOrgId', 'hostCreditCode', 'hostEmail', 'postId', 'startDate', 'endDate', 'hours', 'form', 'content', 'outcomes'],
  teachers: ['username', 'displayName', 'password', 'email', 'phone', 'major', 'employment', 'dualQualified', 'dualQualifiedOn'],
  targets: ['indicator', 'label', 'value', 'unit', 'deadline', 'seedTask', 'countyCode'],
};

/**
 * Write-only fields a record never carries whole (a user's phone: its answers hold it masked), so an update cannot
 * tell "emptied" from "left alone": a checkbox of the form (`clearPhone`) asks for them to be emptied.
 */
const CLEARED_BY: Record<string, Record<string, string>> = { users: { clearPhone: 'phone' } };

/** Fields sent on every update even when unchanged (the endpoint needs them). */
const ALWAYS_SENT = new Set(['settings.value']);

const clean = (v: unknown) => (typeof v === 'string' ? (v.trim() === '' ? null : v.trim()) : v);

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The body of a create: known fields only, empty values left out. */
export function createBody(resource: string, data: Record<string, unknown>): Record<string, unknown> {
  const fields = WRITABLE[resource];
  if (!fields) return data;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = clean(data[f]);
    if (v !== null && v !== undefined) out[f] = v;
  }
  return out;
}

/**
 * The body of an update: known fields that changed since the record was read (emptied ones as null).
 * A password is sent only when one was typed ("留空则不修改").
 */
export function updateBody(resource: string, data: Record<string, unknown>, previous: Record<string, unknown> | undefined): Record<string, unknown> {
  const fields = WRITABLE[resource];
  if (!fields) return data;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!(f in data)) continue;
    const v = clean(data[f]);
    if (f === 'password') {
      if (v) out[f] = v;
      continue;
    }
    if (previous && !ALWAYS_SENT.has(`${resource}.${f}`) && same(v, clean(previous[f]))) continue;
    out[f] = v;
  }
  for (const [box, f] of Object.entries(CLEARED_BY[resource] ?? {})) if (data[box] === true) out[f] = null;
  return out;
}

const base = simpleRestProvider(API_BASE, httpClient);

/** Any JSON endpoint under /api, with the bearer token and the same error mapping as the REST calls. */
async function call<T = unknown>(path: string, { method = 'GET', body, headers }: CallOptions = {}): Promise<T> {
  const h = new Headers({ Accept: 'application/json', ...headers });
  const payload = body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body);
  const res = await httpClient(`${API_BASE}${path}`, { method, body: payload, headers: h });
  return res.json as T;
}

/** Download a file the API serves (PDF, attachment) with the bearer token, saving it under the server's name. */
/** `onProgress`: the bytes received so far, as they arrive (long exports show it). */
async function download(path: string, fallbackName = 'download', onProgress?: (bytes: number) => void): Promise<void> {
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new HttpError(statusMessage(0), 0, null);
  }
  if (!res.ok) {
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (res.status === 401) clearSession();
    throw toHttpError(res.status, json, res.statusText);
  }
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star?.[1] ? decodeURIComponent(star[1]) : (plain?.[1] ?? fallbackName);
  const url = URL.createObjectURL(onProgress && res.body ? await readWithProgress(res, onProgress) : await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The response body read chunk by chunk, telling the bytes received so far. */
async function readWithProgress(res: Response, onProgress: (bytes: number) => void): Promise<Blob> {
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress(received);
  }
  return new Blob(chunks as BlobPart[], { type: res.headers.get('Content-Type') ?? 'application/octet-stream' });
}

/** The REST dialect plus the portal's own calls (workflow actions, uploads, downloads). */
export type PortalDataProvider = DataProvider & { call: typeof call; download: typeof download };

export const dataProvider: PortalDataProvider = {
  ...base,
  call,
  download,
  /**
   * The dialect's getList, keeping what the API says of the total: past its exact-count limit a list answers the
   * planner's estimate with `X-Total-Estimated: true`, which the list shows as such (`meta.totalEstimated`).
   */
  getList: async <RecordType extends RaRecord = RaRecord>(resource: string, params: Parameters<DataProvider['getList']>[1]) => {
    const { page, perPage } = params.pagination ?? { page: 1, perPage: 25 };
    const { field, order } = params.sort ?? { field: 'id', order: 'ASC' };
    const query = new URLSearchParams({
      sort: JSON.stringify([field, order]),
      range: JSON.stringify([(page - 1) * perPage, page * perPage - 1]),
      filter: JSON.stringify(params.filter ?? {}),
    });
    const res = await httpClient(`${API_BASE}/${resource}?${query}`, { signal: params.signal });
    const headers = res.headers;
    const json: unknown = res.json;
    const total = Number(headers.get('Content-Range')?.split('/').pop());
    if (!Number.isFinite(total)) throw new HttpError(statusMessage(0), 0, null);
    return { data: json as RecordType[], total, meta: headers.get('X-Total-Estimated') === 'true' ? { totalEstimated: true } : undefined };
  },
  /** `meta.idempotencyKey` (one per form) makes a double submit or a retry answer the first creation. */
  create: async <RecordType extends Omit<RaRecord, 'id'> = Omit<RaRecord, 'id'>, ResultRecordType extends RaRecord = RecordType & { id: RaRecord['id'] }>(
    resource: string,
    params: Parameters<DataProvider['create']>[1],
  ) => {
    const data = createBody(resource, params.data as Record<string, unknown>);
    const key = (params.meta as { idempotencyKey?: string } | undefined)?.idempotencyKey;
    if (!key) return base.create<RecordType, ResultRecordType>(resource, { ...params, data });
    const headers = new Headers({ Accept: 'application/json', 'Content-Type': 'application/json', 'Idempotency-Key': key });
    const res = await httpClient(`${API_BASE}/${resource}`, { method: 'POST', body: JSON.stringify(data), headers });
    return { data: res.json as ResultRecordType };
  },
  update: <RecordType extends RaRecord = RaRecord>(resource: string, params: Parameters<DataProvider['update']>[1]) =>
    base.update<RecordType>(resource, {
      ...params,
      data: updateBody(resource, params.data as Record<string, unknown>, params.previousData as Record<string, unknown> | undefined) as Partial<RecordType>,
    }),
};
