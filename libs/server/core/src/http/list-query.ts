import { Brackets, QueryFailedError, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { MAX_LIST_OFFSET } from '@portal/contracts';
import { DomainException } from '../errors/domain-exception.js';

/** Largest page a list request may ask for. */
export const MAX_PAGE_SIZE = 1000;

/** Set (by listExport, never from HTTP) on a query that may read past MAX_LIST_OFFSET. */
export const DEEP_PAGES: unique symbol = Symbol('deep pages');

/** The query parameters of the ra-data-simple-rest dialect: sort, range and filter, each JSON. */
export interface RawListQuery {
  sort?: string;
  range?: string;
  filter?: string;
  [DEEP_PAGES]?: true;
}

/** A filter value the list dialect accepts: text, a number, yes/no, or a list of them. */
export type ListFilterValue = string | number | boolean | Array<string | number | boolean>;

export interface ListQuery {
  sort: { field: string; order: 'ASC' | 'DESC' };
  range: { start: number; end: number };
  filter: Record<string, ListFilterValue>;
}

type FilterFn<T extends ObjectLiteral> = (qb: SelectQueryBuilder<T>, value: unknown, param: string) => void;

/**
 * What a resource allows in a list request: which fields sort (field → SQL column), which filter (field →
 * SQL column for equality / IN, or a function), and the default order. Anything else is a 400.
 */
export interface ListSpec<T extends ObjectLiteral> {
  sortable: Record<string, string>;
  filters: Record<string, string | FilterFn<T>>;
  defaultSort: { field: string; order: 'ASC' | 'DESC' };
}

function parseJson(name: string, raw: string | undefined): unknown {
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw DomainException.validation(`查询参数 ${name} 不是有效的 JSON`, [{ field: name, messages: ['不是有效的 JSON'] }]);
  }
}

const bad = (field: string, message: string) => DomainException.validation(`查询参数 ${field}：${message}`, [{ field, messages: [message] }]);

export function parseListQuery<T extends ObjectLiteral>(raw: RawListQuery, spec: ListSpec<T>): ListQuery {
  const sortRaw = parseJson('sort', raw.sort);
  let sort = spec.defaultSort;
  if (sortRaw !== undefined) {
    if (!Array.isArray(sortRaw) || sortRaw.length !== 2 || typeof sortRaw[0] !== 'string' || typeof sortRaw[1] !== 'string') {
      throw bad('sort', '应为 ["字段","ASC|DESC"]');
    }
    const order = sortRaw[1].toUpperCase();
    // own keys only: `in` would also accept constructor, toString, __proto__… and splice them into SQL
    if (!Object.hasOwn(spec.sortable, sortRaw[0])) throw bad('sort', `不能按字段 ${sortRaw[0]} 排序`);
    if (order !== 'ASC' && order !== 'DESC') throw bad('sort', '排序方向应为 ASC 或 DESC');
    sort = { field: sortRaw[0], order };
  }
  const rangeRaw = parseJson('range', raw.range);
  let range = { start: 0, end: 24 };
  if (rangeRaw !== undefined) {
    if (!Array.isArray(rangeRaw) || rangeRaw.length !== 2 || !rangeRaw.every((n) => Number.isSafeInteger(n) && n >= 0) || rangeRaw[1] < rangeRaw[0]) {
      throw bad('range', '应为 [起始, 结束]，非负整数且结束不小于起始');
    }
    if (rangeRaw[1] - rangeRaw[0] + 1 > MAX_PAGE_SIZE) throw bad('range', `每页最多 ${MAX_PAGE_SIZE} 条`);
    const [start, end] = rangeRaw as [number, number];
    if (start > MAX_LIST_OFFSET && !raw[DEEP_PAGES])
      throw bad('range', `列表最多翻到第 ${MAX_LIST_OFFSET.toLocaleString('en')} 条，请用筛选条件缩小范围，或导出全部`);
    range = { start, end };
  }
  const filterRaw = parseJson('filter', raw.filter) ?? {};
  if (typeof filterRaw !== 'object' || filterRaw === null || Array.isArray(filterRaw)) throw bad('filter', '应为 JSON 对象');
  for (const [key, value] of Object.entries(filterRaw)) {
    if (!Object.hasOwn(spec.filters, key)) throw bad('filter', `不能按字段 ${key} 筛选`);
    const ok = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    if (!(ok(value) || (Array.isArray(value) && value.length <= MAX_PAGE_SIZE && value.every(ok)))) {
      throw bad('filter', `字段 ${key} 的值应为文本、数字、是/否或它们的列表`);
    }
  }
  return { sort, range, filter: filterRaw as Record<string, ListFilterValue> };
}

