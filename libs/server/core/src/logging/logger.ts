import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PinoLogger, type Params } from 'nestjs-pino';
import { destination, type Logger as PinoRoot } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { maskPersonalNumbers } from './redact.js';

export const REQUEST_ID = 'x-request-id';

/** The request id: the caller's X-Request-Id when it looks sane, else a new UUID. Also used by Fastify. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID];
  const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
  req.headers[REQUEST_ID] = id;
  return id;
}

/**
 * Structured JSON logs (pino); secrets are redacted. The access log (one line per request with its id) is written
 * by the API's own response hook (accessLog below), not by pino-http's middleware: that ran through Nest's
 * middleware layer and an AsyncLocalStorage on every request, which alone enabled async hooks for every promise of
 * the process (about a fifth of the framework's cost per request). Log entries written while a request is handled
 * (refusals, faults) name its id themselves.
 */
export function loggerParams(config: AppConfig): Params {
  const options = {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: {
      // a list filter may search for an identity number or a phone: the access log keeps only their ends
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskPersonalNumbers(req.url) }),
    },
    transport: config.logPretty && !config.logFile ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
  return {
    // the root logger only (PinoLogger.root): no per-request middleware
    forRoutes: [],
    // LOG_FILE: the same JSON lines appended to a file, written as they come (a log shipper, or a test, reads it)
    pinoHttp: config.logFile ? [options, destination({ dest: config.logFile, sync: true, mkdir: true })] : options,
  };
}

/** The access log's level for a response: a fault is an error, a refusal a warning. */
export function accessLogLevel(status: number): 'error' | 'warn' | 'info' {
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}

/**
 * The access log: one line per request once its response is sent (request id, method, URL with identity and mobile numbers
 * masked, status and response headers, time in ms), on the application's root logger; /api/health (a load
 * balancer's probe) is left out. Nothing is built when the level is off.
 */
export function accessLog(): (req: { id: string; method: string; url: string }, res: ServerResponse, elapsedMs: number) => void {
  const root = PinoLogger.root as unknown as PinoRoot | undefined;
  if (!root) throw new Error('accessLog: the LoggerModule has not created the root logger yet');
  return (req, res, elapsedMs) => {
    if (req.url === '/api/health') return;
    const level = accessLogLevel(res.statusCode);
    if (!root.isLevelEnabled(level)) return;
    root[level]({ req, res, responseTime: Math.round(elapsedMs) }, level === 'error' ? 'request errored' : 'request completed');
  };
}
