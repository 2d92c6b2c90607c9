import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Nullable } from '../primitives.js';

/** An uploaded logo or favicon as the server detected it from its bytes. */
export const BrandImageInfo = Type.Object(
  {
    /** The detected type, the only one it is served with: image/png, image/jpeg, image/webp, image/gif, image/x-icon. */
    contentType: Type.String(),
    width: Type.Integer(),
    height: Type.Integer(),
    bytes: Type.Integer(),
    /** Its versioned URL on this panel. */
    url: Type.String(),
  },
  { title: 'BrandImageInfo' },
);
export type BrandImageInfo = Static<typeof BrandImageInfo>;

/** The panel's branding as the admin edits it; the limits are the server's. */
export const BrandingAnswer = Type.Object(
  {
    primaryColour: Nullable(Type.String()),
    logo: Nullable(BrandImageInfo),
    favicon: Nullable(BrandImageInfo),
    limits: Type.Object({
      logo: Type.Object({ maxBytes: Type.Integer(), maxSide: Type.Integer() }),
      favicon: Type.Object({ maxBytes: Type.Integer(), maxSide: Type.Integer() }),
    }),
  },
  { title: 'BrandingAnswer' },
);
export type BrandingAnswer = Static<typeof BrandingAnswer>;

/** `#rrggbb`, or null for the panel's default colour. */
export const BrandColourBody = Type.Object(
  { primaryColour: Nullable(Type.String({ maxLength: 32 })) },
  { title: 'BrandColourBody', additionalProperties: false },
);
export type BrandColourBody = Static<typeof BrandColourBody>;

/**
 * An image file as base64 (no `data:` prefix). The web API takes JSON only (its CSRF defence), and
 * the request body limit (1 MiB) bounds it; the server checks the decoded size against the asset's
 * limit (logo 512 KB, favicon 128 KB) and the format and dimensions from the bytes themselves.
 */
export const BrandImageBody = Type.Object(
  { image: Type.String({ maxLength: 1_000_000 }) },
  { title: 'BrandImageBody', additionalProperties: false },
);
export type BrandImageBody = Static<typeof BrandImageBody>;

export const getBranding = endpoint('GET', '/admin/branding', { answer: BrandingAnswer });
export const saveBrandColour = endpoint('PUT', '/admin/branding/colour', {
  body: BrandColourBody,
  answer: BrandingAnswer,
});
export const uploadLogo = endpoint('PUT', '/admin/branding/logo', {
  body: BrandImageBody,
  answer: BrandingAnswer,
});
export const removeLogo = endpoint('DELETE', '/admin/branding/logo', { answer: BrandingAnswer });
export const uploadFavicon = endpoint('PUT', '/admin/branding/favicon', {
  body: BrandImageBody,
  answer: BrandingAnswer,
});
export const removeFavicon = endpoint('DELETE', '/admin/branding/favicon', { answer: BrandingAnswer });
