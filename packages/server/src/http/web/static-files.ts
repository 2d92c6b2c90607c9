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

/** The encodings smmkit's build writes beside each text file (`.br`, `.gz`), best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * The encoding to answer in, from the request's Accept-Encoding: the best one the client accepts
 * (q > 0, by name or `*`) of those on offer; null for identity.
 */
export function chooseEncoding(
  acceptEncoding: string | undefined,
  offered: readonly ('br' | 'gzip')[],
): 'br' | 'gzip' | null {
  if (acceptEncoding === undefined || acceptEncoding.trim() === '') return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [token = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find((m) => m !== null);
    const weight = q ? Number(q[1]) : 1;
    if (token !== '') weights.set(token.trim(), Number.isFinite(weight) ? weight : 0);
  }
  let best: 'br' | 'gzip' | null = null;
  let bestWeight = 0;
  for (const name of offered) {
    const weight = weights.get(name) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = name;
      bestWeight = weight;
    }
  }
  return best;
}

/** Paths the SPA never owns: the API, the web panel's JSON endpoints and the operations endpoints. */
const NOT_SPA = /^\/(api|web-api|healthz|readyz|metrics)(\/|$|\?)/;

/**
 * Serves the built SPA: hashed files under /assets/ are cached for a year (their names change with
 * their content), index.html is revalidated on every load (at `/` for signed-in users: see
 * http/public/register-public-pages.ts), and any other GET that asks for HTML
 * (a client route such as /orders) gets index.html so the app can route it. Each text file is sent
 * as its build-time `.br` or `.gz` twin when Accept-Encoding allows (with `Vary: Accept-Encoding`).
 */
export function registerStaticFiles(
  app: FastifyInstance,
  root: string,
): {
  serveSpa: (request: FastifyRequest, reply: FastifyReply) => boolean;
  /** index.html whatever the path (`/` for a signed-in user: the public pages own it for visitors). */
  sendIndex: (request: FastifyRequest, reply: FastifyReply, vary?: string) => boolean;
} {
  const indexPath = join(root, 'index.html');
  let index: Buffer | null = null;
  const readIndex = () => (index ??= existsSync(indexPath) ? readFileSync(indexPath) : null);
  const indexVariants = new Map<string, Buffer | null>();
  const readIndexVariant = (suffix: string) => {
    if (!indexVariants.has(suffix)) {
      const path = indexPath + suffix;
      indexVariants.set(suffix, existsSync(path) ? readFileSync(path) : null);
    }
    return indexVariants.get(suffix) ?? null;
  };

  const sendIndex = (request: FastifyRequest, reply: FastifyReply, vary = 'accept-encoding'): boolean => {
    const plain = readIndex();
    if (plain === null) return false;
    const offered = ENCODINGS.filter((e) => readIndexVariant(e.suffix) !== null).map((e) => e.name);
    const encoding = chooseEncoding(request.headers['accept-encoding'], offered);
    const body = encoding === null ? plain : readIndexVariant(encoding === 'br' ? '.br' : '.gz')!;
    if (encoding !== null) void reply.header('content-encoding', encoding);
    void reply
      .header('content-type', TYPES['.html'])
      .header('vary', vary)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .send(body);
    return true;
  };

  app.get('/assets/*', (request, reply) => {
    const wildcard = (request.params as { '*': string })['*'];
    const assets = join(root, 'assets');
    const path = normalize(join(assets, wildcard));
    if (!path.startsWith(assets + sep) || !existsSync(path) || !statSync(path).isFile()) {
      return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
    }
    // The build's pre-compressed variant when the client takes it (never compressed per request).
    const offered = ENCODINGS.filter((e) => existsSync(path + e.suffix)).map((e) => e.name);
    const encoding = chooseEncoding(request.headers['accept-encoding'], offered);
    const file = encoding === null ? path : path + (encoding === 'br' ? '.br' : '.gz');
    if (encoding !== null) void reply.header('content-encoding', encoding);
    if (offered.length > 0) void reply.header('vary', 'accept-encoding');
    return reply
      .header('content-type', TYPES[extname(path)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(readFileSync(file));
  });

  return {
    sendIndex,
    serveSpa(request, reply) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      if (NOT_SPA.test(request.url)) return false;
      if (!(request.headers.accept ?? '').includes('text/html')) return false;
      return sendIndex(request, reply);
    },
  };
}
