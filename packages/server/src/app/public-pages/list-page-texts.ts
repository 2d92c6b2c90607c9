import { DEFAULT_PAGE_BODIES } from '../../domain/public-page-defaults.js';
import { PUBLIC_LANGUAGES, PUBLIC_PAGES, isPublicLanguage, isPublicPage } from '../../domain/public-site.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { findPageText, listPageTexts as storeList } from '../../store/public-pages.js';
import type { Context } from '../context.js';
import { readPublicSiteSettings } from './public-site-settings.js';

/** Admin › Pages: the pages, the languages, which page is written in which, and the site settings. */
export async function listPageTexts(ctx: Context) {
  const [texts, settings] = await Promise.all([storeList(ctx.db), readPublicSiteSettings(ctx)]);
  return {
    pages: [...PUBLIC_PAGES],
    languages: [...PUBLIC_LANGUAGES],
    written: texts.map((text) => ({
      page: text.page,
      language: text.language,
      updatedAt: new Date(text.updatedAt).toISOString(),
    })),
    settings: {
      tagline: settings.tagline,
      hidePriceList: settings.hidePriceList,
      defaultLanguage: settings.defaultLanguage,
    },
  };
}

/**
 * One page in one language for the editor: the admin's text, or (not yet written) empty title and
 * description and the built-in body to start from.
 */
export async function readPageTextForEditing(
  ctx: Context,
  input: { page: string; language: string },
): Promise<Result<{ title: string; description: string; body: string; written: boolean }>> {
  if (!isPublicPage(input.page) || !isPublicLanguage(input.language)) return fail({ code: 'NOT_FOUND' });
  const text = await findPageText(ctx.db, input.page, input.language);
  if (text !== null)
    return ok({ title: text.title, description: text.description, body: text.bodyMarkdown, written: true });
  const { panelName } = await readPublicSiteSettings(ctx);
  const body = DEFAULT_PAGE_BODIES[input.page].replaceAll('{panel}', panelName);
  return ok({ title: '', description: '', body, written: false });
}
