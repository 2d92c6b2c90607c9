import { isSet, numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** The admin's text of one public page in one language. */
export interface PageText {
  readonly page: string;
  readonly language: string;
  readonly title: string;
  readonly description: string;
  readonly bodyMarkdown: string;
  readonly bodyHtml: string;
  readonly updatedAt: number;
}

interface PageTextRow {
  page: string;
  language: string;
  title: string;
  description: string;
  body_markdown: string;
  body_html: string;
  updated_at: bigint;
}

function toPageText(row: PageTextRow): PageText {
  return {
    page: row.page,
    language: row.language,
    title: row.title,
    description: row.description,
    bodyMarkdown: row.body_markdown,
    bodyHtml: row.body_html,
    updatedAt: Number(row.updated_at),
  };
}

const PAGE_COLUMNS = 'page, language, title, description, body_markdown, body_html, updated_at';
const selectPageText = sql(`SELECT ${PAGE_COLUMNS} FROM public_page_texts WHERE page = ? AND language = ?`);
const selectPageTexts = sql(`SELECT ${PAGE_COLUMNS} FROM public_page_texts ORDER BY page, language`);
const upsertPageTextSql = sql(
  `INSERT INTO public_page_texts (${PAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (page, language) DO UPDATE SET title = excluded.title, description = excluded.description,
     body_markdown = excluded.body_markdown, body_html = excluded.body_html, updated_at = excluded.updated_at`,
);
const deletePageTextSql = sql('DELETE FROM public_page_texts WHERE page = ? AND language = ?');

export async function findPageText(q: Queryable, page: string, language: string): Promise<PageText | null> {
  const row = await q.get<PageTextRow>(selectPageText, [page, language]);
  return row === undefined ? null : toPageText(row);
}

export async function listPageTexts(q: Queryable): Promise<PageText[]> {
  return (await q.all<PageTextRow>(selectPageTexts)).map(toPageText);
}

export async function upsertPageText(q: Queryable, text: PageText): Promise<void> {
  await q.run(upsertPageTextSql, [
    text.page,
    text.language,
    text.title,
    text.description,
    text.bodyMarkdown,
    text.bodyHtml,
    text.updatedAt,
  ]);
}

/** Removes the admin's text (the page falls back again); true when there was one. */
export async function deletePageText(q: Queryable, page: string, language: string): Promise<boolean> {
  return (await q.run(deletePageTextSql, [page, language])) === 1;
}

export interface BlogPost {
  readonly id: number;
  readonly language: string;
  readonly slug: string;
  readonly title: string;
  readonly description: string;
  readonly bodyMarkdown: string;
  readonly bodyHtml: string;
  readonly published: boolean;
  /** When it was first published (kept when unpublished and published again); null: never. */
  readonly publishedAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface BlogPostRow {
  id: bigint;
  language: string;
  slug: string;
  title: string;
  description: string;
  body_markdown: string;
  body_html: string;
  published: bigint;
  published_at: bigint | null;
  created_at: bigint;
  updated_at: bigint;
}

function toBlogPost(row: BlogPostRow): BlogPost {
  return {
    id: Number(row.id),
    language: row.language,
    slug: row.slug,
    title: row.title,
    description: row.description,
    bodyMarkdown: row.body_markdown,
    bodyHtml: row.body_html,
    published: isSet(row.published),
    publishedAt: numberOrNull(row.published_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface BlogPostDraft {
  readonly language: string;
  readonly slug: string;
  readonly title: string;
  readonly description: string;
  readonly bodyMarkdown: string;
  readonly bodyHtml: string;
  readonly published: boolean;
}

const POST_COLUMNS =
  'id, language, slug, title, description, body_markdown, body_html, published, published_at, created_at, updated_at';
const NEWEST_FIRST = 'ORDER BY published_at DESC, id DESC';
const insertPostSql = sql(
  `INSERT INTO blog_posts (language, slug, title, description, body_markdown, body_html, published, published_at, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (language, slug) DO NOTHING RETURNING id`,
);
const updatePostSql = sql(
  `UPDATE blog_posts SET language = ?, slug = ?, title = ?, description = ?, body_markdown = ?, body_html = ?,
     published = ?, published_at = COALESCE(published_at, ?), updated_at = ? WHERE id = ?`,
);
const deletePostSql = sql('DELETE FROM blog_posts WHERE id = ?');
const selectPostById = sql(`SELECT ${POST_COLUMNS} FROM blog_posts WHERE id = ?`);
const selectPostBySlug = sql(`SELECT ${POST_COLUMNS} FROM blog_posts WHERE language = ? AND slug = ?`);
const selectAllPosts = sql(`SELECT ${POST_COLUMNS} FROM blog_posts ORDER BY id DESC`);
const selectPublishedPosts = sql(
  `SELECT ${POST_COLUMNS} FROM blog_posts WHERE language = ? AND published = 1 ${NEWEST_FIRST} LIMIT ?`,
);
const selectPublishedSlugs = sql(
  `SELECT language, slug, updated_at FROM blog_posts WHERE published = 1 ORDER BY language, slug`,
);

/** A new post; null when its slug is taken in its language (the unique index decides under a race). */
export async function insertPost(q: Queryable, draft: BlogPostDraft, now: number): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(insertPostSql, [
    draft.language,
    draft.slug,
    draft.title,
    draft.description,
    draft.bodyMarkdown,
    draft.bodyHtml,
    draft.published ? 1 : 0,
    draft.published ? now : null,
    now,
    now,
  ]);
  return row === undefined ? null : Number(row.id);
}

/** Replaces a post's text and flag; the first publication time is kept. False: no such post. */
export async function updatePost(
  q: Queryable,
  id: number,
  draft: BlogPostDraft,
  now: number,
): Promise<boolean> {
  const changed = await q.run(updatePostSql, [
    draft.language,
    draft.slug,
    draft.title,
    draft.description,
    draft.bodyMarkdown,
    draft.bodyHtml,
    draft.published ? 1 : 0,
    draft.published ? now : null,
    now,
    id,
  ]);
  return changed === 1;
}

export async function deletePost(q: Queryable, id: number): Promise<boolean> {
  return (await q.run(deletePostSql, [id])) === 1;
}

export async function findPost(q: Queryable, id: number): Promise<BlogPost | null> {
  const row = await q.get<BlogPostRow>(selectPostById, [id]);
  return row === undefined ? null : toBlogPost(row);
}

export async function findPostBySlug(q: Queryable, language: string, slug: string): Promise<BlogPost | null> {
  const row = await q.get<BlogPostRow>(selectPostBySlug, [language, slug]);
  return row === undefined ? null : toBlogPost(row);
}

/** Every post, newest first (the admin's list). */
export async function listPosts(q: Queryable): Promise<BlogPost[]> {
  return (await q.all<BlogPostRow>(selectAllPosts)).map(toBlogPost);
}

/** A language's published posts, newest publication first. */
export async function listPublishedPosts(q: Queryable, language: string, limit: number): Promise<BlogPost[]> {
  return (await q.all<BlogPostRow>(selectPublishedPosts, [language, limit])).map(toBlogPost);
}

/** Every published post's language and slug (the sitemap). */
export async function listPublishedSlugs(
  q: Queryable,
): Promise<{ language: string; slug: string; updatedAt: number }[]> {
  const rows = await q.all<{ language: string; slug: string; updated_at: bigint }>(selectPublishedSlugs);
  return rows.map((row) => ({ language: row.language, slug: row.slug, updatedAt: Number(row.updated_at) }));
}
