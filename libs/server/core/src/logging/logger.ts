import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { maskIdNumbers } from './redact.js';

const REQUEST_ID = 'x-request-id';

/** The request id: the caller's X-Request-Id when it looks sane, else a new UUID. Also used by Fastify. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID];
  const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
  req.headers[REQUEST_ID] = id;
  return id;
}

/** Structured JSON logs (pino), one line per request with its id; secrets are redacted. */
export function loggerParams(config: AppConfig): Params {
  const options = {
    level: config.logLevel,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdOf(req);
      res.setHeader(REQUEST_ID, id);
      return id;
    },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: {
      // a list filter may search for an identity number: the access log keeps only its ends
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskIdNumbers(req.url) }),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
    transport: config.logPretty && !config.logFile ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
  // LOG_FILE: the same JSON lines appended to a file, written as they come (a log shipper, or a test, reads it)
  return { pinoHttp: config.logFile ? [options, destination({ dest: config.logFile, sync: true, mkdir: true })] : options };
}
