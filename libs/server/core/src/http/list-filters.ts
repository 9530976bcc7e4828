import { isIsoDay } from '@portal/contracts';
import { DomainException } from '../errors/domain-exception.js';
import type { ListFilterValue, ListQuery } from './list-query.js';

/**
 * Reading a list's `filter` values (text, numbers, yes/no, lists, as the ra-data-simple-rest dialect sends them)
 * into typed filters: undefined when absent, a 400 naming `filter.<key>` when malformed. Every feature's list reads
 * its filters with these.
 */
type Filter = Record<string, ListFilterValue>;

const bad = (key: string, message: string) => DomainException.validation(`筛选条件 ${key}：${message}`, [{ field: `filter.${key}`, messages: [message] }]);
const MAX_ID = 2_147_483_647;

/** A list of positive integers (react-admin's getMany sends `id` as one). */
export function filterIds(f: Filter, key = 'id'): number[] | undefined {
  const v = f[key];
  if (v === undefined) return undefined;
  const ids = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' && /^\d{1,15}$/.test(x) ? Number(x) : x));
  if (!ids.every((n): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 && n <= MAX_ID)) throw bad(key, '应为正整数或正整数列表');
  return ids;
}

export function filterInt(f: Filter, key: string): number | undefined {
  const v = f[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (Array.isArray(v) || !Number.isSafeInteger(n) || n < 1 || n > MAX_ID) throw bad(key, '应为正整数');
  return n;
}

/** A calendar year (2000-2099), e.g. a subsidy's year of grant. */
export function filterYear(f: Filter, key = 'year'): number | undefined {
  const v = f[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (Array.isArray(v) || !Number.isInteger(n) || n < 2000 || n > 2099) throw bad(key, '应为年份（2000-2099）');
  return n;
}

export function filterBool(f: Filter, key: string): boolean | undefined {
  const v = f[key];
  if (v === undefined || v === '') return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw bad(key, '应为 true 或 false');
}

export function filterText(f: Filter, key: string, max = 100): string | undefined {
  const v = f[key];
  if (v === undefined || v === '') return undefined;
  if (Array.isArray(v) || String(v).length > max) throw bad(key, `应为不超过 ${max} 字的文本`);
  return String(v);
}

export function filterOneOf<T extends string>(f: Filter, key: string, allowed: readonly T[]): T | undefined {
  const v = filterText(f, key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw bad(key, `应为 ${allowed.join('、')} 之一`);
  return v as T;
}

export function filterTextList(f: Filter, key: string, allowed: readonly string[]): string[] | undefined {
  const v = f[key];
  if (v === undefined || v === '') return undefined;
  const list = (Array.isArray(v) ? v : [v]).map(String);
  if (list.some((s) => !allowed.includes(s))) throw bad(key, `应为 ${allowed.join('、')} 中的值`);
  return list;
}

export function filterDay(f: Filter, key: string): string | undefined {
  const v = filterText(f, key, 10);
  if (v === undefined) return undefined;
  if (!isIsoDay(v)) throw bad(key, '应为 YYYY-MM-DD 格式的有效日期');
  return v;
}

/**
 * The ids of a getMany (`filter={"id":[…]}`) or a filter by one id, checked: positive integers only (a 400
 * naming `filter.id` otherwise); undefined when the request does not filter by id.
 */
export function idsFilter(q: ListQuery): number[] | undefined {
  return filterIds(q.filter);
}
