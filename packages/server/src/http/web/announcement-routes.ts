import * as contract from '@smmkit/contract';
import {
  deleteAnnouncement,
  listAdminAnnouncements,
  listCustomerAnnouncements,
  postAnnouncement,
  previewAnnouncement,
  readAnnouncements,
} from '../../app/announcements/announcements.js';
import type { Panel } from '../../panel.js';
import type { WebApp } from './web-app.js';
import { adminRoute, contextOf, sessionOf } from './web-access.js';
import { answer } from './web-reply.js';

/** Announcements: every logged-in user reads them; staff with content.write post and delete them. */
export function registerAnnouncementRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listAnnouncements,
    handler: async (request) => listCustomerAnnouncements(panel.ctx, sessionOf(request).userId),
  });

  web.route({
    ...contract.readAnnouncements,
    handler: async (request) => {
      await readAnnouncements(panel.ctx, sessionOf(request).userId, request.body.upTo);
      return { ok: true as const };
    },
  });

  web.route({
    ...contract.listAdminAnnouncements,
    config: adminRoute('content.write'),
    handler: async () => listAdminAnnouncements(panel.ctx),
  });

  web.route({
    ...contract.postAnnouncement,
    config: adminRoute('content.write'),
    handler: async (request, reply) =>
      answer(reply, await postAnnouncement(contextOf(panel, request), request.body)),
  });

  web.route({
    ...contract.previewAnnouncement,
    config: adminRoute('content.write'),
    handler: async (request, reply) => answer(reply, previewAnnouncement(request.body)),
  });

  web.route({
    ...contract.deleteAnnouncement,
    config: adminRoute('content.write'),
    handler: async (request, reply) =>
      answer(reply, await deleteAnnouncement(contextOf(panel, request), request.params.id)),
  });
}
