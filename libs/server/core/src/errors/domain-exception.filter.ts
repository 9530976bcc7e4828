import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { ErrorBody, ErrorCode } from '@portal/contracts';
import { QueryFailedError } from 'typeorm';
import { maskPersonalNumbers } from '../logging/redact.js';
import { DomainException } from './domain-exception.js';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'UNAVAILABLE',
};

const DEFAULT_MESSAGES: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: '请求格式不正确',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '无权执行此操作',
  NOT_FOUND: '请求的资源不存在',
  CONFLICT: '数据冲突，请刷新后重试',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
  TOO_MANY_REQUESTS: '请求过于频繁，请稍后再试',
  UNAVAILABLE: '服务暂不可用，请稍后再试',
  INTERNAL: '服务器内部错误，请稍后再试',
};

/** PostgreSQL errors a user's input can cause, and what they mean to the user. */
const PG_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  '23505': { code: 'DUPLICATE', message: '记录已存在，不能重复添加' },
  '23503': { code: 'CONFLICT', message: '关联的记录不存在或仍被引用' },
  '23514': { code: 'VALIDATION', message: '数据不符合约束条件' },
  '22021': { code: 'VALIDATION', message: '文本含有无法保存的字符' },
  '22P05': { code: 'VALIDATION', message: '文本含有无法保存的字符' },
  '22P02': { code: 'VALIDATION', message: '数据格式不正确' },
  '22001': { code: 'VALIDATION', message: '文本过长' },
  '22003': { code: 'VALIDATION', message: '数值超出范围' },
  '22007': { code: 'VALIDATION', message: '日期格式不正确' },
  '22008': { code: 'VALIDATION', message: '日期超出范围' },
  '40001': { code: 'CONFLICT', message: '并发冲突，请重试' },
  '40P01': { code: 'CONFLICT', message: '并发冲突，请重试' },
};

/**
 * The database went away under a request, not the request's fault: its backend terminated (an administrator's
 * pg_terminate_backend, a restart, a failover: SQLSTATE class 57P), the connection broken (class 08), or
 * node-postgres's own words for a connection that died or could not be had. The transaction was rolled back
 * with the connection, so the client may simply retry: a 503, not a 500.
 */
const PG_UNAVAILABLE_STATES = /^(57P0[1-4]|08\w{3}|53300)$/;
const PG_UNAVAILABLE_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|connect ECONNREFUSED|read ECONNRESET|write EPIPE|Connection terminated unexpectedly)/;

