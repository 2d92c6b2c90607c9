import { DEFAULT_PAGE_BODIES } from '../../domain/public-page-defaults.js';
import type { PublicLanguage, PublicPage } from '../../domain/public-site.js';
import { findPageText } from '../../store/public-pages.js';
import { renderAnnouncement as renderMarkdown } from '../announcements/render-markdown.js';
import type { Context } from '../context.js';

/**
 * A public page's text as a visitor reads it. `title` and `description` are null where the page
 * shows its own translated defaults (the page's name, its standard description).
 */
export interface ResolvedPageText {
  readonly title: string | null;
  readonly description: string | null;
  /** Sanitized HTML of the body ('' : none). */
  readonly html: string;
  /** Whose text it is: the admin's in this language, the admin's in the default language, or built in. */
  readonly source: 'language' | 'default-language' | 'built-in';
  /** The language the body is written in (the built-in text is English). */
  readonly language: PublicLanguage;
}

const builtIn = new Map<string, string>();

/** The built-in body, rendered once per page and panel name. */
function builtInHtml(page: PublicPage, panelName: string): string {
  const key = `${page}\u0000${panelName}`;
  let html = builtIn.get(key);
  if (html === undefined) {
    const body = DEFAULT_PAGE_BODIES[page].replaceAll('{panel}', panelName);
    html = body === '' ? '' : renderMarkdown(body);
    if (builtIn.size > 100) builtIn.clear();
    builtIn.set(key, html);
  }
  return html;
}

/**
 * The text of `page` in `language`: the admin's, else the admin's in the panel's default language,
 * else the built-in English text (README › Public pages).
 */
export async function readPageText(
  ctx: Context,
  page: PublicPage,
  language: PublicLanguage,
  site: { defaultLanguage: PublicLanguage; panelName: string },
): Promise<ResolvedPageText> {
  const own = await findPageText(ctx.db, page, language);
  const stored =
    own ??
    (language === site.defaultLanguage ? null : await findPageText(ctx.db, page, site.defaultLanguage));
  if (stored !== null) {
    return {
      title: stored.title === '' ? null : stored.title,
      description: stored.description === '' ? null : stored.description,
      html: stored.bodyHtml,
      source: own !== null ? 'language' : 'default-language',
      language: own !== null ? language : site.defaultLanguage,
    };
  }
  return {
    title: null,
    description: null,
    html: builtInHtml(page, site.panelName),
    source: 'built-in',
    language: 'en',
  };
}
