import { PUBLIC_LANGUAGES, type PublicLanguage } from '../../domain/public-site.js';
import { type BlogPost, findPostBySlug, listPosts, listPublishedPosts } from '../../store/public-pages.js';
import type { Context } from '../context.js';

/** A post as the public pages show it. */
export type PublicPost = BlogPost;

const LISTED = 50;

/**
 * The blog of a language: its published posts, newest first; a language with none shows the
 * default language's, so the blog exists in every language.
 */
export async function readPublishedPosts(
  ctx: Context,
  language: PublicLanguage,
  defaultLanguage: PublicLanguage,
): Promise<BlogPost[]> {
  const own = await listPublishedPosts(ctx.db, language, LISTED);
  if (own.length > 0 || language === defaultLanguage) return own;
  return listPublishedPosts(ctx.db, defaultLanguage, LISTED);
}

/**
 * A published post by its address in `language`, else (not written in that language) the default
 * language's post at the same address; null when neither is published.
 */
export async function readPublishedPost(
  ctx: Context,
  language: PublicLanguage,
  defaultLanguage: PublicLanguage,
  slug: string,
): Promise<BlogPost | null> {
  const own = await findPostBySlug(ctx.db, language, slug);
  if (own !== null) return own.published ? own : null;
  if (language === defaultLanguage) return null;
  const fallback = await findPostBySlug(ctx.db, defaultLanguage, slug);
  return fallback?.published === true ? fallback : null;
}

/**
 * Each published post's address and the languages it is shown in (the sitemap): its own language,
 * and, for a post in the default language, every language that has no post of its own there.
 */
export async function listPostAddresses(
  ctx: Context,
  defaultLanguage: PublicLanguage,
): Promise<{ slug: string; languages: PublicLanguage[] }[]> {
  const posts = await listPosts(ctx.db);
  const bySlug = new Map<string, Map<string, boolean>>();
  for (const post of posts) {
    let languages = bySlug.get(post.slug);
    if (languages === undefined) bySlug.set(post.slug, (languages = new Map<string, boolean>()));
    languages.set(post.language, post.published);
  }
  const addresses: { slug: string; languages: PublicLanguage[] }[] = [];
  for (const [slug, languages] of [...bySlug].sort(([a], [b]) => a.localeCompare(b))) {
    const inDefault = languages.get(defaultLanguage) === true;
    const shown = PUBLIC_LANGUAGES.filter((language) =>
      languages.has(language) ? languages.get(language) === true : inDefault,
    );
    if (shown.length > 0) addresses.push({ slug, languages: shown });
  }
  return addresses;
}