export function isDatabaseUnavailable(exception: unknown): boolean {
  for (let e = exception as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && PG_UNAVAILABLE_STATES.test(e.code)) return true;
    if (typeof e.message === 'string' && PG_UNAVAILABLE_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/** What node-postgres says about a failed statement; logged server-side, never sent to the client. */
interface PgDriverError {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

/**
 * Translate anything thrown into the error body of DESIGN.md; only true faults become a 500. A PostgreSQL
 * error becomes a Chinese message without constraint, table or column names (the filter logs those).
 */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof DomainException) {
    return { statusCode: exception.status, code: exception.code, message: exception.message, details: exception.details };
  }
  if (exception instanceof HttpException) {
    // Nest wraps Fastify's own errors (bad JSON, body too large, content type) keeping them as the cause
    const cause = exception.cause as { statusCode?: number } | undefined;
    if (typeof cause?.statusCode === 'number') return fastifyErrorBody(cause);
    const status = exception.getStatus();
    const code = STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    const res = exception.getResponse();
    const raw = typeof res === 'object' && res && 'message' in res ? res.message : undefined;
    const message =
      status === 404 && typeof raw === 'string' && raw.startsWith('Cannot ') ? DEFAULT_MESSAGES.NOT_FOUND! : (DEFAULT_MESSAGES[code] ?? '请求失败');
    return { statusCode: status, code, message, details: raw === undefined || raw === message ? undefined : raw };
  }
  if (exception instanceof QueryFailedError) {
    const pg = (exception as QueryFailedError & { driverError?: PgDriverError }).driverError;
    const mapped = pg?.code ? PG_ERRORS[pg.code] : undefined;
    if (mapped) return { statusCode: mapped.code === 'VALIDATION' ? 400 : 409, code: mapped.code, message: mapped.message };
  }
  if (isDatabaseUnavailable(exception)) return { statusCode: 503, code: 'UNAVAILABLE', message: '数据库连接中断，请稍后重试' };
  return fastifyErrorBody(exception);
}

/** Fastify's own errors (body parsing, size, content type) carry a statusCode below 500. */
function fastifyErrorBody(exception: unknown): ErrorBody {
  const fst = exception as { statusCode?: number; code?: string; message?: string } | undefined;
  if (typeof fst?.statusCode === 'number' && fst.statusCode >= 400 && fst.statusCode < 500) {
    const code = STATUS_CODES[fst.statusCode] ?? 'BAD_REQUEST';
    const json = fst.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fst.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || /JSON/i.test(fst.message ?? '');
    const message = json
      ? '请求体不是有效的 JSON'
      : code === 'UNSUPPORTED_MEDIA_TYPE'
        ? '不支持的内容类型，请以 application/json 提交'
        : (DEFAULT_MESSAGES[code] ?? '请求失败');
    return { statusCode: fst.statusCode, code, message, details: fst.code ? { reason: fst.code } : undefined };
  }
  return { statusCode: 500, code: 'INTERNAL', message: DEFAULT_MESSAGES.INTERNAL! };
}

/** The request as the filter sees it: Fastify's, with the actor the auth guard put on it (if it got that far). */
interface RequestLike {
  id?: string;
  method?: string;
  url?: string;
  routeOptions?: { url?: string };
  actor?: { id: number; username: string };
}

/**
 * The log entry of a refused request (any 4xx): who (the actor, if the guard got that far), which route,
 * and why (code, message, the names of bad fields). Never the body, the query string or a header, so no
 * password, token or identity number reaches the log.
 */
export function refusalLogEntry(body: ErrorBody, request: RequestLike | undefined): Record<string, unknown> {
  const path = (request?.url ?? '').split('?')[0];
  const fields = Array.isArray(body.details)
    ? (body.details as Array<{ field?: unknown }>).map((d) => d?.field).filter((f): f is string => typeof f === 'string')
    : undefined;
  return {
    event: 'request.refused',
    requestId: request?.id,
    method: request?.method,
    route: request?.routeOptions?.url ?? maskPersonalNumbers(path),
    path: maskPersonalNumbers(path),
    status: body.statusCode,
    code: body.code,
    reason: maskPersonalNumbers(body.message),
    ...(fields?.length ? { fields: fields.map(maskPersonalNumbers) } : {}),
    user: request?.actor ? { id: request.actor.id, username: request.actor.username } : null,
  };
}

/**
 * What Fastify's router refuses before any route runs (its `frameworkErrors`), as the portal's own refusals: a path
 * that is not valid percent-encoding, or a path parameter longer than the router takes (Fastify would answer 414 with
 * an English body). Anything else passes through unchanged.
 */
export function frameworkError(error: unknown): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'FST_ERR_BAD_URL') return new DomainException('BAD_REQUEST', '请求地址不正确：含有无效的百分号编码', { reason: code });
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return new DomainException('BAD_REQUEST', '请求地址中的参数过长', { reason: code });
  return error;
}

@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    this.answer(exception, ctx.getRequest<RequestLike>(), ctx.getResponse<ReplyLike>());
  }

  /**
   * Answer and log anything thrown: from `catch`, and for the errors Fastify's router raises before any route (and
   * so before Nest) runs — a malformed percent-encoding or an over-long path parameter (see `frameworkError`).
   */
  answer(exception: unknown, request: RequestLike | undefined, reply: ReplyLike): void {
    const body = toErrorBody(exception);
    body.requestId = request?.id;
    if (body.statusCode === 503 && isDatabaseUnavailable(exception)) {
      // an outage, not a bug: one warning per request, and the client is told when to try again
      this.logger.warn(
        { event: 'database.unavailable', requestId: request?.id, url: request?.url, reason: (exception as Error)?.message },
        'database unavailable',
      );
      reply.header('Retry-After', '1');
    } else if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: request?.id, url: request?.url }, 'unhandled error');
    } else {
      if (exception instanceof QueryFailedError) {
        // what the client is not told: which constraint, table and column (no values: they may be personal data)
        const pg = (exception as QueryFailedError & { driverError?: PgDriverError }).driverError;
        this.logger.warn(
          { event: 'database.refused', requestId: request?.id, sqlState: pg?.code, constraint: pg?.constraint, table: pg?.table, column: pg?.column },
          'database constraint refused a write',
        );
      }
      this.logger.warn(refusalLogEntry(body, request), 'request refused');
    }
    if (body.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer');
    reply.status(body.statusCode).send(body);
  }
}
