import { createHash } from 'node:crypto';
import type { CreatePaymentInput } from '../gateway.js';

/**
 * Reading a payment method's gateway config (the JSON the owner enters): named string fields, each
 * required unless listed optional, no field of another name, and `apiBase` an http(s) origin.
 * Errors say which key is wrong so `payment-method add --config` can answer clearly.
 */
export interface ConfigShape {
  readonly gateway: string;
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** Per-field prefix check, e.g. Stripe's `sk_` keys: a hint at a swapped field. */
  readonly prefixes?: Readonly<Record<string, readonly string[]>>;
}

export function parseGatewayConfig(shape: ConfigShape, config: unknown): Record<string, string> {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new Error(`${shape.gateway} config must be a JSON object`);
  const entries = config as Record<string, unknown>;
  const known = [...shape.required, ...shape.optional];
  const unknown = Object.keys(entries).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    throw new Error(
      `${shape.gateway} config has unknown key ${unknown.map((key) => `"${key}"`).join(', ')} (known: ${known.join(', ')})`,
    );
  const result: Record<string, string> = {};
  for (const key of known) {
    const value = entries[key];
    if (value === undefined || value === null || value === '') {
      if (shape.required.includes(key)) throw new Error(`${shape.gateway} config is missing "${key}"`);
      continue;
    }
    if (typeof value !== 'string') throw new Error(`${shape.gateway} config "${key}" must be a string`);
    const trimmed = value.trim();
    if (trimmed === '') throw new Error(`${shape.gateway} config "${key}" is empty`);
    const prefixes = shape.prefixes?.[key];
    if (prefixes && !prefixes.some((prefix) => trimmed.startsWith(prefix)))
      throw new Error(
        `${shape.gateway} config "${key}" must start with ${prefixes.map((p) => `"${p}"`).join(' or ')}`,
      );
    result[key] = key === 'apiBase' ? apiOrigin(shape.gateway, trimmed) : trimmed;
  }
  return result;
}

/** "http://127.0.0.1:4242/" → "http://127.0.0.1:4242": an http(s) origin, no path, query or credentials. */
function apiOrigin(gateway: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${gateway} config "apiBase" is not a URL: "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${gateway} config "apiBase" must be an http:// or https:// URL`);
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    throw new Error(`${gateway} config "apiBase" must be a bare origin such as http://host:port`);
  return url.origin;
}

/** One header's value: Node gives repeated headers as an array; a gateway signs one. */
export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const one = Array.isArray(value) ? value[0] : value;
    return one === undefined || one === '' ? null : one;
  }
  return null;
}

/** A deposit id read back from a gateway's metadata field: a positive integer or null. */
export function depositIdFrom(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

/**
 * The idempotency key of a deposit's create call (Stripe's Idempotency-Key, PayPal's PayPal-Request-Id):
 * the deposit id plus a digest of the whole request, so a retried create answers the same payment while
 * two panels sharing one gateway account (each with its own deposit 42) never receive each other's.
 */
export function createRequestKey(input: CreatePaymentInput): string {
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        input.depositId,
        input.amount,
        input.currency,
        input.returnUrl,
        input.cancelUrl,
        input.notifyUrl,
      ]),
    )
    .digest('hex')
    .slice(0, 24);
  return `smmkit-deposit-${input.depositId}-${digest}`;
}
