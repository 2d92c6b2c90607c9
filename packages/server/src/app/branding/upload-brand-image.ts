import { createHash } from 'node:crypto';
import type { BrandingAnswer } from '@smmkit/contract';
import { type BrandAsset, checkBrandImage } from '../../domain/brand-image.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { saveBrandImage } from '../../store/brand-images.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { readBrandSettings } from './brand-settings.js';

/** Standard base64 (RFC 4648 §4) with its padding, nothing else: Buffer.from would skip stray characters. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Stores the panel's logo or favicon: base64 decoded strictly, then checked by content (format by
 * magic bytes, dimensions from the header, the asset's size and side limits). A refused file
 * changes nothing. Audited with what was detected (never the bytes).
 */
export async function uploadBrandImage(
  ctx: Context,
  input: { asset: BrandAsset; base64: string },
): Promise<Result<BrandingAnswer>> {
  const text = input.base64.replace(/\s+/g, '');
  if (!BASE64.test(text))
    return fail({ code: 'INVALID_INPUT', field: input.asset, reason: 'send the file as base64' });
  const bytes = Buffer.from(text, 'base64');
  const checked = checkBrandImage(input.asset, bytes);
  if (!checked.ok) return fail({ code: 'INVALID_INPUT', field: input.asset, reason: checked.reason });
  const image = {
    asset: input.asset,
    contentType: checked.image.contentType,
    width: checked.image.width,
    height: checked.image.height,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    updatedAt: ctx.clock.now(),
  };
  return ctx.db.transaction(async (tx) => {
    await saveBrandImage(tx, image, bytes);
    await recordAudit(tx, ctx, 'branding.upload', input.asset, {
      contentType: image.contentType,
      width: image.width,
      height: image.height,
      bytes: image.sizeBytes,
      sha256: image.sha256,
    });
    return ok(await readBrandSettings(ctx, tx));
  });
}
