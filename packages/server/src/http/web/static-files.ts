import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';

/** packages/web/dist, from packages/server/{src,dist}/http/web. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Paths the SPA never owns: the API, the web panel's JSON endpoints and the operations endpoints. */
const NOT_SPA = /^\/(api|web-api|healthz|readyz|metrics)(\/|$|\?)/;

/**
 * Serves the built SPA: hashed files under /assets/ are cached for a year (their names change with
 * their content), index.html is revalidated on every load, and any other GET that asks for HTML
 * (a client route such as /orders) gets index.html so the app can route it.
 */
export function registerStaticFiles(
  app: FastifyInstance,
  root: string,
): { serveSpa: (request: FastifyRequest, reply: FastifyReply) => boolean } {
  const indexPath = join(root, 'index.html');
  let index: Buffer | null = null;
  const readIndex = () => (index ??= existsSync(indexPath) ? readFileSync(indexPath) : null);

  const sendIndex = (reply: FastifyReply): boolean => {
    const body = readIndex();
    if (body === null) return false;
    void reply
      .header('content-type', TYPES['.html'])
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .send(body);
    return true;
  };

  app.get('/', (_request, reply) => {
    if (!sendIndex(reply))
      return reply.code(404).send({ error: 'The web panel is not built: run npm run build' });
    return reply;
  });

  app.get('/assets/*', (request, reply) => {
    const wildcard = (request.params as { '*': string })['*'];
    const assets = join(root, 'assets');
    const path = normalize(join(assets, wildcard));
    if (!path.startsWith(assets + sep) || !existsSync(path) || !statSync(path).isFile()) {
      return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
    }
    return reply
      .header('content-type', TYPES[extname(path)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(readFileSync(path));
  });

  return {
    serveSpa(request, reply) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      if (NOT_SPA.test(request.url)) return false;
      if (!(request.headers.accept ?? '').includes('text/html')) return false;
      return sendIndex(reply);
    },
  };
}
