import { COUNTY_CODES, INDUSTRY_CODES, MAJOR_CODES } from '@portal/contracts';
import { DomainException, type ListFilterValue } from '@portal/core';
import type { OrderClassFilter } from '../classes/order-classes.service.js';

type Filter = Record<string, ListFilterValue>;
const bad = (field: string, message: string) =>
  DomainException.validation(`筛选条件 ${field}：${message}`, [{ field: `filter.${field}`, messages: [message] }]);

/** A positive integer filter value, or a 400 naming the field. */
export function intFilter(f: Filter, key: string): number | undefined {
  const v = f[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw bad(key, '应为正整数');
  return n;
}

/** A list of positive integers (getMany's `id`), or a 400. */
export function idsFilter(f: Filter, key = 'id'): number[] | undefined {
  const v = f[key];
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  const ids = list.map(Number);
  if (!ids.every((n) => Number.isSafeInteger(n) && n >= 1)) throw bad(key, '应为正整数或其列表');
  return ids;
}

function oneOf(f: Filter, key: string, allowed: readonly string[]): string | undefined {
  const v = f[key];
  if (v === undefined || v === '') return undefined;
  if (!allowed.includes(String(v))) throw bad(key, '不在可选值范围内');
  return String(v);
}

/** The order-class list's filters (react-admin's getList, getMany, getManyReference). */
export function orderClassFilter(f: Filter, states: readonly string[]): OrderClassFilter {
  const stateRaw = f.state;
  const state = stateRaw === undefined || stateRaw === '' ? undefined : (Array.isArray(stateRaw) ? stateRaw : [stateRaw]).map(String);
  if (state && !state.every((s) => states.includes(s))) throw bad('state', '不是订单班的阶段');
  return {
    ids: idsFilter(f),
    state,
    schoolId: intFilter(f, 'schoolId'),
    enterpriseId: intFilter(f, 'enterpriseId'),
    caseId: intFilter(f, 'caseId'),
    cohortYear: intFilter(f, 'cohortYear'),
    countyCode: oneOf(f, 'countyCode', COUNTY_CODES),
    industry: oneOf(f, 'industry', INDUSTRY_CODES),
    majorCode: oneOf(f, 'majorCode', MAJOR_CODES),
    q: f.q === undefined || f.q === '' ? undefined : String(f.q).slice(0, 100),
  };
}

export const ORDER_CLASS_FILTERS = {
  id: true,
  state: true,
  schoolId: true,
  enterpriseId: true,
  caseId: true,
  cohortYear: true,
  countyCode: true,
  industry: true,
  majorCode: true,
  q: true,
} as const;
