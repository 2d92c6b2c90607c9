import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkBrandImage, readImageHeader } from './brand-image.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/images/${name}`, import.meta.url));

/** The 24-byte start of a PNG (signature + IHDR) claiming the given size. */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(13);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    length,
    Buffer.from('IHDR'),
    ihdr,
    Buffer.alloc(4),
    deflateSync(Buffer.alloc(16)),
  ]);
}

describe('brand images', () => {
  it.each([
    ['python.png', 'png', 'image/png', 16, 16],
    ['python.jpg', 'jpeg', 'image/jpeg', 16, 16],
    ['python.gif', 'gif', 'image/gif', 16, 16],
    ['python.webp', 'webp', 'image/webp', 16, 16],
    ['idle.ico', 'ico', 'image/x-icon', 256, 256],
  ])('reads %s: format, content type and size from its bytes', (name, format, contentType, width, height) => {
    expect(readImageHeader(fixture(name))).toEqual({ format, contentType, width, height });
    expect(checkBrandImage('favicon', fixture(name))).toEqual({
      ok: true,
      image: { format, contentType, width, height },
    });
  });

  it('refuses HTML, SVG (even behind a BOM or an XML prologue), text and other image formats', () => {
    const refusals = [
      Buffer.from('<!doctype html><html><script>alert(1)</script></html>'),
      Buffer.from('GIF89<script>'),
      Buffer.from('hello'),
      readFileSync('/dev/null'),
    ].map((bytes) => checkBrandImage('logo', bytes));
    expect(refusals.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      'not a PNG, JPEG, WebP, GIF or ICO image',
      'not a PNG, JPEG, WebP, GIF or ICO image',
      'not a PNG, JPEG, WebP, GIF or ICO image',
      'the file is empty',
    ]);
    for (const svg of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '\uFEFF  <?xml version="1.0"?><svg/>',
      '<!DOCTYPE svg><svg onload="alert(1)"/>',
    ]) {
      expect(checkBrandImage('logo', Buffer.from(svg))).toEqual({
        ok: false,
        reason: 'SVG is not accepted (it can carry script): upload a PNG, JPEG, WebP, GIF or ICO',
      });
    }
  });

  it('refuses truncated headers: a PNG signature alone, a JPEG without a frame, an ICO pointing outside the file', () => {
    expect(readImageHeader(fixture('python.png').subarray(0, 20))).toBeNull();
    expect(readImageHeader(fixture('python.jpg').subarray(0, 40))).toBeNull();
    const ico = Buffer.from(fixture('idle.ico'));
    expect(readImageHeader(ico.subarray(0, ico.length - 1))).toBeNull();
    expect(readImageHeader(Buffer.from([0, 0, 1, 0, 0, 0]))).toBeNull();
  });

  it('enforces each asset’s size and dimension limits', () => {
    const big = Buffer.concat([fixture('python.png'), Buffer.alloc(512 * 1024)]);
    expect(checkBrandImage('logo', big)).toEqual({
      ok: false,
      reason: 'at most 512 KB (this file is 513 KB)',
    });
    expect(
      checkBrandImage('favicon', Buffer.concat([fixture('python.png'), Buffer.alloc(128 * 1024)])),
    ).toMatchObject({
      ok: false,
      reason: 'at most 128 KB (this file is 129 KB)',
    });
    expect(checkBrandImage('logo', pngHeader(2048, 600))).toMatchObject({ ok: true });
    expect(checkBrandImage('logo', pngHeader(2049, 600))).toEqual({
      ok: false,
      reason: 'at most 2048×2048 pixels (this image is 2049×600)',
    });
    expect(checkBrandImage('favicon', pngHeader(600, 600))).toMatchObject({ ok: false });
    expect(checkBrandImage('logo', pngHeader(0, 10))).toEqual({
      ok: false,
      reason: 'the image has no pixels',
    });
  });
});
