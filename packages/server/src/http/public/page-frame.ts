import {
  LANGUAGE_NAMES,
  PUBLIC_LANGUAGES,
  type PublicLanguage,
  openGraphLocale,
  textDirection,
} from '../../domain/public-site.js';
import type { PublicSiteSettings } from '../../app/public-pages/public-site-settings.js';
import { publicText } from './public-strings.js';
import { SITE_CSS_PATH } from './site-css.js';

/** Text as HTML text or attribute value: everything an admin or a customer typed goes through this. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A page's address under a language: `/ru/` for the landing page, `/ru/terms`, `/ru/blog/news`. */
export function localPath(language: PublicLanguage, path: string): string {
  return path === '' ? `/${language}/` : `/${language}/${path}`;
}

export interface PageFrame {
  readonly language: PublicLanguage;
  readonly site: PublicSiteSettings;
  /** SMMKIT_PUBLIC_URL, else the request's origin: canonical and alternate URLs are absolute. */
  readonly origin: string;
  /** The page's path under the language prefix ('' : the landing page); the same in every language. */
  readonly path: string;
  readonly title: string;
  readonly description: string;
  readonly ogType: 'website' | 'article';
  /** The page's content: HTML built by the views, with every text escaped. */
  readonly main: string;
  /** The languages the page exists in (default: all); a post may be in fewer. */
  readonly languages?: readonly PublicLanguage[];
  /** Not a real page (404): no canonical, no alternates, not indexed. */
  readonly notFound?: boolean;
}

/**
 * The whole HTML document of a public page: head with title, description, canonical, Open Graph and
 * hreflang alternates; the site header, the content, and the footer with every language. No script.
 */
export function renderPageFrame(frame: PageFrame): string {
  const { language, site, origin } = frame;
  const t = (key: string, values: Record<string, string | number> = {}) =>
    escapeHtml(publicText(language, key, { panel: site.panelName, ...values }));
  const url = (lang: PublicLanguage) => `${origin}${localPath(lang, frame.path)}`;
  const xDefault = `${origin}/${frame.path}`;
  const head: string[] = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(frame.title)}</title>`,
    `<meta name="description" content="${escapeHtml(frame.description)}">`,
  ];
  if (frame.notFound === true) {
    head.push('<meta name="robots" content="noindex">');
  } else {
    head.push(`<link rel="canonical" href="${escapeHtml(url(language))}">`);
    const languages = frame.languages ?? PUBLIC_LANGUAGES;
    for (const lang of languages)
      head.push(`<link rel="alternate" hreflang="${lang}" href="${escapeHtml(url(lang))}">`);
    if (languages.length === PUBLIC_LANGUAGES.length)
      head.push(`<link rel="alternate" hreflang="x-default" href="${escapeHtml(xDefault)}">`);
    head.push(
      `<meta property="og:title" content="${escapeHtml(frame.title)}">`,
      `<meta property="og:description" content="${escapeHtml(frame.description)}">`,
      `<meta property="og:url" content="${escapeHtml(url(language))}">`,
      `<meta property="og:type" content="${frame.ogType}">`,
      `<meta property="og:site_name" content="${escapeHtml(site.panelName)}">`,
      `<meta property="og:locale" content="${openGraphLocale(language)}">`,
      ...PUBLIC_LANGUAGES.filter((lang) => lang !== language).map(
        (lang) => `<meta property="og:locale:alternate" content="${openGraphLocale(lang)}">`,
      ),
    );
  }
  head.push(`<link rel="stylesheet" href="${SITE_CSS_PATH}">`);

  const link = (path: string, key: string) => `<li><a href="${localPath(language, path)}">${t(key)}</a></li>`;
  const nav = [
    site.hidePriceList ? '' : link('prices', 'nav.prices'),
    link('blog', 'nav.blog'),
    link('faq', 'nav.faq'),
    `<li><a href="/login">${t('nav.login')}</a></li>`,
    `<li><a class="button primary" href="/signup">${t('nav.signup')}</a></li>`,
  ].join('');
  const legal = [
    link('terms', 'nav.terms'),
    link('privacy', 'nav.privacy'),
    link('refund-policy', 'nav.refund'),
    link('faq', 'nav.faq'),
  ].join('');
  const languageLinks = (frame.languages ?? PUBLIC_LANGUAGES)
    .map(
      (lang) =>
        `<li><a href="${localPath(lang, frame.path)}" hreflang="${lang}" lang="${lang}"${
          lang === language ? ' aria-current="page"' : ''
        }>${escapeHtml(LANGUAGE_NAMES[lang])}</a></li>`,
    )
    .join('');
  const year = new Date().getUTCFullYear();

  return `<!doctype html>
<html lang="${language}" dir="${textDirection(language)}">
<head>
${head.join('\n')}
</head>
<body>
<a class="skip" href="#main">${t('skip')}</a>
<header class="site-header">
<a class="brand" href="${localPath(language, '')}">${escapeHtml(site.panelName)}</a>
<nav class="site-nav" aria-label="${t('nav.main')}"><ul>${nav}</ul></nav>
</header>
<main id="main">
${frame.main}
</main>
<footer class="site-footer">
<nav aria-label="${t('nav.footer')}"><ul>${legal}</ul></nav>
<nav aria-label="${t('nav.languages')}"><ul>${languageLinks}</ul></nav>
<p class="muted">${t('footer.copyright', { year })}</p>
</footer>
</body>
</html>
`;
}
