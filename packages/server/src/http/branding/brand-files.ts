import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readBrandImage } from '../../app/branding/read-brand-image.js';
import { BRAND_IMAGE_PATHS } from '../../app/branding/read-branding.js';
import type { BrandAsset } from '../../domain/brand-image.js';
import type { Panel } from '../../panel.js';

/** Whatever the bytes are, a browser must treat them as the detected image only: never sniffed, no script, no framing. */
const IMAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
} as const;

/**
 * The uploaded logo and favicon at stable URLs: `/brand/logo`, `/brand/favicon` and the
 * conventional `/favicon.ico`. With `?v=` naming the current version they are cached for a year
 * (the SPA and emails use that URL, and a new upload gets a new one); without it, revalidated by
 * ETag. Sent with the content type detected at upload, never anything a client could run. None
 * uploaded: 404.
 */
export function registerBrandFiles(app: FastifyInstance, panel: Panel): void {
  const serve = (asset: BrandAsset) => async (request: FastifyRequest, reply: FastifyReply) => {
    const image = await readBrandImage(panel.ctx, asset);
    void reply.headers(IMAGE_HEADERS);
    if (image === null) {
      return reply
        .code(404)
        .header('cache-control', 'no-cache')
        .header('content-type', 'text/plain; charset=utf-8')
        .send('Not found');
    }
    const etag = `"${image.sha256}"`;
    const version = (request.query as { v?: unknown }).v;
    const current = typeof version === 'string' && image.sha256.startsWith(version) && version.length >= 16;
    void reply
      .header('etag', etag)
      .header('cache-control', current ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.header('content-type', image.contentType).send(image.data);
  };
  app.get(BRAND_IMAGE_PATHS.logo, serve('logo'));
  app.get(BRAND_IMAGE_PATHS.favicon, serve('favicon'));
  app.get('/favicon.ico', serve('favicon'));
}
