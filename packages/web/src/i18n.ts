/// <reference types="vite/client" />
import { DEFAULT_LANGUAGE, LANGUAGES, type Language, isRightToLeft } from '@smmkit/contract/languages';
import i18next, { type BackendModule, type ReadCallback } from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * The web panel's catalogues: src/locales/<language>/<namespace>.json, each its own small chunk, loaded
 * when a page of that namespace first renders in that language (a customer downloads their language
 * only, and only the pages they open). `common` holds the shell, `status` the order, refill and
 * subscription statuses, `errors` the failures by code.
 * Keys are written once, in English (en), and every language must have every key: the catalogue test
 * (locales.test.ts) fails otherwise.
 */
const catalogues = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');

const lazyCatalogues: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language: string, namespace: string, callback: ReadCallback) {
    const load = catalogues[`./locales/${language}/${namespace}.json`];
    if (load === undefined) {
      callback(null, {});
      return;
    }
    load().then(
      (module) => callback(null, module.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  },
};

void i18next
  .use(lazyCatalogues)
  .use(initReactI18next)
  .init({
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    // Loaded with the language, before anything renders: the shell, statuses and failures.
    ns: ['common', 'status', 'errors'],
    defaultNS: 'common',
    // React escapes what it renders; a translation is text, never HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: true },
  });

export const i18n = i18next;

/**
 * Switches the page to a language: its `common` catalogue loaded first (so nothing flashes in
 * English), then `<html lang dir>` set, right to left for Arabic.
 */
export async function showLanguage(language: Language): Promise<void> {
  if (i18next.language !== language || !i18next.hasLoadedNamespace('common')) {
    await i18next.loadLanguages(language);
    await i18next.changeLanguage(language);
  }
  document.documentElement.lang = language;
  document.documentElement.dir = isRightToLeft(language) ? 'rtl' : 'ltr';
}

/** The language the page is in now. */
export function currentLanguage(): Language {
  const language = i18next.language;
  return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : DEFAULT_LANGUAGE;
}
