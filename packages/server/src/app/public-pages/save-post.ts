import { type Result, fail, ok } from '../../domain/errors.js';
import { isPublicLanguage, isSlug, SLUG_MAX } from '../../domain/public-site.js';
import {
  type BlogPostDraft,
  findPost,
  findPostBySlug,
  insertPost,
  updatePost,
} from '../../store/public-pages.js';
import { renderAnnouncement as renderMarkdown } from '../announcements/render-markdown.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { checkPageText } from './check-page-text.js';

export interface PostInput {
  readonly language: string;
  readonly slug: string;
  readonly title: string;
  readonly description: string;
  readonly body: string;
  readonly published: boolean;
}

function draftOf(input: PostInput): Result<BlogPostDraft> {
  if (!isPublicLanguage(input.language))
    return fail({ code: 'INVALID_INPUT', field: 'language', reason: 'not one of the panel languages' });
  const slug = input.slug.trim();
  if (!isSlug(slug))
    return fail({
      code: 'INVALID_INPUT',
      field: 'address',
      reason: `lower-case letters, digits and hyphens, at most ${SLUG_MAX} characters (e.g. new-services)`,
    });
  const checked = checkPageText(input);
  if (!checked.ok) return checked;
  const { title, description, body } = checked.value;
  if (title === '') return fail({ code: 'INVALID_INPUT', field: 'title', reason: 'required' });
  if (body === '') return fail({ code: 'INVALID_INPUT', field: 'body', reason: 'required' });
  return ok({
    language: input.language,
    slug,
    title,
    description,
    bodyMarkdown: body,
    bodyHtml: renderMarkdown(body),
    published: input.published,
  });
}

/** The admin writes a new blog post (Markdown, stored with its sanitized HTML). Audited. */
export async function createPost(ctx: Context, input: PostInput): Promise<Result<{ id: number }>> {
  const draft = draftOf(input);
  if (!draft.ok) return draft;
  const post = draft.value;
  return ctx.db.transaction(async (tx) => {
    const id = await insertPost(tx, post, ctx.clock.now());
    if (id === null)
      return fail<{ id: number }>({ code: 'POST_SLUG_TAKEN', language: post.language, slug: post.slug });
    await recordAudit(tx, ctx, 'post.create', `post:${id}`, {
      language: post.language,
      slug: post.slug,
      published: post.published,
    });
    return ok({ id });
  });
}

/** The admin rewrites a post, publishes or unpublishes it; its first publication date is kept. Audited. */
export async function updatePostText(
  ctx: Context,
  id: number,
  input: PostInput,
): Promise<Result<{ ok: true }>> {
  const draft = draftOf(input);
  if (!draft.ok) return draft;
  const post = draft.value;
  return ctx.db.transaction(async (tx) => {
    if ((await findPost(tx, id)) === null) return fail<{ ok: true }>({ code: 'POST_NOT_FOUND', id });
    const holder = await findPostBySlug(tx, post.language, post.slug);
    if (holder !== null && holder.id !== id)
      return fail<{ ok: true }>({ code: 'POST_SLUG_TAKEN', language: post.language, slug: post.slug });
    await updatePost(tx, id, post, ctx.clock.now());
    await recordAudit(tx, ctx, 'post.update', `post:${id}`, {
      language: post.language,
      slug: post.slug,
      published: post.published,
    });
    return ok({ ok: true as const });
  });
}
