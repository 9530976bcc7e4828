import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DocumentsService, verificationPage } from '@portal/documents';
import {
  accessLog,
  AppConfig,
  createValidationPipe,
  declareResponses,
  DomainException,
  DomainExceptionFilter,
  frameworkError,
  guardedJsonParser,
  nulQueryParameters,
  nulRefusal,
  REQUEST_ID,
  requestIdOf,
  type CallbackBodyParser,
} from '@portal/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** apps/api/dist → apps/web/dist (and the same from apps/api/src under tests). */
export const DEFAULT_WEB_DIST = path.resolve(here, '../../web/dist');

/**
 * Routes that take multipart uploads: case attachments, spreadsheet imports (`…/imports`, a preview before commit),
 * and a teacher's 双师型 evidence.
 */
const UPLOAD_PATHS = /^\/api\/(cases\/[^/]+\/attachments|[a-z-]+(\/[^/?]+)*\/imports|teachers\/\d+\/dual-evidence)(\?|$)/;

/** Paths with the stricter limit: password guessing across accounts, and guessing verification codes. */
const AUTH_PATHS = /^\/(api\/)?(auth|verify)\//;

/**
 * Build the Nest application on Fastify with everything the product needs around the modules:
 * validation, the error filter, helmet, rate limits, request ids, OpenAPI and the built web app.
 */
