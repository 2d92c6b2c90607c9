/**
 * The panel's logo and favicon: which images are accepted, read from their bytes alone (the file's
 * name and the browser's claimed type are never trusted). Only raster formats whose header we parse
 * here: PNG, JPEG, WebP, GIF and ICO. SVG is refused on purpose: it is XML that can carry script
 * and links, and a browser opening it directly runs them. An image is served back with the type
 * detected here, so a file that is not one of these formats can never be served at all.
 */

export const BRAND_ASSETS = ['logo', 'favicon'] as const;
export type BrandAsset = (typeof BRAND_ASSETS)[number];

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'ico';

export const IMAGE_CONTENT_TYPES: { readonly [F in ImageFormat]: string } = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  ico: 'image/x-icon',
};

/** Each asset's limits: its size in bytes and its largest side in pixels. */
export const BRAND_LIMITS: {
  readonly [A in BrandAsset]: { readonly maxBytes: number; readonly maxSide: number };
} = {
  logo: { maxBytes: 512 * 1024, maxSide: 2048 },
  favicon: { maxBytes: 128 * 1024, maxSide: 512 },
};

export interface ImageInfo {
  readonly format: ImageFormat;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
}

export type ImageCheck =
  { readonly ok: true; readonly image: ImageInfo } | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): ImageCheck => ({ ok: false, reason });

const NOT_AN_IMAGE = 'not a PNG, JPEG, WebP, GIF or ICO image';

/** Whether the bytes are an image this asset accepts: format by magic bytes, dimensions from its header, the limits. */
export function checkBrandImage(asset: BrandAsset, bytes: Uint8Array): ImageCheck {
  const limits = BRAND_LIMITS[asset];
  if (bytes.length === 0) return refuse('the file is empty');
  if (bytes.length > limits.maxBytes)
    return refuse(`at most ${limits.maxBytes / 1024} KB (this file is ${Math.ceil(bytes.length / 1024)} KB)`);
  if (looksLikeSvg(bytes))
    return refuse('SVG is not accepted (it can carry script): upload a PNG, JPEG, WebP, GIF or ICO');
  const image = readImageHeader(bytes);
  if (image === null) return refuse(NOT_AN_IMAGE);
  if (image.width < 1 || image.height < 1) return refuse('the image has no pixels');
  if (image.width > limits.maxSide || image.height > limits.maxSide)
    return refuse(
      `at most ${limits.maxSide}×${limits.maxSide} pixels (this image is ${image.width}×${image.height})`,
    );
  return { ok: true, image };
}

/** The format and dimensions from the header, or null when the bytes are none of the accepted formats (or truncated). */
export function readImageHeader(bytes: Uint8Array): ImageInfo | null {
  const found = readPng(bytes) ?? readGif(bytes) ?? readJpeg(bytes) ?? readWebp(bytes) ?? readIco(bytes);
  return found === null ? null : { ...found, contentType: IMAGE_CONTENT_TYPES[found.format] };
}

type Header = { format: ImageFormat; width: number; height: number } | null;

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((byte, index) => bytes[at + index] === byte);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
const u32le = (b: Uint8Array, at: number) =>
  ((b[at + 3]! << 24) >>> 0) + ((b[at + 2]! << 16) | (b[at + 1]! << 8) | b[at]!);

/** PNG: the signature, then the IHDR chunk first, with width and height as 32-bit big-endian. */
function readPng(b: Uint8Array): Header {
  if (!startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return null;
  if (b.length < 33 || u32be(b, 8) !== 13 || ascii(b, 12, 4) !== 'IHDR') return null;
  return { format: 'png', width: u32be(b, 16), height: u32be(b, 20) };
}

/** GIF87a / GIF89a: the logical screen's width and height, 16-bit little-endian. */
function readGif(b: Uint8Array): Header {
  if (b.length < 13) return null;
  const signature = ascii(b, 0, 6);
  if (signature !== 'GIF87a' && signature !== 'GIF89a') return null;
  return { format: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
}

/** JPEG: SOI, then marker segments up to a start-of-frame (SOF0-SOF15 but DHT, JPG and DAC), which holds the size. */
function readJpeg(b: Uint8Array): Header {
  if (!startsWith(b, [0xff, 0xd8, 0xff])) return null;
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Markers without a length: TEM, RSTn.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame
    const length = u16be(b, at + 2);
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > b.length) return null;
      return { format: 'jpeg', height: u16be(b, at + 5), width: u16be(b, at + 7) };
    }
    at += 2 + length;
  }
  return null;
}

/** WebP: RIFF…WEBP, then the first chunk: VP8 (lossy), VP8L (lossless) or VP8X (extended). */
function readWebp(b: Uint8Array): Header {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return null;
    return { format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = u32le(b, 21);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { format: 'webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  return null;
}

/**
 * ICO: reserved 0, type 1, then a directory of images (each 16 bytes: width and height, 0 meaning
 * 256, and where its data lies, which must be inside the file). The largest entry is its size.
 */
function readIco(b: Uint8Array): Header {
  if (!startsWith(b, [0x00, 0x00, 0x01, 0x00])) return null;
  const count = u16le(b, 4);
  if (b.length < 6 || count === 0 || 6 + count * 16 > b.length) return null;
  let width = 0;
  let height = 0;
  for (let index = 0; index < count; index++) {
    const entry = 6 + index * 16;
    const size = u32le(b, entry + 8);
    const offset = u32le(b, entry + 12);
    if (size === 0 || offset < 6 + count * 16 || offset + size > b.length) return null;
    width = Math.max(width, b[entry] || 256);
    height = Math.max(height, b[entry + 1] || 256);
  }
  return { format: 'ico', width, height };
}

/** An SVG (or any XML) file, even behind a byte-order mark or white space: named in the refusal. */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return (
    head.startsWith('<?xml') || head.startsWith('<svg') || (head.startsWith('<!') && head.includes('<svg'))
  );
}
