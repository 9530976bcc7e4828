import { BadRequestException, ForbiddenException, HttpException, NotFoundException, PayloadTooLargeException, UnauthorizedException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainException } from './domain-exception.js';
import { maskIdNumbers } from '../logging/redact.js';
import { isDatabaseUnavailable, refusalLogEntry, toErrorBody } from './domain-exception.filter.js';

const CJK = /[\u4e00-\u9fff]/;

/** What node-postgres throws: an Error with the SQLSTATE and the constraint. */
function pgError(code: string, constraint?: string, message = 'duplicate key value violates unique constraint "users_username_lower"') {
  return new QueryFailedError('INSERT INTO users …', ['secret-param'], Object.assign(new Error(message), { code, constraint }));
}

/** What Fastify's content-type parser and body reader throw. */
function fastifyError(statusCode: number, code: string, message: string) {
  return Object.assign(new Error(message), { statusCode, code });
}

describe('toErrorBody: anything thrown → { statusCode, code, message, details }', () => {
  it('passes a DomainException through with its code, status, message and details', () => {
    const details = [{ field: 'roles', messages: ['不允许'] }];
    expect(toErrorBody(DomainException.validation('输入有误', details))).toEqual({ statusCode: 400, code: 'VALIDATION', message: '输入有误', details });
    expect(toErrorBody(DomainException.notFound('单位'))).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: '单位不存在或无权查看', details: undefined });
    expect(toErrorBody(DomainException.forbidden())).toMatchObject({ statusCode: 403, code: 'FORBIDDEN', message: '无权执行此操作' });
    expect(toErrorBody(new DomainException('ACCOUNT_LOCKED', '已锁定', { lockedUntil: 'x' }))).toEqual({
      statusCode: 423,
      code: 'ACCOUNT_LOCKED',
      message: '已锁定',
      details: { lockedUntil: 'x' },
    });
    expect(toErrorBody(new DomainException('DUPLICATE', '已存在'))).toMatchObject({ statusCode: 409, code: 'DUPLICATE' });
  });

  it.each([
    [new ForbiddenException(), 403, 'FORBIDDEN'],
    [new UnauthorizedException(), 401, 'UNAUTHENTICATED'],
    [new PayloadTooLargeException(), 413, 'PAYLOAD_TOO_LARGE'],
    [new BadRequestException('Validation failed'), 400, 'BAD_REQUEST'],
    [new HttpException('teapot', 418), 418, 'BAD_REQUEST'],
    [new HttpException('gateway', 502), 502, 'INTERNAL'],
  ])('maps Nest’s %s to its status with a Chinese message', (exception, status, code) => {
    const body = toErrorBody(exception);
    expect(body).toMatchObject({ statusCode: status, code });
    expect(body.message).toMatch(CJK);
  });

  it('an unknown route is a 404 with the Chinese default message; Nest’s English text only in details', () => {
    const body = toErrorBody(new NotFoundException('Cannot GET /api/nothing'));
    expect(body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: '请求的资源不存在', details: 'Cannot GET /api/nothing' });
  });

  it('a Fastify error wrapped by Nest (as its cause) is answered as the Fastify error', () => {
    const wrapped = new BadRequestException('Bad Request', {
      cause: fastifyError(400, 'FST_ERR_CTP_INVALID_JSON_BODY', "Body is not valid JSON but content-type is set to 'application/json'"),
    });
    expect(toErrorBody(wrapped)).toEqual({
      statusCode: 400,
      code: 'BAD_REQUEST',
      message: '请求体不是有效的 JSON',
      details: { reason: 'FST_ERR_CTP_INVALID_JSON_BODY' },
    });
  });

  it('a unique violation is a Chinese 409 DUPLICATE naming neither the constraint nor the SQL or the values', () => {
    const body = toErrorBody(pgError('23505', 'users_username_lower'));
    expect(body).toEqual({ statusCode: 409, code: 'DUPLICATE', message: '记录已存在，不能重复添加' });
    for (const leak of ['secret-param', 'INSERT', 'users', 'constraint', 'duplicate key']) expect(JSON.stringify(body)).not.toContain(leak);
  });

  it('a NUL PostgreSQL cannot store (22021) is a 400, not a 500', () => {
    expect(toErrorBody(pgError('22021', undefined, 'invalid byte sequence for encoding "UTF8": 0x00'))).toMatchObject({ statusCode: 400, code: 'VALIDATION' });
  });

  it.each([
    ['23503', 409, 'CONFLICT'],
    ['23514', 400, 'VALIDATION'],
    ['22P02', 400, 'VALIDATION'],
    ['22003', 400, 'VALIDATION'],
    ['40001', 409, 'CONFLICT'],
    ['40P01', 409, 'CONFLICT'],
  ])('PostgreSQL %s → %i %s', (sqlState, status, code) => {
    const body = toErrorBody(pgError(sqlState));
    expect(body).toMatchObject({ statusCode: status, code });
    expect(body.message).toMatch(CJK);
  });

  it('any other database error is a 500 that tells nothing of the query', () => {
    const body = toErrorBody(pgError('42P01', undefined, 'relation "users" does not exist'));
    expect(body).toEqual({ statusCode: 500, code: 'INTERNAL', message: '服务器内部错误，请稍后再试' });
  });

  it.each([
    [400, 'FST_ERR_CTP_INVALID_JSON_BODY', 'Unexpected token', 'BAD_REQUEST', '请求体不是有效的 JSON'],
    [400, 'FST_ERR_CTP_EMPTY_JSON_BODY', "Body cannot be empty when content-type is set to 'application/json'", 'BAD_REQUEST', '请求体不是有效的 JSON'],
    [413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'Request body is too large', 'PAYLOAD_TOO_LARGE', '提交的内容过大'],
    [415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'Unsupported Media Type: text/plain', 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型，请以 application/json 提交'],
    [400, 'FST_ERR_BAD_URL', 'bad url', 'BAD_REQUEST', '请求格式不正确'],
  ])('a Fastify error with statusCode %i (%s) keeps its status, in Chinese', (statusCode, fstCode, text, code, message) => {
    expect(toErrorBody(fastifyError(statusCode, fstCode, text))).toEqual({ statusCode, code, message, details: { reason: fstCode } });
  });

  it('an unknown Error is a 500 with a generic Chinese message that does not leak its text', () => {
    const body = toErrorBody(new Error('connection to postgres://admin:hunter2@db failed at /srv/app/secret.ts:42'));
    expect(body).toEqual({ statusCode: 500, code: 'INTERNAL', message: '服务器内部错误，请稍后再试' });
    expect(JSON.stringify(body)).not.toMatch(/hunter2|postgres|secret/);
  });

  it('thrown non-errors and errors claiming a 5xx status are 500s too', () => {
    for (const thrown of [undefined, null, 'a string', 42, { message: 'x' }, fastifyError(503, 'X', 'upstream down'), fastifyError(200, 'X', 'odd')]) {
      expect(toErrorBody(thrown)).toEqual({ statusCode: 500, code: 'INTERNAL', message: '服务器内部错误，请稍后再试' });
    }
  });

  it.each([
    ['a terminated backend (57P01)', pgError('57P01', undefined, 'terminating connection due to administrator command')],
    ['a broken connection (08006)', pgError('08006', undefined, 'connection failure')],
    ['node-postgres: the connection died', new QueryFailedError('COMMIT', [], new Error('Connection terminated unexpectedly'))],
    ['node-postgres: a dead client', new Error('Client has encountered a connection error and is not queryable')],
    ['node-postgres: no connection to be had', new Error('timeout exceeded when trying to connect')],
  ])('the database gone under a request (%s) is a 503 in Chinese, not a 500', (_what, exception) => {
    expect(isDatabaseUnavailable(exception)).toBe(true);
    expect(toErrorBody(exception)).toEqual({ statusCode: 503, code: 'UNAVAILABLE', message: '数据库连接中断，请稍后重试' });
  });

  it('other failures stay what they are', () => {
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(pgError('42P01', undefined, 'relation does not exist'))).toBe(false);
    expect(toErrorBody(pgError('42P01', undefined, 'relation does not exist'))).toMatchObject({ statusCode: 500, code: 'INTERNAL' });
  });
});

