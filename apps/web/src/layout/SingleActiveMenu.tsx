import { Children, createContext, isValidElement, useContext, useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import { Menu, RouterProviderContext, useLocation, useRouterProvider, type MenuItemLinkProps, type MenuProps, type RouterProvider } from 'react-admin';
import { activeMenuEntry, menuEntryKey } from './active-menu-entry';

/** A menu link's target: a path, or a list's path with its `?filter=` (react-admin types MenuItemLinkProps['to'] loosely). */
type Target = string | { pathname?: string; search?: string };

type MenuEntryProps = Omit<MenuItemLinkProps, 'to' | 'onClick'> & { to: Target; onClick?: (e: MouseEvent<HTMLLIElement>) => void };

const ActiveEntry = createContext<{ active: string | undefined; clicked: (key: string) => void }>({ active: undefined, clicked: () => undefined });

/**
 * react-admin's Menu with one entry highlighted: the page's (activeMenuEntry decides among the entries with a `to`).
 * react-admin marks every entry whose path prefixes the page's, so two entries opening one list with different
 * filters (订单班备案 and 订单班) were both marked. The entries are MenuEntry elements, direct children.
 */
export function SingleActiveMenu({ children, ...props }: MenuProps & { children: ReactNode }) {
  const location = useLocation();
  const [clicked, setClicked] = useState<string>();
  const entries = Children.toArray(children).flatMap((c) => (isValidElement<{ to?: Target }>(c) && c.props.to !== undefined ? [menuEntryKey(c.props.to)] : []));
  const active = activeMenuEntry(entries, location, clicked);
  const value = useMemo(() => ({ active, clicked: setClicked }), [active]);
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
