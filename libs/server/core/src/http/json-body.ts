import type { FieldProblem } from '@portal/contracts';
import { DomainException } from '../errors/domain-exception.js';

/**
 * Whether JSON text nests arrays and objects deeper than `max`, found in one linear pass over the raw text
 * (brackets inside strings do not count). Runs before JSON.parse, so a body of a million `[` costs a
 * scan, not the recursion of parsing, transforming and validating it.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

export function tooDeep(max: number): DomainException {
  return new DomainException('BAD_REQUEST', `请求体嵌套过深：数组和对象最多嵌套 ${max} 层`, [{ field: 'body', messages: [`嵌套超过 ${max} 层`] }]);
}

const NUL = '\u0000';
const NUL_MESSAGE = '不能包含空字符（\\u0000）';

/** A field path in class-validator's style (`organisation.name`, `evidence.0.amountYuan`), NUL shown as \u0000. */
const pathOf = (prefix: string, key: string) => {
  const k = key.replaceAll(NUL, '\\u0000');
  return prefix ? `${prefix}.${k}` : k;
};

/**
 * The path of every string (and key) holding a NUL character, which PostgreSQL cannot store in text
 * (error 22021). Called on parsed bodies only, whose depth is already bounded.
 */
export function nulPaths(value: unknown, prefix = '', out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes(NUL)) out.push(prefix || 'body');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulPaths(v, pathOf(prefix, String(i)), out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes(NUL)) out.push(pathOf(prefix, k));
      else nulPaths(v, pathOf(prefix, k), out);
    }
  }
  return out;
}

export function nulRefusal(paths: string[]): DomainException {
  const problems: FieldProblem[] = paths.map((field) => ({ field, messages: [NUL_MESSAGE] }));
  return DomainException.validation(`输入有误 — ${paths.slice(0, 5).join('、')}：${NUL_MESSAGE}`, problems);
}

/**
 * Query parameters holding a NUL, raw (`%00`) or as the JSON escape a list filter would decode to one
 * (`filter={"q":"\u0000"}`): answers the parameter names.
 */
export function nulQueryParameters(query: unknown): string[] {
  if (!query || typeof query !== 'object') return [];
  const bad = (v: unknown): boolean => (typeof v === 'string' ? v.includes(NUL) || /\\u0000/i.test(v) : Array.isArray(v) && v.some(bad));
  return Object.entries(query)
    .filter(([k, v]) => k.includes(NUL) || bad(v))
    .map(([k]) => k.replaceAll(NUL, '\\u0000'));
}

type Done = (err: Error | null, body?: unknown) => void;
/** A Fastify body parser of the callback form (it calls `done`). */
export type CallbackBodyParser<R> = (req: R, body: string, done: Done) => void;

/**
 * The JSON body parser: refuse bodies nested deeper than `maxDepth` before parsing, parse with Fastify's
 * own (prototype-poisoning-safe) parser, then refuse any NUL in a string with its field path.
 */
export function guardedJsonParser<R>(fastifyParser: CallbackBodyParser<R>, maxDepth: number): CallbackBodyParser<R> {
  return (req, body, done) => {
    if (jsonDepthExceeds(body, maxDepth)) return done(tooDeep(maxDepth));
    fastifyParser(req, body, (err, parsed) => {
      if (err) return done(err);
      // a NUL can only come from the escape \u0000: walk the parsed body only when the text has one
      if (/\\u0000/i.test(body)) {
        const paths = nulPaths(parsed);
        if (paths.length) return done(nulRefusal(paths));
      }
      done(null, parsed);
    });
  };
}