describe('refusalLogEntry: who, which route, why — and nothing secret', () => {
  it('names the actor, the route pattern, the code, the reason and the bad fields; no query string', () => {
    const entry = refusalLogEntry(
      { statusCode: 400, code: 'VALIDATION', message: '输入有误 — password：不允许的字段', details: [{ field: 'password', messages: ['x'] }] },
      {
        id: 'r1',
        method: 'PUT',
        url: '/api/users/7?filter={"q":"330302199001011234"}',
        routeOptions: { url: '/api/users/:id' },
        actor: { id: 3, username: 'school' },
      },
    );
    expect(entry).toEqual({
      event: 'request.refused',
      requestId: 'r1',
      method: 'PUT',
      route: '/api/users/:id',
      path: '/api/users/7',
      status: 400,
      code: 'VALIDATION',
      reason: '输入有误 — password：不允许的字段',
      fields: ['password'],
      user: { id: 3, username: 'school' },
    });
  });

  it('masks identity numbers wherever they appear', () => {
    expect(maskIdNumbers('身份证号 33030219900101123X 与 330302900101123 不符')).toBe('身份证号 330302********123X 与 330302********1123 不符');
    expect(maskIdNumbers('订单 2026 年 12 人')).toBe('订单 2026 年 12 人');
    // in a URL's encoded JSON filter, after %22 (a quote) or %3A (a colon)
    expect(maskIdNumbers('/api/x?filter=%7B%22q%22%3A%22330302200509030459%22%7D&q=%3A33030220050903045X')).toBe(
      '/api/x?filter=%7B%22q%22%3A%22330302********0459%22%7D&q=%3A330302********045X',
    );
    const entry = refusalLogEntry({ statusCode: 404, code: 'NOT_FOUND', message: '不存在' }, { url: '/api/people/330302199001011234' });
    expect(JSON.stringify(entry)).not.toContain('330302199001011234');
    expect(entry.user).toBeNull();
  });
});
