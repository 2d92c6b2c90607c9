/**
 * The Content-Security-Policy of the web panel's HTML: scripts, styles and connections from this
 * origin only, no inline script or style, no plugins, no framing (clickjacking), no <base> or form
 * posts elsewhere. The built index.html loads one module script and one stylesheet from /assets/,
 * and React sets styles through the CSSOM, which style-src does not restrict. `data:` images are
 * for the empty favicon and generated images (QR codes).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The public pages' policy (README › Public pages): they load no script at all, so none may run,
 * whatever a page's Markdown held; images in an admin's text may come from any https address.
 */
export const PUBLIC_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'none'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** HSTS, sent on answers served over https (directly or, with SMMKIT_TRUST_PROXY, by the proxy). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';
