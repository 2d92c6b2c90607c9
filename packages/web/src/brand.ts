import type { PanelSettings } from '@smmkit/contract';

/** The stylesheet's variables the panel's branding sets (styles.css holds the defaults). */
const VARIABLES: Record<string, keyof PanelSettings['colours']> = {
  '--primary': 'primary',
  '--on-primary': 'onPrimary',
  '--primary-hover': 'primaryHover',
  '--accent': 'link',
  '--accent-dark': 'linkDark',
};

/**
 * Applies the panel's branding to the document: its colours as CSS custom properties (through the
 * CSSOM, which the CSP's `style-src 'self'` allows; the server derived them so text stays readable)
 * and the favicon. The stylesheet's defaults stay while the admin has picked no colour.
 */
export function applyBranding(panel: PanelSettings): void {
  const style = document.documentElement.style;
  for (const [variable, colour] of Object.entries(VARIABLES)) {
    if (panel.primaryColour === null) style.removeProperty(variable);
    else style.setProperty(variable, panel.colours[colour]);
  }
  const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  const href = panel.faviconUrl ?? 'data:,';
  if (icon !== null && icon.getAttribute('href') !== href) icon.setAttribute('href', href);
}
