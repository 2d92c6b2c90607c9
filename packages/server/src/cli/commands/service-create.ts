import { type ProviderBacking, createService } from '../../app/catalog/create-service.js';
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
    '        [--provider ID --provider-service SID]',
  options: {
    ...SERVICE_FLAGS,
    disabled: { type: 'boolean' },
    provider: { type: 'string' },
    'provider-service': { type: 'string' },
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
      refill: values.refill ?? false,
      refillDays: parseWholeNumber(values['refill-days'], 'refill-days') ?? 30,
      cancel: values.cancel ?? false,
      dripfeed: values.dripfeed ?? false,
      allowDuplicateLinks: !values['no-duplicate-links'],
      allowOldPosts: values['old-posts'] ?? false,
      description: values.desc ?? '',
      enabled: !values.disabled,
    };
    return withCliContext(io, async (ctx) => printResult(io, await createService(ctx, draft, backing)));
  },
});

function providerBacking(
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
