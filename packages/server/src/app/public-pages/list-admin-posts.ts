import { listPosts } from '../../store/public-pages.js';
import type { Context } from '../context.js';

/** Admin › Pages: every post, drafts too, newest first, with its Markdown. */
export async function listAdminPosts(ctx: Context) {
  const posts = await listPosts(ctx.db);
  return {
    posts: posts.map((post) => ({
      id: post.id,
      language: post.language,
      slug: post.slug,
      title: post.title,
      description: post.description,
      body: post.bodyMarkdown,
      published: post.published,
      publishedAt: post.publishedAt === null ? null : new Date(post.publishedAt).toISOString(),
      updatedAt: new Date(post.updatedAt).toISOString(),
    })),
  };
}
