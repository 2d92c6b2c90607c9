import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '@smmkit/contract/languages';
import i18next, { type TFunction } from 'i18next';

/**
 * The server's catalogues (the emails, the public pages): packages/server/locales/<language>/<namespace>.json,
 * the same layout and the same i18next format (`{{name}}`, plural keys `_one`, `_other`…) as the web
 * panel's, read once when the server starts. A key missing in a language falls back to English (the
 * tests fail on any missing key, so that is a safety net, not a plan).
 */
export const SERVER_LOCALES = fileURLToPath(new URL('../../../locales/', import.meta.url));

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function readCatalogues(root: string): Resources {
  const resources: Resources = {};
  for (const language of LANGUAGES) {
    const dir = `${root}${language}`;
    const namespaces: Record<string, Record<string, unknown>> = {};
    if (existsSync(dir))
      for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')))
        namespaces[file.slice(0, -'.json'.length)] = JSON.parse(
          readFileSync(`${dir}/${file}`, 'utf8'),
        ) as Record<string, unknown>;
    resources[language] = namespaces;
  }
  return resources;
}

let instance: typeof i18next | null = null;

function translator(): typeof i18next {
  if (instance !== null) return instance;
  const resources = readCatalogues(SERVER_LOCALES);
  const created = i18next.createInstance();
  // Synchronous: the resources are in memory, so init has finished when it returns.
  void created.init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? {}),
    initAsync: false,
    // Our text goes into HTML through the caller's own escaping (or into plain-text email), never raw.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instance = created;
  return created;
}

/** A translate function for one language and namespace: `t('subject', { panel: 'X' })`. */
export function translatorFor(language: Language, namespace: string): TFunction {
  return translator().getFixedT(language, namespace);
}
