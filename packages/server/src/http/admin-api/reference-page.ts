import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CONTENT_SECURITY_POLICY } from '../web/security-headers.js';

/** swagger-ui-dist's files, served by the panel itself (no CDN), under the panel's own CSP. */
const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, { file: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>smmkit admin API reference</title>
<link rel="stylesheet" href="/admin-api/v1/docs/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="/admin-api/v1/docs/swagger-ui-bundle.js"></script>
<script src="/admin-api/v1/docs/start.js"></script>
</body>
</html>
`;

// In its own file: the CSP allows no inline script.
const START = `window.ui = SwaggerUIBundle({
  url: '/admin-api/v1/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  tryItOutEnabled: false,
});
`;

/** The admin API's reference page at /admin-api/v1/docs, rendered from the OpenAPI document. */
export function registerReferencePage(app: FastifyInstance): void {
  const page = (type: string, body: string | Buffer) => ({ type, body });
  const cache = new Map<string, { type: string; body: string | Buffer }>();
  app.get('/admin-api/v1/docs', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .send(PAGE),
  );
  app.get('/admin-api/v1/docs/start.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(START),
  );
  app.get<{ Params: { asset: string } }>('/admin-api/v1/docs/:asset', async (request, reply) => {
    const asset = ASSETS[request.params.asset];
    if (asset === undefined) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    let loaded = cache.get(asset.file);
    if (loaded === undefined) {
      loaded = page(asset.type, await readFile(join(SWAGGER_UI_DIR, asset.file)));
      cache.set(asset.file, loaded);
    }
    return reply.type(loaded.type).header('cache-control', 'public, max-age=3600').send(loaded.body);
  });
}
