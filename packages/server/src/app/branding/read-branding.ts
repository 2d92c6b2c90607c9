import { type BrandPalette, DEFAULT_PRIMARY_COLOUR, brandPalette } from '../../domain/brand-colour.js';
import type { BrandAsset } from '../../domain/brand-image.js';
import { type BrandImage, listBrandImages } from '../../store/brand-images.js';
import type { Queryable } from '../../store/database.js';
import { readSettings } from '../../store/settings.js';
import type { Context } from '../context.js';

export const PRIMARY_COLOUR_SETTING = 'primary_colour';
export const DEFAULT_PANEL_NAME = 'smmkit';

/** Where each image is served (brand-files.ts); `?v=` is its content's hash, so the URL changes with it. */
export const BRAND_IMAGE_PATHS: { readonly [A in BrandAsset]: string } = {
  logo: '/brand/logo',
  favicon: '/brand/favicon',
};

/** The path of an image's current version: cached for a year, a new upload gets a new URL. */
export function brandImageUrl(image: BrandImage): string {
  return `${BRAND_IMAGE_PATHS[image.asset]}?v=${image.sha256.slice(0, 16)}`;
}

export interface Branding {
  readonly panelName: string;
  /** The admin's colour, or null for the default. */
  readonly primaryColour: string | null;
  /** The palette in use (from the default colour while none is set). */
  readonly colours: BrandPalette;
  readonly logo: BrandImage | null;
  readonly favicon: BrandImage | null;
}

/**
 * The panel's name, colour and images (without their bytes), read in the caller's transaction; a
 * caller that has read the settings already passes them, so they are read once.
 */
export async function readBranding(q: Queryable, known?: Map<string, string>): Promise<Branding> {
  const [settings, images] = await Promise.all([known ?? readSettings(q), listBrandImages(q)]);
  const primaryColour = settings.get(PRIMARY_COLOUR_SETTING) ?? null;
  return {
    panelName: settings.get('panel_name') ?? DEFAULT_PANEL_NAME,
    primaryColour,
    colours: brandPalette(primaryColour ?? DEFAULT_PRIMARY_COLOUR),
    logo: images.find((image) => image.asset === 'logo') ?? null,
    favicon: images.find((image) => image.asset === 'favicon') ?? null,
  };
}

/** What a page outside the SPA (the public pages, an email) needs to look like the panel. */
export interface PublicBranding {
  readonly panelName: string;
  /** `#rrggbb`: the admin's colour, else the default. */
  readonly primaryColour: string;
  /** Black or white: text on the primary colour. */
  readonly primaryTextColour: string;
  /** The primary colour as readable link text on a light page. */
  readonly linkColour: string;
  /** Absolute when a base URL is given (emails), else a root-relative path; null when none is uploaded. */
  readonly logoUrl: string | null;
  readonly faviconUrl: string | null;
}

/**
 * The branding for server-rendered pages and emails. `baseUrl` (SMMKIT_PUBLIC_URL, no trailing
 * slash) makes the image URLs absolute, as an email needs; without it they are root-relative.
 */
export async function readPublicBranding(
  ctx: Pick<Context, 'db'>,
  options: { readonly baseUrl?: string; readonly q?: Queryable } = {},
): Promise<PublicBranding> {
  return toPublicBranding(await readBranding(options.q ?? ctx.db), options.baseUrl);
}

export function toPublicBranding(branding: Branding, baseUrl?: string): PublicBranding {
  const url = (image: BrandImage | null) =>
    image === null ? null : `${(baseUrl ?? '').replace(/\/+$/, '')}${brandImageUrl(image)}`;
  return {
    panelName: branding.panelName,
    primaryColour: branding.colours.primary,
    primaryTextColour: branding.colours.onPrimary,
    linkColour: branding.colours.link,
    logoUrl: url(branding.logo),
    faviconUrl: url(branding.favicon),
  };
}