export async function createApp(config: AppConfig, opts: { logger?: boolean; modules?: Array<Type | DynamicModule> } = {}): Promise<NestFastifyApplication> {
  const filter = new DomainExceptionFilter();
  /** helmet's headers, worked out below (before the app answers anything) */
  let security: Array<[string, string]> = [];
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // only the configured proxies' X-Forwarded-For is believed (TRUST_PROXY); by default none, so req.ip is
    // the connection's address and a forged header neither escapes the rate limits nor enters the login log
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    genReqId: requestIdOf,
    // the router's own refusals (a malformed %-encoding, an over-long path parameter) run before any hook or
    // route: answered by the same filter, with the same body, headers and log entry as every other refusal
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      reply.header(REQUEST_ID, req.id);
      for (const [name, value] of security) reply.header(name, value);
      filter.answer(frameworkError(error), req, reply);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, opts.modules), adapter, {
    bufferLogs: true,
    logger: opts.logger === false ? false : undefined,
    // Nest's parsers would add application/x-www-form-urlencoded at init; Fastify's own JSON parser is enough
    bodyParser: false,
  });
  if (opts.logger !== false) app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(filter);
  // no CORS: the web app is served from the API's own origin, so no cross-origin browser request is answered
  // (a preflight gets a 404; @fastify/cors with `origin: false` did the same, at a cost on every request)
  app.enableShutdownHooks();
  // the API speaks JSON only (uploads will add multipart on their own routes): other bodies get a 415
  // (form bodies included: an HTML form on another site could otherwise post to the API without a preflight)
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain']);
  // JSON bodies: nesting deeper than JSON_MAX_DEPTH is refused in one linear pass before parsing (a 1 MB body
  // of `[` would otherwise cost the recursion of parsing, transforming and validating it), and a NUL in any
  // string is a 400 naming the field (PostgreSQL cannot store it in text)
  // (Fastify types its default parser as either form of a body parser; it is the callback one)
  const fastifyJson = fastify.getDefaultJsonParser('error', 'error') as CallbackBodyParser<FastifyRequest>;
  fastify.removeContentTypeParser(['application/json']);
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: config.bodyLimitBytes },
    guardedJsonParser(fastifyJson, config.jsonMaxDepth),
  );

  // HSTS and `upgrade-insecure-requests` only when the product is served over https: on an intranet reached by
  // plain http under a host name, the browser would otherwise fetch every script over https and never load
  const https = new URL(config.publicBaseUrl).protocol === 'https:';
  security = securityHeaders({
    hsts: https ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: https ? [] : null,
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.raw.setHeader(REQUEST_ID, req.id);
    for (const [name, value] of security) reply.raw.setHeader(name, value);
    // the API's answers carry personal data (names, phones, rosters, downloads): no browser or proxy keeps a copy
    // (a school's shared computer would otherwise hold them in its disk cache); the web app's files stay cacheable
    if (req.url.startsWith('/api/')) reply.raw.setHeader('Cache-Control', 'no-store');
    done();
  });
  const log = accessLog();
  fastify.addHook('onResponse', (req, reply, done) => {
    log({ id: req.id, method: req.method, url: req.url }, reply.raw, reply.elapsedTime);
    done();
  });
  await app.register(rateLimit, {
    global: true,
    timeWindow: '1 minute',
    keyGenerator: (req) => (AUTH_PATHS.test(req.url) ? `auth:${req.ip}` : req.ip),
    max: (req) => (AUTH_PATHS.test(req.url) ? Math.max(1, Math.ceil(config.rateLimitPerMinute / 20)) : config.rateLimitPerMinute),
    // the limit's headers on a refusal (429, with retry-after) only: on every other answer they cost three headers per
    // request of the public routes' budget (framework.bench.mjs), and no client of the portal reads them
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    // thrown to the error filter like every other refusal (one body shape, one log entry)
    errorResponseBuilder: (_req, ctx) => new DomainException('TOO_MANY_REQUESTS', `请求过于频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试`),
  });

  // uploads (attachments): the per-request size cap is the admin setting; this is only the ceiling
  await app.register(hooksForMultipartOnly(multipart), { limits: { fileSize: 100 * 1024 * 1024, files: 1 } });
  fastify.addHook('onRequest', (req, _reply, done) => {
    // a NUL in a query parameter or the path: a 400 naming it, as in a body
    const q = req.url.indexOf('?');
    if (q < 0) {
      if (/%00/i.test(req.url)) return done(nulRefusal(['path']));
    } else {
      if (/%00/i.test(req.url.slice(0, q))) return done(nulRefusal(['path']));
      const params = nulQueryParameters(req.query);
      if (params.length) return done(nulRefusal(params));
    }
    // multipart only where files are uploaded; everywhere else the API takes JSON
    if (req.headers['content-type']?.startsWith('multipart/') && !UPLOAD_PATHS.test(req.url)) {
      return done(new DomainException('UNSUPPORTED_MEDIA_TYPE', '此接口只接受 application/json'));
    }
    done();
  });

  const doc = new DocumentBuilder()
    .setTitle('温州市产教融合平台 API')
    .setDescription('产教融合型企业认定、订单班备案、教师入企实践（温政办〔2023〕32号）')
    .setVersion('1')
    .addBearerAuth()
    // 3.1: its schemas are JSON Schema, as the contracts' generated ones are (`type: ['string', 'null']`)
    .setOpenAPIVersion('3.1.0')
    .build();
  // each route's answer (@ApiReturns…) written in with its schema, generated from the contracts' types
  SwaggerModule.setup('api/docs', app, () => declareResponses(SwaggerModule.createDocument(app, doc)), { jsonDocumentUrl: 'api/openapi.json' });

  // the page a document's QR code opens: plain server-rendered HTML outside /api, readable on any phone
  const documents = app.get(DocumentsService);
  fastify.get<{ Params: { code: string } }>('/verify/:code', async (req, reply) => {
    const found = await documents.verify(req.params.code).catch(() => undefined);
    return reply
      .status(found ? 200 : 404)
      .type('text/html; charset=utf-8')
      .send(verificationPage(found));
  });

  const webDist = config.webDist ? path.resolve(config.webDist) : DEFAULT_WEB_DIST;
  if (existsSync(path.join(webDist, 'index.html'))) {
    app.useStaticAssets({ root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  return app;
}

/**
 * The security headers helmet sets with these options, worked out once: they depend on the options alone, and
 * @fastify/helmet built helmet's middleware anew (parsing the CSP directives) on every request.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Array<[string, string]> {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error('helmet refused its options');
  });
  return [...headers];
}

const MULTIPART = /^multipart\//i;

/**
 * @fastify/multipart with its per-request hooks kept to multipart requests. The plugin adds two hooks to every route
 * (an async `onRequest` that listens for the response's `close`, an async `onResponse`), both only to delete the
 * temporary files of `saveRequestFiles()`; the API reads uploads as streams (`req.file()`, core's upload.ts) and never
 * saves one, yet every request — a health probe too — paid two extra promises and a listener for them. A request
 * that is not multipart cannot have such files, so its hooks answer at once; a multipart one (admitted on upload
 * routes only) runs them as before. Everything else the plugin registers (the parser, `req.file()`) is untouched.
 */
export function hooksForMultipartOnly<T>(plugin: T): T {
  const run = plugin as unknown as (instance: FastifyInstance, opts: unknown, done: (err?: Error) => void) => unknown;
  const wrapped = function (instance: FastifyInstance, opts: unknown, done: (err?: Error) => void) {
    const addHook = (name: string, fn: (req: FastifyRequest, reply: FastifyReply) => Promise<void>) => {
      if ((name !== 'onRequest' && name !== 'onResponse') || fn.constructor.name !== 'AsyncFunction') {
        return (instance.addHook as (n: string, f: unknown) => FastifyInstance).call(instance, name, fn);
      }
      return instance.addHook(name, function (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply, next: (err?: Error) => void) {
        if (!MULTIPART.test(req.headers['content-type'] ?? '')) return next();
        fn.call(this, req, reply).then(() => next(), next);
      });
    };
    const proxy = new Proxy(instance, { get: (target, prop) => (prop === 'addHook' ? addHook : (Reflect.get(target, prop, target) as unknown)) });
    return run(proxy, opts, done);
  };
  // the plugin's metadata (fastify-plugin's skip-override: its decorators reach the whole application)
  for (const key of Reflect.ownKeys(plugin as object)) {
    if (typeof key === 'symbol') Object.defineProperty(wrapped, key, Object.getOwnPropertyDescriptor(plugin as object, key)!);
  }
  return wrapped as unknown as T;
}
