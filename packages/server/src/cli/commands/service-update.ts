import type { ServiceDraft } from '../../app/catalog/service-draft.js';
import { updateService } from '../../app/catalog/update-service.js';
import {
  type Command,
  UsageError,
  defineCommand,
  parsePositionalId,
  parseWholeNumber,
  printResult,
  withCliContext,
} from '../command.js';
import { SERVICE_FLAGS, providerBacking } from './service-create.js';
import { FAILOVER_FLAGS, FAILOVER_USAGE, failoverFromFlags } from './failover-flags.js';
import { setServiceFailover } from '../../app/catalog/set-service-failover.js';
import { ok } from '../../domain/errors.js';

/** Pairs of flags that set and clear one switch; giving both is a mistake. */
function toggle(on: boolean | undefined, off: boolean | undefined, names: string): boolean | undefined {
  if (on && off) throw new UsageError(`${names}: give one, not both`);
  return on ? true : off ? false : undefined;
}

export const serviceUpdateCommand: Command = defineCommand({
  name: 'service update',
  summary: 'Change a service: only the flags given change',
  usage:
    'ID [--name N] [--type T] [--category C] [--rate R] [--min N] [--max N] [--refill|--no-refill] [--refill-days D]\n' +
    '        [--cancel|--no-cancel] [--dripfeed|--no-dripfeed] [--no-duplicate-links|--duplicate-links] [--desc TEXT]\n' +
    '        [--old-posts|--no-old-posts] [--enable|--disable]\n' +
    `        [--provider ID --provider-service SID] ${FAILOVER_USAGE} [--no-sell-at-loss]`,
  positionals: 1,
  options: {
    ...SERVICE_FLAGS,
    'no-refill': { type: 'boolean' },
    'no-cancel': { type: 'boolean' },
    'no-dripfeed': { type: 'boolean' },
    'duplicate-links': { type: 'boolean' },
    'no-old-posts': { type: 'boolean' },
    enable: { type: 'boolean' },
    disable: { type: 'boolean' },
    provider: { type: 'string' },
    'provider-service': { type: 'string' },
    ...FAILOVER_FLAGS,
    'no-sell-at-loss': { type: 'boolean' },
  },
  run({ values, positionals }, io) {
    const id = parsePositionalId(positionals[0], 'service');
    const changes: Partial<Record<keyof ServiceDraft, unknown>> = {
      name: values.name,
      type: values.type,
      category: values.category,
      rate: values.rate,
      min: parseWholeNumber(values.min, 'min'),
      max: parseWholeNumber(values.max, 'max'),
      refill: toggle(values.refill, values['no-refill'], '--refill/--no-refill'),
      refillDays: parseWholeNumber(values['refill-days'], 'refill-days'),
      cancel: toggle(values.cancel, values['no-cancel'], '--cancel/--no-cancel'),
      dripfeed: toggle(values.dripfeed, values['no-dripfeed'], '--dripfeed/--no-dripfeed'),
      allowDuplicateLinks: toggle(
        values['duplicate-links'],
        values['no-duplicate-links'],
        '--duplicate-links/--no-duplicate-links',
      ),
      allowOldPosts: toggle(values['old-posts'], values['no-old-posts'], '--old-posts/--no-old-posts'),
      description: values.desc,
      enabled: toggle(values.enable, values.disable, '--enable/--disable'),
    };
    const given = Object.fromEntries(
      Object.entries(changes).filter(([, v]) => v !== undefined),
    ) as Partial<ServiceDraft>;
    const backing = providerBacking(values.provider, values['provider-service']);
    const failover = failoverFromFlags(values);
    const routing =
      backing || failover ? { ...failover, ...(backing ? { primary: backing } : {}) } : undefined;
    const hasChanges = Object.keys(given).length > 0;
    if (!hasChanges && !routing) throw new UsageError('nothing to change: give at least one flag');
    return withCliContext(io, async (ctx) => {
      // Where its orders go first (the likelier to be refused), then the rest of the service.
      if (routing) {
        const set = await setServiceFailover(ctx, id, routing);
        if (!set.ok || !hasChanges) return printResult(io, set.ok ? ok({ id }) : set);
      }
      return printResult(io, await updateService(ctx, id, given));
    });
  },
});
