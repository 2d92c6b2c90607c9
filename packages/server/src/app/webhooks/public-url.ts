import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { type Result, fail, ok } from '../../domain/errors.js';
import { addressRange } from '../../domain/public-address.js';

/** A name's addresses, as the system resolver gives them. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export const systemResolver: HostResolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/**
 * The rule for every URL a customer asks the panel to call: `allowPrivate` only where the owner
 * says so (SMMKIT_ALLOW_PRIVATE_URLS=1: tests, a panel on a private network).
 */
export interface UrlPolicy {
  readonly allowPrivate: boolean;
  readonly resolve: HostResolver;
}

export const defaultUrlPolicy: UrlPolicy = { allowPrivate: false, resolve: systemResolver };

/** A URL checked just now, with the one address it may be called on. */
export interface PublicTarget {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
}

const MAX_URL_LENGTH = 2000;

/** Only the URL's shape: http(s), a host, no credentials, not too long. */
export function parseCustomerUrl(text: string): Result<URL> {
  const refuse = (reason: string) => fail<URL>({ code: 'INVALID_INPUT', field: 'url', reason });
  if (text.length > MAX_URL_LENGTH) return refuse(`at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return refuse('not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return refuse('must start with https:// or http://');
  if (url.hostname === '') return refuse('has no host');
  if (url.username !== '' || url.password !== '') return refuse('must not carry a user name or password');
  return ok(url);
}

/**
 * Checks a customer's URL and resolves its host: every address the name resolves to must be public
 * (one private address among public ones would let a rebinding resolver pick it later). The caller
 * connects to the returned address and no other (see `pinnedLookup`), so the name cannot resolve
 * elsewhere between this check and the request.
 */
export async function checkPublicUrl(policy: UrlPolicy, text: string): Promise<Result<PublicTarget>> {
  const parsed = parseCustomerUrl(text);
  if (!parsed.ok) return parsed;
  const url = parsed.value;
  const refuse = (reason: string) => fail<PublicTarget>({ code: 'INVALID_INPUT', field: 'url', reason });
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: readonly ResolvedAddress[];
  if (addressRange(host) !== 'invalid') {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.resolve(host);
    } catch {
      return refuse(`the name ${host} does not resolve`);
    }
  }
  const first = addresses[0];
  if (first === undefined) return refuse(`the name ${host} does not resolve`);
  if (!policy.allowPrivate) {
    for (const { address } of addresses) {
      const range = addressRange(address);
      if (range !== 'public') return refuse(`${host} is not a public address (${address} is ${range})`);
    }
  }
  return ok({ url, address: first.address, family: first.family });
}

/** A `lookup` for node:http that answers the checked address whatever name it is asked about. */
export function pinnedLookup(target: PublicTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      callback(null, [{ address: target.address, family: target.family }]);
    } else {
      callback(null, target.address, target.family);
    }
  };
}
