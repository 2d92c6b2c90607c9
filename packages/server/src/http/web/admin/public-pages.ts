import * as contract from '@smmkit/contract';
import { deletePost } from '../../../app/public-pages/delete-post.js';
import { listAdminPosts } from '../../../app/public-pages/list-admin-posts.js';
import { listPageTexts, readPageTextForEditing } from '../../../app/public-pages/list-page-texts.js';
import { previewPageBody } from '../../../app/public-pages/preview-page-body.js';
import { savePublicSiteSettings } from '../../../app/public-pages/public-site-settings.js';
import { resetPageText, savePageText } from '../../../app/public-pages/save-page-text.js';
import { createPost, updatePostText } from '../../../app/public-pages/save-post.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer } from '../web-reply.js';

/** Admin › Pages (content.write): the public pages' text per language, the site settings, blog posts. */
export function registerPublicPageRoutes(web: WebApp, panel: Panel): void {
  const access = adminRoute('content.write');

  web.route({
    ...contract.listPublicPages,
    config: access,
    handler: async (request) => listPageTexts(contextOf(panel, request)),
  });

  web.route({
    ...contract.getPageText,
    config: access,
    handler: async (request, reply) =>
      answer(reply, await readPageTextForEditing(contextOf(panel, request), request.query)),
  });

  web.route({
    ...contract.savePageText,
    config: access,
    handler: async (request, reply) =>
      answer(reply, await savePageText(contextOf(panel, request), request.body)),
  });

  web.route({
    ...contract.resetPageText,
    config: access,
    handler: async (request, reply) =>
      answer(reply, await resetPageText(contextOf(panel, request), request.body)),
  });

  web.route({
    ...contract.previewPageText,
    config: access,
    handler: async (request, reply) => answer(reply, previewPageBody(request.body)),
  });

  web.route({
    ...contract.savePublicSiteSettings,
    config: access,
    handler: async (request, reply) => {
      const saved = await savePublicSiteSettings(contextOf(panel, request), request.body);
      if (!saved.ok) return answer(reply, saved);
      const { tagline, hidePriceList, defaultLanguage } = saved.value;
      return { tagline, hidePriceList, defaultLanguage };
    },
  });

  web.route({
    ...contract.listPosts,
    config: access,
    handler: async (request) => listAdminPosts(contextOf(panel, request)),
  });

  web.route({
    ...contract.createPost,
    config: access,
    handler: async (request, reply) =>
      answer(reply, await createPost(contextOf(panel, request), request.body)),
  });

  web.route({
    ...contract.updatePost,
    config: access,
    handler: async (request, reply) =>
      answer(reply, await updatePostText(contextOf(panel, request), request.params.id, request.body)),
  });

  web.route({
    ...contract.deletePost,
    config: access,
    handler: async (request, reply) =>
      answer(reply, await deletePost(contextOf(panel, request), request.params.id)),
  });
}
