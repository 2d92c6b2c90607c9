/**
 * The panel's primary colour and the colours derived from it, so every place that shows it (the
 * web panel, emails, public pages) stays readable whatever the admin picks: the text on it is black
 * or white, whichever contrasts more (one of the two always reaches WCAG AA's 4.5:1), and links,
 * which sit on the light page, use the colour darkened just enough to reach 4.5:1 against it.
 */

export interface BrandPalette {
  /** The admin's colour, `#rrggbb` lower case: button and header backgrounds. */
  readonly primary: string;
  /** `#000000` or `#ffffff`: text on the primary colour. */
  readonly onPrimary: string;
  /** The primary colour, darkened when needed to read as text on a light (#f5f6f8 or white) page. */
  readonly link: string;
  /** The primary colour moved away from its text colour: hover and pressed states (text stays readable). */
  readonly primaryHover: string;
  /** The link colour darkened further: the current page in the navigation, on its tinted background. */
  readonly linkDark: string;
}

/** The web panel's own blue, used until the admin picks a colour. */
export const DEFAULT_PRIMARY_COLOUR = '#2754c5';

/** The lightest page background the colour must read on (the web panel's `--bg`). */
const PAGE_BACKGROUND = '#f5f6f8';
const AA_TEXT = 4.5;

/** `#rrggbb` (any case) → lower case; anything else (`#rgb`, names, `rgb()`) → null. */
export function parseHexColour(text: string): string | null {
  const trimmed = text.trim();
  return /^#[0-9a-fA-F]{6}$/.test(trimmed) ? trimmed.toLowerCase() : null;
}

function channels(hex: string): [number, number, number] {
  return [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2 relative luminance. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

/** The colour scaled towards black by `factor` (0: unchanged, 1: black). */
function darken(hex: string, factor: number): string {
  return toHex(channels(hex).map((c) => c * (1 - factor)));
}

/** The colour moved towards white by `factor`. */
function lighten(hex: string, factor: number): string {
  return toHex(channels(hex).map((c) => c + (255 - c) * factor));
}

/** The palette of a primary colour (already parsed). */
export function brandPalette(primary: string): BrandPalette {
  const onPrimary =
    contrastRatio(primary, '#000000') >= contrastRatio(primary, '#ffffff') ? '#000000' : '#ffffff';
  let link = primary;
  for (let step = 1; contrastRatio(link, PAGE_BACKGROUND) < AA_TEXT && step <= 20; step++) {
    link = darken(primary, step * 0.05);
  }
  const primaryHover = onPrimary === '#ffffff' ? darken(primary, 0.15) : lighten(primary, 0.15);
  return { primary, onPrimary, link, primaryHover, linkDark: darken(link, 0.25) };
}
