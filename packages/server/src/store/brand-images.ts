import { BRAND_ASSETS, type BrandAsset } from '../domain/brand-image.js';
import { readStoredValue } from '../domain/stored-value.js';
import { type Queryable, sql } from './database.js';

/** An uploaded logo or favicon, without its bytes. */
export interface BrandImage {
  readonly asset: BrandAsset;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly sizeBytes: number;
  /** Hex SHA-256 of the bytes: the version in its URL and its ETag. */
  readonly sha256: string;
  readonly updatedAt: number;
}

interface BrandImageRow {
  asset: string;
  content_type: string;
  width: bigint;
  height: bigint;
  size_bytes: bigint;
  sha256: string;
  updated_at: bigint;
}

function toBrandImage(row: BrandImageRow): BrandImage {
  return {
    asset: readStoredValue(BRAND_ASSETS, row.asset, 'brand asset'),
    contentType: row.content_type,
    width: Number(row.width),
    height: Number(row.height),
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    updatedAt: Number(row.updated_at),
  };
}

const COLUMNS = 'asset, content_type, width, height, size_bytes, sha256, updated_at';
const listSql = sql(`SELECT ${COLUMNS} FROM brand_images ORDER BY asset`);
const selectWithDataSql = sql(`SELECT ${COLUMNS}, data_base64 FROM brand_images WHERE asset = ?`);
const upsertSql = sql(
  `INSERT INTO brand_images (asset, content_type, width, height, size_bytes, sha256, data_base64, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (asset) DO UPDATE SET content_type = excluded.content_type, width = excluded.width,
     height = excluded.height, size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
     data_base64 = excluded.data_base64, updated_at = excluded.updated_at`,
);
const deleteSql = sql('DELETE FROM brand_images WHERE asset = ?');

/** The uploaded images (no bytes): what the session and the admin's page show. */
export async function listBrandImages(q: Queryable): Promise<BrandImage[]> {
  return (await q.all<BrandImageRow>(listSql)).map(toBrandImage);
}

/** One image with its bytes, or null when none is uploaded. */
export async function findBrandImageData(
  q: Queryable,
  asset: BrandAsset,
): Promise<{ image: BrandImage; data: Buffer } | null> {
  const row = await q.get<BrandImageRow & { data_base64: string }>(selectWithDataSql, [asset]);
  return row ? { image: toBrandImage(row), data: Buffer.from(row.data_base64, 'base64') } : null;
}

export async function saveBrandImage(q: Queryable, image: BrandImage, data: Uint8Array): Promise<void> {
  await q.run(upsertSql, [
    image.asset,
    image.contentType,
    image.width,
    image.height,
    image.sizeBytes,
    image.sha256,
    Buffer.from(data).toString('base64'),
    image.updatedAt,
  ]);
}

/** Removes an image; whether there was one. */
export async function deleteBrandImage(q: Queryable, asset: BrandAsset): Promise<boolean> {
  return (await q.run(deleteSql, [asset])) > 0;
}
