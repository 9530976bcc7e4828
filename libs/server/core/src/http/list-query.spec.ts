import { DomainException } from '../errors/domain-exception.js';
import { MAX_PAGE_SIZE, parseListQuery, setContentRange, type ListSpec, type RawListQuery } from './list-query.js';

const SPEC: ListSpec<{ id: number }> = {
  sortable: { id: 'o.id', name: 'o.name' },
  filters: { id: 'o.id', kind: 'o.kind', q: () => undefined },
  defaultSort: { field: 'id', order: 'ASC' },
};

/** The DomainException a bad query throws, with the parameter it names. */
function refusal(raw: RawListQuery): { status: number; code: string; field: string; message: string } {
  try {
    parseListQuery(raw, SPEC);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainException);
    const d = e as DomainException;
    const details = d.details as Array<{ field: string; messages: string[] }>;
    expect(details).toHaveLength(1);
    return { status: d.status, code: d.code, field: details[0].field, message: d.message };
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe('parseListQuery (ra-data-simple-rest: sort, range, filter as JSON)', () => {
  it('defaults: the spec’s order, the first 25 rows, no filter', () => {
    expect(parseListQuery({}, SPEC)).toEqual({ sort: { field: 'id', order: 'ASC' }, range: { start: 0, end: 24 }, filter: {} });
    expect(parseListQuery({ sort: '', range: '', filter: '' }, SPEC)).toEqual({
      sort: { field: 'id', order: 'ASC' },
      range: { start: 0, end: 24 },
      filter: {},
    });
  });

  it('reads a well-formed query, the order in any case', () => {
    const q = parseListQuery({ sort: '["name","desc"]', range: '[5,9]', filter: '{"kind":"school","id":[1,2],"q":"温州"}' }, SPEC);
    expect(q).toEqual({ sort: { field: 'name', order: 'DESC' }, range: { start: 5, end: 9 }, filter: { kind: 'school', id: [1, 2], q: '温州' } });
  });

  it.each(['sort', 'range', 'filter'] as const)('bad JSON in %s is a 400 naming the parameter', (param) => {
    const r = refusal({ [param]: '{not json' });
    expect(r).toMatchObject({ status: 400, code: 'VALIDATION', field: param });
    expect(r.message).toContain('不是有效的 JSON');
  });

  it.each([
    ['an unknown field', '["passwordHash","ASC"]', '不能按字段 passwordHash 排序'],
    ['SQL in the field', '["id; DROP TABLE users","ASC"]', '不能按字段'],
    ['a field inherited from Object', '["constructor","ASC"]', '不能按字段 constructor 排序'],
    ['__proto__', '["__proto__","ASC"]', '不能按字段 __proto__ 排序'],
    ['hasOwnProperty', '["hasOwnProperty","DESC"]', '不能按字段 hasOwnProperty 排序'],
    ['a bad order', '["id","SIDEWAYS"]', '排序方向应为 ASC 或 DESC'],
    ['SQL in the order', '["id","ASC; DROP TABLE users"]', '排序方向'],
    ['one element', '["id"]', '应为'],
    ['three elements', '["id","ASC","x"]', '应为'],
    ['an object', '{"field":"id"}', '应为'],
    ['a number as field', '[1,"ASC"]', '应为'],
  ])('sort with %s is a 400', (_label, sort, message) => {
    const r = refusal({ sort });
    expect(r).toMatchObject({ status: 400, field: 'sort' });
    expect(r.message).toContain(message);
  });

  it.each([
    ['negative', '[-1,4]'],
    ['reversed', '[9,5]'],
    ['fractional', '[0.5,3]'],
    ['strings', '["0","4"]'],
    ['one number', '[0]'],
    ['a number', '5'],
    ['an object', '{"start":0}'],
    ['beyond safe integers (would reach SQL as 1e+21)', '[1e21,1e21]'],
    ['null', 'null'],
  ])('range %s is a 400', (_label, range) => {
    expect(refusal({ range })).toMatchObject({ status: 400, field: 'range' });
  });

  it(`a page larger than ${MAX_PAGE_SIZE} rows is a 400; exactly ${MAX_PAGE_SIZE} is fine`, () => {
    expect(refusal({ range: `[0,${MAX_PAGE_SIZE}]` })).toMatchObject({ status: 400, field: 'range' });
    expect(refusal({ range: '[0,99999999]' }).message).toContain(`每页最多 ${MAX_PAGE_SIZE} 条`);
    expect(parseListQuery({ range: `[0,${MAX_PAGE_SIZE - 1}]` }, SPEC).range).toEqual({ start: 0, end: MAX_PAGE_SIZE - 1 });
    expect(parseListQuery({ range: '[7,7]' }, SPEC).range).toEqual({ start: 7, end: 7 });
  });

  it.each([
    ['an unknown field', '{"passwordHash":"x"}', '不能按字段 passwordHash 筛选'],
    ['a field inherited from Object', '{"toString":"x"}', '不能按字段 toString 筛选'],
    ['__proto__ (an own key once JSON-parsed)', '{"__proto__":"x"}', '不能按字段 __proto__ 筛选'],
    ['a nested object (operator injection)', '{"kind":{"$ne":"school"}}', '字段 kind 的值'],
    ['null', '{"kind":null}', '字段 kind 的值'],
    ['an array holding an object', '{"id":[1,{"a":1}]}', '字段 id 的值'],
    ['an array of arrays', '{"id":[[1]]}', '字段 id 的值'],
    ['an array as the filter', '[1,2]', '应为 JSON 对象'],
    ['a string as the filter', '"kind"', '应为 JSON 对象'],
  ])('filter with %s is a 400', (_label, filter, message) => {
    const r = refusal({ filter });
    expect(r).toMatchObject({ status: 400, field: 'filter' });
    expect(r.message).toContain(message);
  });

  it(`an id list longer than ${MAX_PAGE_SIZE} is a 400`, () => {
    const ids = Array.from({ length: MAX_PAGE_SIZE + 1 }, (_, i) => i + 1);
    expect(refusal({ filter: JSON.stringify({ id: ids }) })).toMatchObject({ status: 400, field: 'filter' });
    expect(parseListQuery({ filter: JSON.stringify({ id: ids.slice(1) }) }, SPEC).filter.id).toHaveLength(MAX_PAGE_SIZE);
  });

  it('keeps SQL-looking text as a plain value (it is bound as a parameter later)', () => {
    expect(parseListQuery({ filter: JSON.stringify({ q: "'; DROP TABLE users; --" }) }, SPEC).filter).toEqual({ q: "'; DROP TABLE users; --" });
  });

  it('every refusal message is Chinese', () => {
    for (const raw of [{ sort: '[' }, { sort: '["x","ASC"]' }, { range: '[3,1]' }, { filter: '{"x":1}' }]) {
      expect(refusal(raw).message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('setContentRange', () => {
  const sink = () => {
    const headers: Record<string, string> = {};
    return { headers, header: (n: string, v: string) => (headers[n] = v) };
  };
  it('names the resource, the rows answered and the total', () => {
    const s = sink();
    setContentRange(s, 'organisations', parseListQuery({ range: '[0,4]' }, SPEC), 5, 34);
    expect(s.headers['Content-Range']).toBe('organisations 0-4/34');
    const last = sink();
    setContentRange(last, 'organisations', parseListQuery({ range: '[30,39]' }, SPEC), 4, 34);
    expect(last.headers['Content-Range']).toBe('organisations 30-33/34');
  });
});
