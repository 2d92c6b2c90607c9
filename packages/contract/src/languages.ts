/**
 * The languages the web panel, the public pages and the emails speak. API v2 always answers in
 * English, as its contract says; these are for people. One list, shared by the server (negotiation,
 * emails, public pages) and the web app (its catalogues), so the two can never disagree.
 */
export const LANGUAGES = ['en', 'ru', 'tr', 'pt-BR', 'es', 'hi', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The language a panel speaks until its owner picks another (the `default_language` setting). */
export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language by its own name, as a visitor looks for it in a picker. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  ru: 'Русский',
  tr: 'Türkçe',
  'pt-BR': 'Português (Brasil)',
  es: 'Español',
  hi: 'हिन्दी',
  ar: 'العربية',
};

/** The cookie a visitor's choice is kept in before they have an account to save it on. */
export const LANGUAGE_COOKIE = 'smmkit_lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** A language written right to left: its pages get `dir="rtl"` and a mirrored layout. */
export function isRightToLeft(language: Language): boolean {
  return language === 'ar';
}

/**
 * The supported language a tag names, matched case-insensitively: the exact tag ("pt-BR"), else its
 * primary subtag ("ru-RU" → ru, "pt-PT" and "pt" → pt-BR, the only Portuguese we speak); null when none.
 */
export function languageOf(tag: string): Language | null {
  const wanted = tag.trim().toLowerCase();
  if (wanted === '') return null;
  const exact = LANGUAGES.find((language) => language.toLowerCase() === wanted);
  if (exact !== undefined) return exact;
  const primary = wanted.split('-')[0];
  return LANGUAGES.find((language) => language.toLowerCase().split('-')[0] === primary) ?? null;
}

/**
 * The best supported language an Accept-Language header asks for (RFC 9110 §12.5.4: by weight, then
 * order; `q=0` refuses), else `fallback`. Malformed parts are skipped, never an error.
 */
export function negotiateLanguage(acceptLanguage: string | undefined, fallback: Language): Language {
  if (acceptLanguage === undefined) return fallback;
  const ranges = acceptLanguage
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param)).find(Boolean);
      return { tag: tag.trim(), weight: q ? Number(q[1]) : 1, index };
    })
    .filter((range) => range.tag !== '' && range.tag !== '*' && range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const range of ranges) {
    const language = languageOf(range.tag);
    if (language !== null) return language;
  }
  return fallback;
}
