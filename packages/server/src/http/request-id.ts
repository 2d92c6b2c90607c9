import { randomBytes } from 'node:crypto';

/** What a caller's (or a proxy's) X-Request-Id may be to be kept: short, printable, no spaces or quotes. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;

// Generated ids: a random prefix per process (unique across nodes) and a counter, so the hot path
// pays for a string concatenation, not for randomness.
const PROCESS_PREFIX = randomBytes(6).toString('base64url');
let counter = 0;

/** The request's id: the incoming `X-Request-Id` when it is sane, else a new one. */
export function requestIdFor(header: string | string[] | undefined): string {
  if (typeof header === 'string' && SANE_REQUEST_ID.test(header)) return header;
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${PROCESS_PREFIX}-${counter.toString(36)}`;
}

/** The path of a URL without its query string, which may hold an API key: what logs may show. */
export function pathOf(url: string | undefined): string {
  const text = url ?? '';
  const end = text.indexOf('?');
  return end === -1 ? text : text.slice(0, end);
}
