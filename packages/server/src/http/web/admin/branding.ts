import * as contract from '@smmkit/contract';
import { readBrandSettings } from '../../../app/branding/brand-settings.js';
import { removeBrandImage } from '../../../app/branding/remove-brand-image.js';
import { setPrimaryColour } from '../../../app/branding/set-primary-colour.js';
import { uploadBrandImage } from '../../../app/branding/upload-brand-image.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer } from '../web-reply.js';

/** Admin › Settings › Branding: the primary colour, the logo and the favicon. */
export function registerBrandingRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getBranding,
    config: adminRoute('dashboard.read'),
    handler: async (request) => readBrandSettings(contextOf(panel, request)),
  });
  web.route({
    ...contract.saveBrandColour,
    config: adminRoute('settings.write'),
    handler: async (request, reply) =>
      answer(reply, await setPrimaryColour(contextOf(panel, request), request.body)),
  });
  web.route({
    ...contract.uploadLogo,
    config: adminRoute('settings.write'),
    handler: async (request, reply) =>
      answer(
        reply,
        await uploadBrandImage(contextOf(panel, request), { asset: 'logo', base64: request.body.image }),
      ),
  });
  web.route({
    ...contract.removeLogo,
    config: adminRoute('settings.write'),
    handler: async (request, reply) =>
      answer(reply, await removeBrandImage(contextOf(panel, request), 'logo')),
  });
  web.route({
    ...contract.uploadFavicon,
    config: adminRoute('settings.write'),
    handler: async (request, reply) =>
      answer(
        reply,
        await uploadBrandImage(contextOf(panel, request), { asset: 'favicon', base64: request.body.image }),
      ),
  });
  web.route({
    ...contract.removeFavicon,
    config: adminRoute('settings.write'),
    handler: async (request, reply) =>
      answer(reply, await removeBrandImage(contextOf(panel, request), 'favicon')),
  });
}
