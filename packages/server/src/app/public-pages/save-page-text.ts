import { type Result, fail, ok } from '../../domain/errors.js';
import { isPublicLanguage, isPublicPage } from '../../domain/public-site.js';
import { deletePageText, upsertPageText } from '../../store/public-pages.js';
import { renderAnnouncement as renderMarkdown } from '../announcements/render-markdown.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { checkPageText } from './check-page-text.js';

/**
 * The admin writes a public page in one language: title and description ('' : the page's
 * translated defaults) and a Markdown body, stored with its sanitized HTML. Audited.
 */
export async function savePageText(
  ctx: Context,
  input: { page: string; language: string; title: string; description: string; body: string },
): Promise<Result<{ ok: true }>> {
  if (!isPublicPage(input.page)) return fail({ code: 'NOT_FOUND' });
  if (!isPublicLanguage(input.language)) return fail({ code: 'NOT_FOUND' });
  const checked = checkPageText(input);
  if (!checked.ok) return checked;
  const { title, description, body } = checked.value;
  const bodyHtml = body === '' ? '' : renderMarkdown(body);
  const { page, language } = input;
  return ctx.db.transaction(async (tx) => {
    await upsertPageText(tx, {
      page,
      language,
      title,
      description,
      bodyMarkdown: body,
      bodyHtml,
      updatedAt: ctx.clock.now(),
    });
    await recordAudit(tx, ctx, 'public-page.save', `page:${page}/${language}`, { title });
    return ok({ ok: true as const });
  });
}

/** Removes the admin's text of a page in one language: it falls back again. Audited. */
export async function resetPageText(
  ctx: Context,
  input: { page: string; language: string },
): Promise<Result<{ ok: true }>> {
  if (!isPublicPage(input.page) || !isPublicLanguage(input.language)) return fail({ code: 'NOT_FOUND' });
  const { page, language } = input;
  return ctx.db.transaction(async (tx) => {
    if (!(await deletePageText(tx, page, language))) return fail<{ ok: true }>({ code: 'NOT_FOUND' });
    await recordAudit(tx, ctx, 'public-page.reset', `page:${page}/${language}`, {});
    return ok({ ok: true as const });
  });
}
