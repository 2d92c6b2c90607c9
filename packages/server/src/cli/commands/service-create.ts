import { type ProviderBacking, createService } from '../../app/catalog/create-service.js';
import { SERVICE_DEFAULTS } from '../../app/catalog/service-draft.js';
import {
  type Command,
  UsageError,
  defineCommand,
  parsePositionalId,
  parseWholeNumber,
  printResult,
  requireString,
  withCliContext,
} from '../command.js';
import { FAILOVER_FLAGS, FAILOVER_USAGE, failoverFromFlags } from './failover-flags.js';

export const SERVICE_FLAGS = {
  name: { type: 'string' },
  type: { type: 'string' },
  category: { type: 'string' },
  rate: { type: 'string' },
  min: { type: 'string' },
  max: { type: 'string' },
  refill: { type: 'boolean' },
  'refill-days': { type: 'string' },
  cancel: { type: 'boolean' },
  dripfeed: { type: 'boolean' },
  'no-duplicate-links': { type: 'boolean' },
  'old-posts': { type: 'boolean' },
  desc: { type: 'string' },
} as const;

export const serviceCreateCommand: Command = defineCommand({
  name: 'service create',
  summary:
    'Create a service in a category (creating the category if needed): manual, or provider-backed with --provider',
  usage:
    '--name N --type "Custom Comments" --category C --rate 0.90 --min 50 --max 10000 [--refill] [--refill-days 30]\n' +
    '        [--cancel] [--dripfeed] [--no-duplicate-links] [--old-posts] [--desc TEXT] [--disabled]\n' +
    `        [--provider ID --provider-service SID ${FAILOVER_USAGE}]`,
  options: {
    ...SERVICE_FLAGS,
    disabled: { type: 'boolean' },
    provider: { type: 'string' },
    'provider-service': { type: 'string' },
    ...FAILOVER_FLAGS,
  },
  run({ values }, io) {
    const backing = providerBacking(values.provider, values['provider-service']);
    const draft = {
      name: requireString(values.name, 'name'),
      type: requireString(values.type, 'type'),
      category: requireString(values.category, 'category'),
      rate: requireString(values.rate, 'rate'),
      min: parseWholeNumber(requireString(values.min, 'min'), 'min')!,
      max: parseWholeNumber(requireString(values.max, 'max'), 'max')!,
      refill: values.refill ?? SERVICE_DEFAULTS.refill,
      refillDays: parseWholeNumber(values['refill-days'], 'refill-days') ?? SERVICE_DEFAULTS.refillDays,
      cancel: values.cancel ?? SERVICE_DEFAULTS.cancel,
      dripfeed: values.dripfeed ?? SERVICE_DEFAULTS.dripfeed,
      allowDuplicateLinks: values['no-duplicate-links'] ? false : SERVICE_DEFAULTS.allowDuplicateLinks,
      // Off unless given: validateServiceDraft's default.
      allowOldPosts: values['old-posts'],
      description: values.desc ?? SERVICE_DEFAULTS.description,
      enabled: values.disabled ? false : SERVICE_DEFAULTS.enabled,
    };
    const failover = failoverFromFlags(values);
    return withCliContext(io, async (ctx) =>
      printResult(io, await createService(ctx, draft, backing, failover)),
    );
  },
});

export function providerBacking(
  provider: string | undefined,
  providerService: string | undefined,
): ProviderBacking | undefined {
  if (provider === undefined && providerService === undefined) return undefined;
  if (provider === undefined || providerService === undefined) {
    throw new UsageError('--provider and --provider-service go together');
  }
  const providerServiceId = providerService.trim();
  if (providerServiceId === '' || providerServiceId.length > 100) {
    throw new UsageError("--provider-service must be the provider's service id");
  }
  return { providerId: parsePositionalId(provider.trim(), 'provider'), providerServiceId };
}
