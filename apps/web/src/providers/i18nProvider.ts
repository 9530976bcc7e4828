import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import type { TranslationMessages } from 'react-admin';
import { appChinese, appEnglish } from '../i18n/app-messages';
import { raChinese } from '../i18n/ra-zh';

/** Chinese first (the default), English by the locale menu of the app bar. */
const zhCN: TranslationMessages = { ...englishMessages, ...raChinese, ...appChinese };
const en: TranslationMessages = { ...englishMessages, ...appEnglish };

/** Keys react-admin has and our Chinese lacks (a development aid after upgrading react-admin). */
export function missingChineseKeys(): string[] {
  const missing: string[] = [];
  const walk = (ref: unknown, zh: unknown, path: string) => {
    if (ref && typeof ref === 'object') {
      for (const [k, v] of Object.entries(ref)) walk(v, zh && typeof zh === 'object' ? (zh as Record<string, unknown>)[k] : undefined, path ? `${path}.${k}` : k);
    } else if (typeof zh !== 'string') {
      missing.push(path);
    }
  };
  walk(englishMessages.ra, raChinese.ra, 'ra');
  return missing;
}

if (import.meta.env.DEV) {
  const missing = missingChineseKeys();
  if (missing.length) console.warn('[i18n] ra.* keys without Chinese:', missing);
}

export const i18nProvider = polyglotI18nProvider(
  (locale) => (locale === 'en' ? en : zhCN),
  'zh-CN',
  [
    { locale: 'zh-CN', name: '简体中文' },
    { locale: 'en', name: 'English' },
  ],
  { allowMissing: true },
);
