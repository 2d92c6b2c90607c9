import type { BrandAsset } from '../../domain/brand-image.js';
import { findBrandImageData } from '../../store/brand-images.js';
import type { Context } from '../context.js';

/** An uploaded image's bytes, its detected content type and its version (the SHA-256 hex); null when none. */
export async function readBrandImage(
  ctx: Context,
  asset: BrandAsset,
): Promise<{ contentType: string; sha256: string; data: Buffer } | null> {
  const found = await findBrandImageData(ctx.db, asset);
  return found === null
    ? null
    : { contentType: found.image.contentType, sha256: found.image.sha256, data: found.data };
}
