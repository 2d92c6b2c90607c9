import { findGateway } from '../../payments/registry.js';
import { type Context, secretsOf } from '../context.js';

/** The names of a gateway's secret config fields (none for `manual` or a gateway this build lacks). */
function secretFieldsOf(gateway: string): readonly string[] {
  return findGateway(gateway)?.secretFields ?? [];
}

/**
 * A method's config as stored: its gateway's secret fields sealed with SMMKIT_SECRET_KEY (as given
 * when no key is set). Takes the config in clear, as `buildPaymentMethod` makes it.
 */
export function sealMethodSecrets(
  ctx: Context,
  gateway: string,
  config: Readonly<Record<string, string>>,
): Record<string, string> {
  const box = secretsOf(ctx);
  const stored: Record<string, string> = { ...config };
  for (const field of secretFieldsOf(gateway)) {
    const value = stored[field];
    if (value !== undefined && value !== '') stored[field] = box.seal(value);
  }
  return stored;
}

/** A stored config in clear, for the gateway adapter (or a merge before it is sealed again). */
export function openMethodSecrets(
  ctx: Context,
  gateway: string,
  config: Readonly<Record<string, string>>,
): Record<string, string> {
  const box = secretsOf(ctx);
  const clear: Record<string, string> = { ...config };
  for (const field of secretFieldsOf(gateway)) {
    const value = clear[field];
    if (value !== undefined) clear[field] = box.open(value);
  }
  return clear;
}
