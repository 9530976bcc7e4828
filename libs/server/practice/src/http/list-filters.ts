import { isIsoDay } from '@portal/contracts';
import { DomainException, type ListFilterValue } from '@portal/core';

/** Reading the list dialect's filter values (text, numbers, yes/no, lists) into typed filters; a bad value is a 400 naming it. */
const bad = (key: string, message: string) => DomainException.validation(`筛选条件 ${key}：${message}`, [{ field: `filter.${key}`, messages: [message] }]);

export function idList(f: Record<string, ListFilterValue>, key = 'id'): number[] | undefined {
  const v = f[key];
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  const ids = list.map((x) => Number(x));
  if (ids.some((n) => !Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647)) throw bad(key, '应为正整数或正整数列表');
  return ids;
}

export function int(f: Record<string, ListFilterValue>, key: string): number | undefined {
  const v = f[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (Array.isArray(v) || !Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) throw bad(key, '应为正整数');
  return n;
}

export function bool(f: Record<string, ListFilterValue>, key: string): boolean | undefined {
  const v = f[key];
  if (v === undefined || v === '') return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw bad(key, '应为 true 或 false');
}

export function text(f: Record<string, ListFilterValue>, key: string, max = 100): string | undefined {
  const v = f[key];
  if (v === undefined || v === '') return undefined;
  if (Array.isArray(v) || String(v).length > max) throw bad(key, `应为不超过 ${max} 字的文本`);
  return String(v);
}

export function oneOf<T extends string>(f: Record<string, ListFilterValue>, key: string, allowed: readonly T[]): T | undefined {
  const v = text(f, key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw bad(key, `应为 ${allowed.join('、')} 之一`);
  return v as T;
}

export function textList(f: Record<string, ListFilterValue>, key: string, allowed: readonly string[]): string[] | undefined {
  const v = f[key];
  if (v === undefined) return undefined;
  const list = (Array.isArray(v) ? v : [v]).map(String);
  if (list.some((s) => !allowed.includes(s))) throw bad(key, `应为 ${allowed.join('、')} 中的值`);
  return list;
}

export function day(f: Record<string, ListFilterValue>, key: string): string | undefined {
  const v = text(f, key, 10);
  if (v === undefined) return undefined;
  if (!isIsoDay(v)) throw bad(key, '应为 YYYY-MM-DD 格式的有效日期');
  return v;
}
