import { type Static, Type } from 'typebox';
import { Done } from '../accounts.js';
import { endpoint } from '../endpoint.js';
import { Id, IsoTime, List, Nullable } from '../primitives.js';
import { IdParams } from '../request-params.js';

/**
 * Admin › Pages (content.write): the public pages' text per language, the site settings, and blog
 * posts (README › Public pages). Pages and languages are the server's lists (`pages`, `languages`).
 */
export const PublicSiteSettingsView = Type.Object(
  { tagline: Type.String(), hidePriceList: Type.Boolean(), defaultLanguage: Type.String() },
  { title: 'PublicSiteSettingsView' },
);
export type PublicSiteSettingsView = Static<typeof PublicSiteSettingsView>;

export const PublicPagesOverview = Type.Object(
  {
    pages: List(Type.String()),
    languages: List(Type.String()),
    /** Which page the admin has written in which language (the rest fall back). */
    written: List(Type.Object({ page: Type.String(), language: Type.String(), updatedAt: IsoTime })),
    settings: PublicSiteSettingsView,
  },
  { title: 'PublicPagesOverview' },
);
export type PublicPagesOverview = Static<typeof PublicPagesOverview>;

export const PageTextQuery = Type.Object(
  { page: Type.String({ maxLength: 40 }), language: Type.String({ maxLength: 10 }) },
  { title: 'PageTextQuery', additionalProperties: false },
);
export type PageTextQuery = Static<typeof PageTextQuery>;

/** Not yet written (`written` false): empty title and description, and the built-in body to start from. */
export const PageTextView = Type.Object(
  { title: Type.String(), description: Type.String(), body: Type.String(), written: Type.Boolean() },
  { title: 'PageTextView' },
);
export type PageTextView = Static<typeof PageTextView>;

/** Title and description '' : the page's translated defaults. */
export const PageTextBody = Type.Object(
  {
    page: Type.String({ maxLength: 40 }),
    language: Type.String({ maxLength: 10 }),
    title: Type.String({ maxLength: 200 }),
    description: Type.String({ maxLength: 300 }),
    body: Type.String({ maxLength: 50_000 }),
  },
  { title: 'PageTextBody', additionalProperties: false },
);
export type PageTextBody = Static<typeof PageTextBody>;

export const PagePreviewBody = Type.Object(
  { body: Type.String({ maxLength: 50_000 }) },
  { title: 'PagePreviewBody', additionalProperties: false },
);
export type PagePreviewBody = Static<typeof PagePreviewBody>;

export const PagePreview = Type.Object({ html: Type.String() }, { title: 'PagePreview' });
export type PagePreview = Static<typeof PagePreview>;

export const PublicSiteSettingsBody = Type.Object(
  {
    tagline: Type.String({ maxLength: 160 }),
    hidePriceList: Type.Boolean(),
    defaultLanguage: Type.String({ maxLength: 10 }),
  },
  { title: 'PublicSiteSettingsBody', additionalProperties: false },
);
export type PublicSiteSettingsBody = Static<typeof PublicSiteSettingsBody>;

export const AdminPost = Type.Object(
  {
    id: Id,
    language: Type.String(),
    slug: Type.String(),
    title: Type.String(),
    description: Type.String(),
    body: Type.String(),
    published: Type.Boolean(),
    publishedAt: Nullable(IsoTime),
    updatedAt: IsoTime,
  },
  { title: 'AdminPost' },
);
export type AdminPost = Static<typeof AdminPost>;

export const AdminPostList = Type.Object({ posts: List(AdminPost) }, { title: 'AdminPostList' });
export type AdminPostList = Static<typeof AdminPostList>;

/** `slug`: the post's address, `/{language}/blog/{slug}`: lower-case letters, digits and hyphens. */
export const BlogPostBody = Type.Object(
  {
    language: Type.String({ maxLength: 10 }),
    slug: Type.String({ maxLength: 80 }),
    title: Type.String({ maxLength: 200 }),
    description: Type.String({ maxLength: 300 }),
    body: Type.String({ maxLength: 50_000 }),
    published: Type.Boolean(),
  },
  { title: 'BlogPostBody', additionalProperties: false },
);
export type BlogPostBody = Static<typeof BlogPostBody>;

export const NewPost = Type.Object({ id: Id }, { title: 'NewPost' });
export type NewPost = Static<typeof NewPost>;

export const listPublicPages = endpoint('GET', '/admin/pages', { answer: PublicPagesOverview });
export const getPageText = endpoint('GET', '/admin/pages/text', {
  querystring: PageTextQuery,
  answer: PageTextView,
});
export const savePageText = endpoint('PUT', '/admin/pages/text', { body: PageTextBody, answer: Done });
/** Removes the admin's text of a page in one language: it falls back to the default language's. */
export const resetPageText = endpoint('POST', '/admin/pages/text/reset', {
  body: PageTextQuery,
  answer: Done,
});
/** Renders a draft's Markdown as visitors would see it; stores nothing. */
export const previewPageText = endpoint('POST', '/admin/pages/preview', {
  body: PagePreviewBody,
  answer: PagePreview,
});
export const savePublicSiteSettings = endpoint('PUT', '/admin/pages/settings', {
  body: PublicSiteSettingsBody,
  answer: PublicSiteSettingsView,
});
export const listPosts = endpoint('GET', '/admin/posts', { answer: AdminPostList });
export const createPost = endpoint('POST', '/admin/posts', { body: BlogPostBody, answer: NewPost });
export const updatePost = endpoint('PUT', '/admin/posts/:id', {
  params: IdParams,
  body: BlogPostBody,
  answer: Done,
});
export const deletePost = endpoint('DELETE', '/admin/posts/:id', { params: IdParams, answer: Done });
