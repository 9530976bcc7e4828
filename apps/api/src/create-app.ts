import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DocumentsService, verificationPage } from '@portal/documents';
import { AppConfig, createValidationPipe, DomainExceptionFilter, requestIdOf } from '@portal/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** apps/api/dist → apps/web/dist (and the same from apps/api/src under tests). */
export const DEFAULT_WEB_DIST = path.resolve(here, '../../web/dist');

/** Routes that take multipart uploads. */
const UPLOAD_PATHS = /^\/api\/cases\/[^/]+\/attachments(\?|$)/;

/** Paths with the stricter limit: password guessing across accounts, and guessing verification codes. */
const AUTH_PATHS = /^\/(api\/)?(auth|verify)\//;

/**
 * Build the Nest application on Fastify with everything the product needs around the modules:
 * validation, the error filter, helmet, rate limits, request ids, OpenAPI and the built web app.
 */
export async function createApp(config: AppConfig, opts: { logger?: boolean; modules?: Array<Type | DynamicModule> } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    genReqId: requestIdOf,
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
  app.useGlobalFilters(new DomainExceptionFilter());
  app.enableCors({ exposedHeaders: ['Content-Range', 'X-Request-Id'], origin: false });
  app.enableShutdownHooks();
  // the API speaks JSON only (uploads will add multipart on their own routes): other bodies get a 415
  // (form bodies included: an HTML form on another site could otherwise post to the API without a preflight)
  app.getHttpAdapter().getInstance().removeContentTypeParser(['text/plain']);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(rateLimit, {
    global: true,
    timeWindow: '1 minute',
    keyGenerator: (req) => (AUTH_PATHS.test(req.url) ? `auth:${req.ip}` : req.ip),
    max: (req) => (AUTH_PATHS.test(req.url) ? Math.max(1, Math.ceil(config.rateLimitPerMinute / 20)) : config.rateLimitPerMinute),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      message: `请求过于频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试`,
    }),
  });

  // uploads (attachments): the per-request size cap is the admin setting; this is only the ceiling
  await app.register(multipart, { limits: { fileSize: 100 * 1024 * 1024, files: 1 } });
  // multipart only where files are uploaded; everywhere else the API takes JSON
  app.getHttpAdapter().getInstance().addHook('onRequest', async (req, reply) => {
    if (req.headers['content-type']?.startsWith('multipart/') && !UPLOAD_PATHS.test(req.url)) {
      await reply.status(415).send({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: '此接口只接受 application/json', requestId: req.id });
    }
  });

  const doc = new DocumentBuilder()
    .setTitle('温州市产教融合平台 API')
    .setDescription('产教融合型企业认定、订单班备案、教师入企实践（温政办〔2023〕32号）')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/openapi.json' });

  // the page a document's QR code opens: plain server-rendered HTML outside /api, readable on any phone
  const documents = app.get(DocumentsService);
  app.getHttpAdapter().getInstance().get<{ Params: { code: string } }>('/verify/:code', async (req, reply) => {
    const found = await documents.verify(req.params.code).catch(() => undefined);
    return reply.status(found ? 200 : 404).type('text/html; charset=utf-8').send(verificationPage(found));
  });

  const webDist = config.webDist ? path.resolve(config.webDist) : DEFAULT_WEB_DIST;
  if (existsSync(path.join(webDist, 'index.html'))) {
    app.useStaticAssets({ root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  return app;
}
