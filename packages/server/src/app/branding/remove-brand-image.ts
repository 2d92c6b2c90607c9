import type { BrandingAnswer } from '@smmkit/contract';
import type { BrandAsset } from '../../domain/brand-image.js';
import { type Result, ok } from '../../domain/errors.js';
import { deleteBrandImage } from '../../store/brand-images.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { readBrandSettings } from './brand-settings.js';

/** Back to no logo (the panel's name alone) or no favicon. Removing none is not an error; only a removal is audited. */
export async function removeBrandImage(ctx: Context, asset: BrandAsset): Promise<Result<BrandingAnswer>> {
  return ctx.db.transaction(async (tx) => {
    if (await deleteBrandImage(tx, asset)) await recordAudit(tx, ctx, 'branding.remove', asset, {});
    return ok(await readBrandSettings(ctx, tx));
  });
}
