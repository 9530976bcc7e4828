import { Children, createContext, isValidElement, useCallback, useContext, useLayoutEffect, useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import { Menu, RouterProviderContext, useLocation, useRouterProvider, type MenuItemLinkProps, type MenuProps, type RouterProvider } from 'react-admin';
import { activeMenuEntry, menuEntryKey, showsEntry } from './active-menu-entry';

/** A menu link's target: a path, or a list's path with its `?filter=` (react-admin types MenuItemLinkProps['to'] loosely). */
type Target = string | { pathname?: string; search?: string };

type MenuEntryProps = Omit<MenuItemLinkProps, 'to' | 'onClick'> & { to: Target; onClick?: (e: MouseEvent<HTMLLIElement>) => void };

const MenuTitleContext = createContext<{ title: string | undefined; set: (title: string | undefined) => void }>({ title: undefined, set: () => undefined });

/** Holds the marked menu entry's text for the page's title (around the layout: the menu and the pages both under it). */
export function MenuTitleProvider({ children }: { children: ReactNode }) {
  const [title, set] = useState<string>();
  const value = useMemo(() => ({ title, set }), [title]);
  return <MenuTitleContext.Provider value={value}>{children}</MenuTitleContext.Provider>;
}

/**
 * A list's title: the text of the menu entry marked for the page, so that one list opened by several entries with
 * filters of their own (订单班备案 and 订单班, 拨付通知 and 文件, 实践证明) is titled as the entry the user sees marked;
 * `fallback` where no entry is marked or the menu is not there (folded away on a phone).
 */
export function MenuTitle({ fallback }: { fallback: string }) {
  return <>{useContext(MenuTitleContext).title ?? fallback}</>;
}

/** The entry the user last clicked, kept for the tab's session: a reload of 订单班 filtered by 县级备案 stays on 订单班. */
const CLICKED_KEY = 'portal.menu.clicked';

/** The tab's storage, or none where the browser refuses it (the entry is then remembered until a reload only). */
function tabStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

const ActiveEntry = createContext<{ active: string | undefined; clicked: (key: string) => void }>({ active: undefined, clicked: () => undefined });

/**
 * react-admin's Menu with one entry highlighted: the page's (activeMenuEntry decides among the entries with a `to`).
 * react-admin marks every entry whose path prefixes the page's, so two entries opening one list with different
 * filters (订单班备案 and 订单班) were both marked. The entries are MenuEntry elements, direct children.
 */
export function SingleActiveMenu({ children, ...props }: MenuProps & { children: ReactNode }) {
  const location = useLocation();
  const [clicked, setClicked] = useState<string | undefined>(() => tabStorage()?.getItem(CLICKED_KEY) ?? undefined);
  const remember = useCallback((key: string) => {
    tabStorage()?.setItem(CLICKED_KEY, key);
    setClicked(key);
  }, []);
  const labels = new Map(
    Children.toArray(children).flatMap((c) =>
      isValidElement<{ to?: Target; primaryText?: ReactNode }>(c) && c.props.to !== undefined
        ? [[menuEntryKey(c.props.to), typeof c.props.primaryText === 'string' ? c.props.primaryText : undefined] as const]
        : [],
    ),
  );
  const active = activeMenuEntry([...labels.keys()], location, clicked);
  const value = useMemo(() => ({ active, clicked: remember }), [active, remember]);
  // the page's title follows the entry marked (a list several entries open with filters of their own)
  const setTitle = useContext(MenuTitleContext).set;
  const title = active !== undefined && showsEntry(active, location) ? labels.get(active) : undefined;
  // before paint (no frame with the previous page's title); cleared when the menu goes (on a phone it folds away after
  // a click), so that a page reached without it falls back to its own title
  useLayoutEffect(() => {
    setTitle(title);
    return () => setTitle(undefined);
  }, [setTitle, title]);
  return (
    <ActiveEntry.Provider value={value}>
      <Menu {...props}>{children}</Menu>
    </ActiveEntry.Provider>
  );
}

/**
 * Menu.Item, marked active (RaMenuItemLink-active, aria-current="page") only when it is the menu's one active entry:
 * the router it sees matches the page for it alone.
 */
export function MenuEntry({ onClick, ...props }: MenuEntryProps) {
  const { active, clicked } = useContext(ActiveEntry);
  const key = menuEntryKey(props.to);
  const isActive = active === key;
  const router = useRouterProvider();
  const scoped = useMemo<RouterProvider>(
    () => ({
      ...router,
      useMatch: (pattern) => {
        const match = router.useMatch(pattern);
        return isActive ? match : null;
      },
    }),
    [router, isActive],
  );
  return (
    <RouterProviderContext.Provider value={scoped}>
      <Menu.Item
        {...props}
        aria-current={isActive ? 'page' : undefined}
        onClick={(e: MouseEvent<HTMLLIElement>) => {
          clicked(key);
          onClick?.(e);
        }}
      />
    </RouterProviderContext.Provider>
  );
}
