import type { BrandingAnswer } from '@smmkit/contract';
import { BRAND_LIMITS } from '../../domain/brand-image.js';
import type { BrandImage } from '../../store/brand-images.js';
import type { Queryable } from '../../store/database.js';
import type { Context } from '../context.js';
import { brandImageUrl, readBranding } from './read-branding.js';

function imageInfo(image: BrandImage | null): BrandingAnswer['logo'] {
  return image === null
    ? null
    : {
        contentType: image.contentType,
        width: image.width,
        height: image.height,
        bytes: image.sizeBytes,
        url: brandImageUrl(image),
      };
}

/** The admin's Branding card: the colour, each image as detected, the limits. */
export async function readBrandSettings(
  ctx: Pick<Context, 'db'>,
  q: Queryable = ctx.db,
): Promise<BrandingAnswer> {
  const branding = await readBranding(q);
  return {
    primaryColour: branding.primaryColour,
    logo: imageInfo(branding.logo),
    favicon: imageInfo(branding.favicon),
    limits: BRAND_LIMITS,
  };
}
