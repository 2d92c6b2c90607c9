import type { FailoverSettings } from '../../app/catalog/set-service-failover.js';
import type { ProviderLink } from '../../store/service-fallbacks.js';
import { UsageError, parsePositionalId } from '../command.js';

/** The flags that name a service's backups (`service create` and `service update`). */
export const FAILOVER_FLAGS = {
  fallback: { type: 'string', multiple: true },
  'no-fallback': { type: 'boolean' },
  'sell-at-loss': { type: 'boolean' },
} as const;

export const FAILOVER_USAGE = '[--fallback PROVIDER_ID:SERVICE_ID]… [--no-fallback] [--sell-at-loss]';

/** `--fallback 3:1207`: a backup provider's id and its service id there. */
export function parseFallback(text: string): ProviderLink {
  const match = /^\s*(\d+):(.+)$/.exec(text);
  const providerServiceId = match?.[2]?.trim() ?? '';
  if (!match || providerServiceId === '' || providerServiceId.length > 100) {
    throw new UsageError(`--fallback must be PROVIDER_ID:SERVICE_ID (got ${JSON.stringify(text)})`);
  }
  return { providerId: parsePositionalId(match[1], 'provider'), providerServiceId };
}

/** The backups and loss setting the flags give (undefined for what they leave alone). */
export function failoverFromFlags(values: {
  fallback?: string[] | undefined;
  'no-fallback'?: boolean | undefined;
  'sell-at-loss'?: boolean | undefined;
  'no-sell-at-loss'?: boolean | undefined;
}): Omit<FailoverSettings, 'primary'> | undefined {
  const given = values.fallback ?? [];
  if (values['no-fallback'] && given.length > 0)
    throw new UsageError('--fallback/--no-fallback: give one, not both');
  if (values['sell-at-loss'] && values['no-sell-at-loss']) {
    throw new UsageError('--sell-at-loss/--no-sell-at-loss: give one, not both');
  }
  const fallbacks = values['no-fallback'] ? [] : given.length > 0 ? given.map(parseFallback) : undefined;
  const sellAtLoss = values['sell-at-loss'] ? true : values['no-sell-at-loss'] ? false : undefined;
  if (fallbacks === undefined && sellAtLoss === undefined) return undefined;
  return { ...(fallbacks ? { fallbacks } : {}), ...(sellAtLoss !== undefined ? { sellAtLoss } : {}) };
}
