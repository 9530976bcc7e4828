import { activeMenuEntry, menuEntryKey, showsEntry } from './active-menu-entry.js';

const f = (path: string, filter: Record<string, unknown>) => menuEntryKey({ pathname: path, search: `?filter=${encodeURIComponent(JSON.stringify(filter))}` });
const at = (pathname: string, filter?: Record<string, unknown>, extra = '') => ({
  pathname,
  search: filter ? `?filter=${encodeURIComponent(JSON.stringify(filter))}${extra}` : extra,
});

describe('the one active menu entry', () => {
  // the county reviewer's menu: 订单班备案 and 订单班 open the same list, 认定申请 another
  const filing = f('/order-classes', { state: 'county_filing' });
  const all = f('/order-classes', {});
  const county = ['/tasks', '/certification-applications', filing, all, '/order-class-progress'];

  it('on a list opened from the menu, the entry whose filter the URL carries, whichever was clicked before', () => {
    expect(activeMenuEntry(county, at('/order-classes', { state: 'county_filing' }))).toBe(filing);
    expect(activeMenuEntry(county, at('/order-classes', {}))).toBe(all);
    expect(activeMenuEntry(county, at('/order-classes', { state: 'county_filing' }), all)).toBe(all);
    expect(activeMenuEntry(county, at('/order-classes', {}), filing)).toBe(all);
    // react-admin's own parameters beside the filter change nothing
    expect(activeMenuEntry(county, at('/order-classes', { state: 'county_filing', q: '电气' }, '&page=2&perPage=10'))).toBe(filing);
  });

  it('titles a list as an entry only while the list shows what the entry lists (its path, its filter held)', () => {
    const notices = f('/documents', { kind: 'subsidy_notice' });
    expect(showsEntry(notices, at('/documents', { kind: 'subsidy_notice', q: '补助' }, '&page=2'))).toBe(true);
    // the kind filter cleared or changed: the whole documents list, not 拨付通知
    expect(showsEntry(notices, at('/documents', {}))).toBe(false);
    expect(showsEntry(notices, at('/documents', { kind: 'certificate' }))).toBe(false);
    expect(showsEntry(notices, at('/documents'))).toBe(false);
    // an entry without a filter shows whatever the list is filtered by; a record under the list is not the list
    expect(showsEntry(all, at('/order-classes', { state: 'county_filing' }))).toBe(true);
    expect(showsEntry(all, at('/order-classes'))).toBe(true);
    expect(showsEntry(all, at('/order-classes/12/show'))).toBe(false);
  });

  it('on a record opened from the list, the entry clicked, else the unfiltered one', () => {
    expect(activeMenuEntry(county, at('/order-classes/12/show'), filing)).toBe(filing);
    expect(activeMenuEntry(county, at('/order-classes/12'), all)).toBe(all);
    expect(activeMenuEntry(county, at('/order-classes/12'))).toBe(all);
    expect(activeMenuEntry(county, at('/order-classes/12'), '/tasks')).toBe(all);
  });

  it('the longest path wins (登记订单班 over 我的订单班), other pages match by path, none elsewhere', () => {
    const school = [all, '/order-classes/create', '/practice-import'];
    expect(activeMenuEntry(school, at('/order-classes/create'))).toBe('/order-classes/create');
    expect(activeMenuEntry(school, at('/order-classes/create'), all)).toBe('/order-classes/create');
    expect(activeMenuEntry(county, at('/tasks'))).toBe('/tasks');
    expect(activeMenuEntry(county, at('/certification-applications/4/show'))).toBe('/certification-applications');
    expect(activeMenuEntry(county, at('/order-classes-archive'))).toBeUndefined();
    expect(activeMenuEntry(county, at('/'))).toBeUndefined();
  });

  it('a URL filter that does not parse counts as none', () => {
    expect(activeMenuEntry(county, { pathname: '/order-classes', search: '?filter=%7Bstate' }, filing)).toBe(filing);
    expect(activeMenuEntry(county, { pathname: '/order-classes', search: '?filter=%7Bstate' })).toBe(all);
  });
});
