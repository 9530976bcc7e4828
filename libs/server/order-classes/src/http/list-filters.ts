import { COUNTY_CODES, INDUSTRY_CODES, MAJOR_CODES } from '@portal/contracts';
import { filterBool, filterIds, filterInt, filterOneOf, filterTextList, type ListFilterValue } from '@portal/core';
import type { OrderClassFilter } from '../classes/order-classes.service.js';

type Filter = Record<string, ListFilterValue>;

/** The order-class list's filters (react-admin's getList, getMany, getManyReference). */
export function orderClassFilter(f: Filter, states: readonly string[]): OrderClassFilter {
  return {
    ids: filterIds(f),
    state: filterTextList(f, 'state', states),
    counted: filterBool(f, 'counted'),
    schoolId: filterInt(f, 'schoolId'),
    enterpriseId: filterInt(f, 'enterpriseId'),
    caseId: filterInt(f, 'caseId'),
    cohortYear: filterInt(f, 'cohortYear'),
    countyCode: filterOneOf(f, 'countyCode', COUNTY_CODES),
    industry: filterOneOf(f, 'industry', INDUSTRY_CODES),
    majorCode: filterOneOf(f, 'majorCode', MAJOR_CODES),
    q: f.q === undefined || f.q === '' ? undefined : String(f.q).slice(0, 100),
  };
}

export const ORDER_CLASS_FILTERS = {
  id: true,
  state: true,
  counted: true,
  schoolId: true,
  enterpriseId: true,
  caseId: true,
  cohortYear: true,
  countyCode: true,
  industry: true,
  majorCode: true,
  q: true,
} as const;
