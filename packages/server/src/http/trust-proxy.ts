import { isIP } from 'node:net';

/**
 * Which reverse proxies' X-Forwarded-For and X-Forwarded-Proto to believe (Fastify's trustProxy):
 * none, the nearest n hops, or the proxies at these addresses/CIDRs. Believed, they give the client
 * address (the login throttle's per-address counts) and the protocol (the session cookie's Secure
 * flag, HSTS); not believed, anyone could claim any address by sending the headers.
 */
export type TrustProxy = false | number | readonly string[];

/** proxy-addr's names for well-known ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * SMMKIT_TRUST_PROXY: unset, empty, `0` or `false` trusts no proxy; a whole number n trusts the
 * nearest n hops; otherwise a comma-separated list of addresses, CIDRs or `loopback`,
 * `linklocal`, `uniquelocal`. Throws with a message on anything else.
 */
export function parseTrustProxy(text: string | undefined): TrustProxy {
  const value = (text ?? '').trim().toLowerCase();
  if (value === '' || value === '0' || value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 100) throw new Error('a hop count must be at most 100');
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const invalid = entries.filter((entry) => !validEntry(entry));
  if (invalid.length > 0) throw new Error(`not an address or CIDR: ${invalid.join(', ')}`);
  return entries;
}
