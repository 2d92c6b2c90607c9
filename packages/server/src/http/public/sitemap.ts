import type { PublicSiteSettings } from '../../app/public-pages/public-site-settings.js';
import { PAGE_PATHS, PUBLIC_LANGUAGES, PUBLIC_PAGES, type PublicLanguage } from '../../domain/public-site.js';
import { escapeHtml as escapeXml, localPath } from './page-frame.js';

/**
 * /sitemap.xml: every public page in every language, each with its alternates (xhtml:link), and
 * every published post's address (a post written in one language is shown in all, README › Public pages).
 */
export function renderSitemap(
  origin: string,
  site: PublicSiteSettings,
  posts: readonly { slug: string; languages: readonly PublicLanguage[] }[],
): string {
  const entries: { path: string; languages: readonly PublicLanguage[] }[] = PUBLIC_PAGES.filter(
    (page) => !(page === 'prices' && site.hidePriceList),
  ).map((page) => ({
    path: PAGE_PATHS[page],
    languages: PUBLIC_LANGUAGES,
  }));
  entries.push(...posts.map((post) => ({ path: `blog/${post.slug}`, languages: post.languages })));
  const urls = entries.flatMap(({ path, languages }) => {
    const alternates = languages.map(
      (lang) =>
        `<xhtml:link rel="alternate" hreflang="${lang}" href="${escapeXml(origin + localPath(lang, path))}"/>`,
    );
    // x-default: the unprefixed address, which sends each visitor to their language (if it is there).
    if (languages.length === PUBLIC_LANGUAGES.length)
      alternates.push(
        `<xhtml:link rel="alternate" hreflang="x-default" href="${escapeXml(`${origin}/${path}`)}"/>`,
      );
    return languages.map(
      (lang) => `<url><loc>${escapeXml(origin + localPath(lang, path))}</loc>${alternates.join('')}</url>`,
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${urls.join('\n')}
</urlset>
`;
}

/** /robots.txt: the public pages open, the APIs and the signed-in areas closed, the sitemap named. */
export function renderRobots(origin: string): string {
  return `User-agent: *
Allow: /
Disallow: /web-api/
Disallow: /api/
Disallow: /admin
Disallow: /admin-api/
Disallow: /payments/
Disallow: /ref/

Sitemap: ${origin}/sitemap.xml
`;
}
