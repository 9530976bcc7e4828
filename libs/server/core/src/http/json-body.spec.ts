import { guardedJsonParser, jsonDepthExceeds, nulPaths, nulQueryParameters } from './json-body.js';

describe('jsonDepthExceeds', () => {
  it('counts arrays and objects together, not brackets inside strings or after escapes', () => {
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[[[{{{{{{"}', 1)).toBe(false);
    expect(jsonDepthExceeds('{"a":"\\"[[[[[[\\\\"}', 1)).toBe(false);
    expect(jsonDepthExceeds('[[],[],[],[]]', 2)).toBe(false);
  });

  it('scans a megabyte of nesting without recursion', () => {
    const text = '['.repeat(500_000) + ']'.repeat(500_000);
    expect(jsonDepthExceeds(text, 32)).toBe(true);
  });
});

describe('nulPaths and nulQueryParameters', () => {
  it('names every string and key holding a NUL by its path', () => {
    expect(nulPaths({ a: 'x\u0000', b: [{ c: 'ok' }, { d: '\u0000' }], ['k\u0000']: 1, n: 5 })).toEqual(['a', 'b.1.d', 'k\\u0000']);
    expect(nulPaths('\u0000')).toEqual(['body']);
    expect(nulPaths({ a: 'fine', b: null })).toEqual([]);
  });

  it('finds raw NULs and the JSON escape in query parameters', () => {
    expect(nulQueryParameters({ filter: '{"q":"\\u0000"}', sort: '["id","ASC"]', x: ['a', 'b\u0000'] })).toEqual(['filter', 'x']);
  });
});

describe('guardedJsonParser', () => {
  const fastify = (_req: unknown, body: string, done: (err: Error | null, body?: unknown) => void) => done(null, JSON.parse(body));
  const parse = (text: string, max = 32) =>
    new Promise<{ err: Error | null; body?: unknown }>((resolve) => guardedJsonParser(fastify, max)(undefined, text, (err, body) => resolve({ err, body })));

  it('refuses too deep a body before parsing, and a NUL after', async () => {
    expect((await parse('[[[1]]]', 2)).err?.message).toContain('2 层');
    expect((await parse('{"name":"a\\u0000"}')).err).toMatchObject({ code: 'VALIDATION', details: [{ field: 'name' }] });
    expect(await parse('{"name":"a\\\\u0000"}')).toEqual({ err: null, body: { name: 'a\\u0000' } });
  });
});
