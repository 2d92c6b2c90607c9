/**
 * The public site (README › Public pages): the languages every page exists in, the pages, the
 * shape of a post's slug, and the limits of what the admin writes. Pure: no I/O.
 */

/** Every public page exists in each of these, under `/{language}/…`; the first is the fallback. */
export const PUBLIC_LANGUAGES = ['en', 'ru', 'tr', 'pt-BR', 'es', 'hi', 'ar'] as const;
export type PublicLanguage = (typeof PUBLIC_LANGUAGES)[number];

/** The public pages, each with its path under the language prefix ('' is the landing page). */
export const PUBLIC_PAGES = ['home', 'prices', 'terms', 'privacy', 'refund-policy', 'faq', 'blog'] as const;
export type PublicPage = (typeof PUBLIC_PAGES)[number];

export const PAGE_PATHS: { readonly [P in PublicPage]: string } = {
  home: '',
  prices: 'prices',
  terms: 'terms',
  privacy: 'privacy',
  'refund-policy': 'refund-policy',
  faq: 'faq',
  blog: 'blog',
};

/** Languages written right to left: their pages are `<html dir="rtl">`. */
const RIGHT_TO_LEFT: ReadonlySet<PublicLanguage> = new Set(['ar']);

/** Open Graph's locale names (language_TERRITORY). */
const OG_LOCALES: { readonly [L in PublicLanguage]: string } = {
  en: 'en_US',
  ru: 'ru_RU',
  tr: 'tr_TR',
  'pt-BR': 'pt_BR',
  es: 'es_ES',
  hi: 'hi_IN',
  ar: 'ar_AR',
};

/** Each language's name in itself, for the language links of every page. */
export const LANGUAGE_NAMES: { readonly [L in PublicLanguage]: string } = {
  en: 'English',
  ru: 'Русский',
  tr: 'Türkçe',
  'pt-BR': 'Português (Brasil)',
  es: 'Español',
  hi: 'हिन्दी',
  ar: 'العربية',
};

export function isPublicLanguage(value: string): value is PublicLanguage {
  return (PUBLIC_LANGUAGES as readonly string[]).includes(value);
}

export function isPublicPage(value: string): value is PublicPage {
  return (PUBLIC_PAGES as readonly string[]).includes(value);
}

export function textDirection(language: PublicLanguage): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(language) ? 'rtl' : 'ltr';
}

export function openGraphLocale(language: PublicLanguage): string {
  return OG_LOCALES[language];
}

/** A post's slug: lower-case letters, digits and single hyphens, 1–80 characters. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 80;

export function isSlug(value: string): boolean {
  return value.length <= SLUG_MAX && SLUG_PATTERN.test(value);
}

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 300;
export const BODY_MAX = 50_000;
export const TAGLINE_MAX = 160;

/**
 * The language a visitor reads: their saved choice (the language cookie) when it is one of ours,
 * else the best of Accept-Language (by weight; `pt` matches `pt-BR`, `en-GB` matches `en`), else
 * the panel's default.
 */
export function chooseVisitorLanguage(
  cookie: string | undefined,
  acceptLanguage: string | undefined,
  panelDefault: PublicLanguage,
): PublicLanguage {
  if (cookie !== undefined) {
    const chosen = matchLanguage(cookie.trim());
    if (chosen !== null) return chosen;
  }
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/i.exec(p)).find((m) => m !== null);
      const weight = q ? Number(q[1]) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const entry of ranked) {
    const matched = matchLanguage(entry.tag);
    if (matched !== null) return matched;
  }
  return panelDefault;
}

/** One of our languages for a BCP 47 tag: exact (any case), else by its primary language. */
function matchLanguage(tag: string): PublicLanguage | null {
  const lower = tag.toLowerCase();
  const exact = PUBLIC_LANGUAGES.find((language) => language.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const primary = lower.split('-')[0];
  return PUBLIC_LANGUAGES.find((language) => language.toLowerCase().split('-')[0] === primary) ?? null;
}