/** Apply a parsed list query to a query builder (values always bound as parameters, never spliced). */
export function applyListQuery<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, q: ListQuery, spec: ListSpec<T>): SelectQueryBuilder<T> {
  let i = 0;
  for (const [key, value] of Object.entries(q.filter)) {
    const handler = spec.filters[key];
    const param = `f${i++}`;
    if (typeof handler === 'function') {
      handler(qb, value, param);
    } else if (Array.isArray(value)) {
      qb.andWhere(value.length ? `${handler} IN (:...${param})` : 'FALSE', { [param]: value });
    } else {
      qb.andWhere(`${handler} = :${param}`, { [param]: value });
    }
  }
  qb.orderBy(spec.sortable[q.sort.field], q.sort.order);
  // a stable tie-breaker so pages never overlap
  if (q.sort.field !== 'id' && spec.sortable.id) qb.addOrderBy(spec.sortable.id, 'ASC');
  return qb.skip(q.range.start).take(q.range.end - q.range.start + 1);
}

/** A filter matching any of several columns by substring (the `q` search box of react-admin). */
export function textSearch<T extends ObjectLiteral>(...columns: string[]): FilterFn<T> {
  return (qb, value, param) => {
    const text = String(value).trim();
    if (!text) return;
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb.andWhere(new Brackets((b) => columns.forEach((c) => b.orWhere(`${c} ILIKE :${param}`, { [param]: pattern }))));
  };
}

interface HeaderSink {
  header(name: string, value: string): unknown;
}

/**
 * Set the Content-Range header react-admin reads the total from: `organisations 0-24/319`. An estimated total
 * (`countList` past EXACT_COUNT_LIMIT) also sets `X-Total-Estimated: true`, which the web app shows as 约….
 */
export function setContentRange(reply: HeaderSink, resource: string, q: ListQuery, count: number, total: number | ListTotal): void {
  const end = count === 0 ? q.range.start : q.range.start + count - 1;
  const t = typeof total === 'number' ? { total, estimated: false } : total;
  reply.header('Content-Range', `${resource} ${q.range.start}-${end}/${t.total}`);
  if (t.estimated) reply.header('X-Total-Estimated', 'true');
}

/** A list's total: exact, or the planner's estimate when there are more than EXACT_COUNT_LIMIT rows. */
export interface ListTotal {
  total: number;
  estimated: boolean;
}

/** Up to this many rows a list's total is counted exactly; past it the count would cost more than the page. */
export const EXACT_COUNT_LIMIT = 10_000;

interface Queryable {
  query<R = unknown>(sql: string, params?: unknown[]): Promise<R>;
}

/**
 * The total of `SELECT … <fromWhere>` (e.g. `FROM a JOIN b … WHERE …`): counts at most EXACT_COUNT_LIMIT + 1 rows,
 * so the cost is bounded whatever the table's size; past that it answers the planner's estimate (EXPLAIN), never
 * less than the rows it counted, marked `estimated`.
 */
export async function countList(db: Queryable, fromWhere: string, params: unknown[], limit = EXACT_COUNT_LIMIT): Promise<ListTotal> {
  const [{ n }] = await db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM (SELECT 1 ${fromWhere} LIMIT ${limit + 1}) x`, params);
  if (n <= limit) return { total: n, estimated: false };
  const [plan] = await db.query<Array<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>>(`EXPLAIN (FORMAT JSON) SELECT 1 ${fromWhere}`, params);
  return { total: Math.max(n, Math.round(plan['QUERY PLAN'][0].Plan['Plan Rows'])), estimated: true };
}

/**
 * Parse, query and set the header in one go; answers the page of rows (entities, or raw rows with
 * `raw: true` for a query builder that selects columns itself).
 */
export async function listPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  raw: RawListQuery,
  spec: ListSpec<T>,
  reply: HeaderSink,
  resource: string,
  opts: { raw?: boolean } = {},
): Promise<T[]> {
  const q = parseListQuery(raw, spec);
  try {
    if (opts.raw) {
      applyListQuery(qb, q, spec);
      const [sql, params] = qb.clone().orderBy().offset(undefined).limit(undefined).skip(undefined).take(undefined).getQueryAndParameters();
      const total = await countList(qb.connection, `FROM (${sql}) t`, params);
      const rows = await qb
        .offset(q.range.start)
        .limit(q.range.end - q.range.start + 1)
        .getRawMany<T>();
      setContentRange(reply, resource, q, rows.length, total);
      return rows;
    }
    const rows = await applyListQuery(qb, q, spec).getMany();
    const [sql, params] = qb.clone().orderBy().skip(undefined).take(undefined).getQueryAndParameters();
    setContentRange(reply, resource, q, rows.length, await countList(qb.connection, `FROM (${sql}) t`, params));
    return rows;
  } catch (e) {
    // sort and range are checked above, so a data exception (class 22: a value PostgreSQL cannot read as the
    // column's type, or out of its range) comes from a filter value: name the parameter, as for any bad input
    const code = (e as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
    if (e instanceof QueryFailedError && code?.startsWith('22')) throw bad('filter', '筛选值的类型或格式与字段不符');
    throw e;
  }
}
