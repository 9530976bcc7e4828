import { defaultLightTheme, type RaThemeOptions } from 'react-admin';

/** Chinese-first font stack: the platform's own CJK font, then the usual system ones. */
export const FONT_STACK = [
  '"PingFang SC"',
  '"Hiragino Sans GB"',
  '"Microsoft YaHei"',
  '"Noto Sans SC"',
  '"Noto Sans CJK SC"',
  '"Source Han Sans SC"',
  '"WenQuanYi Micro Hei"',
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  'sans-serif',
].join(',');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** A plain deep merge (later wins), enough for theme options. */
function merge<T>(base: T, extra: unknown): T {
  if (!isObj(base) || !isObj(extra)) return (extra ?? base) as T;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = isObj(v) && isObj(out[k]) ? merge(out[k], v) : v;
  return out as T;
}

/** A sober government-portal look: deep blue, light grey canvas, white cards. */
export const theme: RaThemeOptions = merge(defaultLightTheme, {
  palette: {
    mode: 'light',
    primary: { main: '#1a4f9c', light: '#4a78c2', dark: '#0f356f', contrastText: '#ffffff' },
    secondary: { main: '#c8102e', light: '#e14b5f', dark: '#8e0b20', contrastText: '#ffffff' },
    background: { default: '#f4f6fa', paper: '#ffffff' },
    text: { primary: '#1f2937', secondary: '#5b6472' },
  },
  shape: { borderRadius: 6 },
  typography: {
    fontFamily: FONT_STACK,
    fontSize: 14,
    h5: { fontWeight: 600, letterSpacing: '0.02em' },
    h6: { fontWeight: 600 },
    button: { textTransform: 'none', fontWeight: 500 },
  },
  sidebar: { width: 220, closedWidth: 55 },
  components: {
    MuiAppBar: {
      styleOverrides: {
        root: { backgroundImage: 'linear-gradient(90deg, #0f356f 0%, #1a4f9c 100%)' },
      },
    },
    MuiPaper: {
      styleOverrides: { elevation1: { boxShadow: '0 1px 3px rgba(15, 53, 111, 0.08), 0 1px 2px rgba(15, 53, 111, 0.06)' } },
    },
    // a list's column header stays on one line (a two-line 县（市、区） or 在班人数 reads badly and makes rows uneven); the
    // cells below still wrap. A list wider than the page (many columns, narrow window) scrolls inside its card instead of
    // widening the page: the layout (react-admin sizes it to fit its content) and its content column may be narrower than a table
    RaDataTable: {
      styleOverrides: { root: { '& .RaDataTable-headerCell': { whiteSpace: 'nowrap' }, '& .RaDataTable-tableWrapper': { overflowX: 'auto' } } },
    },
    RaLayout: {
      styleOverrides: { root: { minWidth: 0, '& .RaLayout-content': { minWidth: 0 } } },
    },
    RaList: {
      styleOverrides: { root: { '& .RaList-main': { minWidth: 0 } } },
    },
    RaMenuItemLink: {
      styleOverrides: {
        root: {
          borderLeft: '3px solid transparent',
          '&.RaMenuItemLink-active': {
            borderLeft: '3px solid #1a4f9c',
            backgroundColor: 'rgba(26, 79, 156, 0.08)',
            color: '#1a4f9c',
            fontWeight: 600,
          },
        },
      },
    },
  },
});
