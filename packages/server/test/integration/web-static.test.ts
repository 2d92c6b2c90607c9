import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/http/server.js';
import { chooseEncoding } from '../../src/http/web/static-files.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';

/** Raw bytes and headers, without any client-side decompression. */
function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the web panel files, pre-compressed at build time', () => {
  let panel: TestPanel;
  let http: FastifyInstance;
  let base: string;
  let root: string;
  const script = `console.log(${JSON.stringify('smmkit '.repeat(400))});\n`;
  const html = `<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body>${'<!-- x -->'.repeat(50)}</body></html>`;

  beforeAll(async () => {
    panel = await TestPanel.start();
    root = mkdtempSync(join(tmpdir(), 'smmkit-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), html);
    writeFileSync(join(root, 'index.html.br'), brotliCompressSync(html));
    writeFileSync(join(root, 'index.html.gz'), gzipSync(html));
    writeFileSync(join(root, 'assets/app-abc123.js'), script);
    writeFileSync(join(root, 'assets/app-abc123.js.br'), brotliCompressSync(script));
    writeFileSync(join(root, 'assets/app-abc123.js.gz'), gzipSync(script));
    // A file the build left uncompressed (too small to gain): always sent as it is.
    writeFileSync(join(root, 'assets/tiny-1.css'), 'a{}');
    http = buildHttpServer(panel.panel, { webRoot: root });
    await http.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await http?.close();
    await panel?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('sends brotli, else gzip, else identity, by Accept-Encoding, with Vary and the year-long cache kept', async () => {
    const br = await get(`${base}/assets/app-abc123.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    expect(br.body.length).toBeLessThan(script.length / 10);

    const gz = await get(`${base}/assets/app-abc123.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);

    for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
      const plain = await get(`${base}/assets/app-abc123.js`, accept ? { 'accept-encoding': accept } : {});
      expect(plain.headers['content-encoding'], accept).toBeUndefined();
      expect(plain.headers.vary, accept).toBe('accept-encoding');
      expect(plain.body.toString(), accept).toBe(script);
    }

    const tiny = await get(`${base}/assets/tiny-1.css`, { 'accept-encoding': 'br, gzip' });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString()).toBe('a{}');
  });

  it('compresses index.html for every client route too, still revalidated on each load', async () => {
    // `/` is the web panel for a signed-in user (a visitor gets the public landing page).
    const { cookie } = (await webUser(panel)).web;
    for (const path of ['/', '/orders', '/admin/users']) {
      const page = await get(`${base}${path}`, {
        accept: 'text/html',
        'accept-encoding': 'br',
        cookie: cookie!,
      });
      expect(page.status, path).toBe(200);
      expect(page.headers['content-encoding'], path).toBe('br');
      expect(page.headers.vary, path).toBe(path === '/' ? 'accept-encoding, cookie' : 'accept-encoding');
      expect(page.headers['cache-control'], path).toBe('no-cache');
      expect(brotliDecompressSync(page.body).toString(), path).toBe(html);
    }
    const missing = await get(`${base}/assets/nope.js`, { 'accept-encoding': 'br' });
    expect(missing.status).toBe(404);
    const escape = await get(`${base}/assets/..%2f..%2fpackage.json`, { 'accept-encoding': 'br' });
    expect(escape.status).toBe(404);
  });

  it('reads Accept-Encoding as RFC 9110 says: weights, a wildcard, and q=0 as a refusal', () => {
    const both = ['br', 'gzip'] as const;
    expect(chooseEncoding('gzip, br', both)).toBe('br');
    expect(chooseEncoding('br;q=0.5, gzip', both)).toBe('gzip');
    expect(chooseEncoding('*', both)).toBe('br');
    expect(chooseEncoding('*;q=0, gzip;q=0.1', both)).toBe('gzip');
    expect(chooseEncoding('br', ['gzip'])).toBeNull();
    expect(chooseEncoding('', both)).toBeNull();
    expect(chooseEncoding('BR;Q=1', both)).toBe('br');
  });
});
