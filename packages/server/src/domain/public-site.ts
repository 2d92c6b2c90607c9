import {
  LANGUAGES,
  LANGUAGE_NAMES,
  type Language,
  isLanguage,
  isRightToLeft,
} from '@smmkit/contract/languages';

/**
 * The public site (README › Public pages): the languages every page exists in (the panel's, from
 * the contract), the pages, the shape of a post's slug, and the limits of what the admin writes.
 * Pure: no I/O.
 */

export { LANGUAGE_NAMES };

/** Every public page exists in each of the panel's languages, under `/{language}/…`. */
export const PUBLIC_LANGUAGES = LANGUAGES;
export type PublicLanguage = Language;

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

export function isPublicLanguage(value: string): value is PublicLanguage {
  return isLanguage(value);
}

export function isPublicPage(value: string): value is PublicPage {
  return (PUBLIC_PAGES as readonly string[]).includes(value);
}

export function textDirection(language: PublicLanguage): 'ltr' | 'rtl' {
  return isRightToLeft(language) ? 'rtl' : 'ltr';
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
