/**
 * Which one menu entry is the open page's. Several entries open the same list with a filter of their own
 * (订单班备案 and 订单班, 待确认订单班 and 我的订单班, 校方审批 and 教师实践 …), and a path prefix (react-admin's rule) matches
 * them all, and 我的订单班 also 登记订单班's create form. An entry is named by its target: the path and, for a filtered
 * list, `?filter=<JSON>` (as AppMenu's links carry it).
 *
 * - the entries whose path the page is at or under, the longest path winning (/order-classes/create over /order-classes);
 * - on a list whose URL carries a filter: the entries whose own filter it contains — the one the user clicked if it is
 *   one of them (订单班 still, after they filtered its list by a stage), else the most specific (a reloaded 订单班备案);
 * - elsewhere (a record opened from the list): the entry the user clicked, else the one without a filter.
 */
export function activeMenuEntry(entries: readonly string[], location: { pathname: string; search: string }, clicked?: string): string | undefined {
  const under = entries.filter((e) => {
    const path = pathOf(e);
    return location.pathname === path || location.pathname.startsWith(`${path}/`);
  });
  const longest = Math.max(...under.map((e) => pathOf(e).length));
  const candidates = under.filter((e) => pathOf(e).length === longest);
  if (candidates.length <= 1) return candidates[0];
  const current = filterOf(location.search);
  if (current) {
    const contained = candidates.filter((e) => showsEntry(e, location));
    if (clicked !== undefined && contained.includes(clicked)) return clicked;
    if (contained.length) return contained.reduce((best, e) => (keys(e) > keys(best) ? e : best));
  }
  if (clicked !== undefined && candidates.includes(clicked)) return clicked;
  return candidates.find((e) => keys(e) === 0) ?? candidates[0];
}

/**
 * Whether the page shows what the entry lists: the page is the entry's path and its filter holds the entry's own (a
 * list opened by 拨付通知 and then cleared of its kind filter no longer lists 拨付通知 alone). For the page's title.
 */
export function showsEntry(entry: string, location: { pathname: string; search: string }): boolean {
  if (location.pathname !== pathOf(entry)) return false;
  const current = filterOf(location.search) ?? {};
  return Object.entries(filterOf(entry) ?? {}).every(([k, v]) => k in current && same(current[k], v));
}

/** An entry's target as a string (the `to` of a menu link: a path, or a location with its search). */
export function menuEntryKey(to: string | { pathname?: string; search?: string }): string {
  return typeof to === 'string' ? to : `${to.pathname ?? ''}${to.search ?? ''}`;
}

const pathOf = (target: string) => target.split('?')[0];

/** The list filter in a URL's search (`filter=<JSON>`), or undefined for none (or one that does not parse). */
function filterOf(target: string): Record<string, unknown> | undefined {
  const search = target.includes('?') ? target.slice(target.indexOf('?')) : '';
  const raw = new URLSearchParams(search).get('filter');
  if (raw === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const keys = (entry: string) => Object.keys(filterOf(entry) ?? {}).length;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
