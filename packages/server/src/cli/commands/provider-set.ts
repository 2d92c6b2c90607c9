import { configureProvider } from '../../app/providers/configure-provider.js';
import { type CatalogSyncSettings, scheduleCatalogSync } from '../../app/providers/schedule-catalog-sync.js';
import { isFollowPrices, isOnRemoved, parseSyncEvery } from '../../domain/catalog-sync.js';
import { ok } from '../../domain/errors.js';
import {
  type Command,
  UsageError,
  defineCommand,
  parsePositionalId,
  printResult,
  withCliContext,
} from '../command.js';

export function parseYesNo(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'yes') return true;
  if (value === 'no') return false;
  throw new UsageError(`--${name} must be yes or no`);
}

export function parseOnRefusal(value: string | undefined): 'cancel' | 'review' | undefined {
  if (value === undefined || value === 'cancel' || value === 'review') return value;
  throw new UsageError('--on-refusal must be cancel or review');
}

export const providerSetCommand: Command = defineCommand({
  name: 'provider set',
  summary: 'Change how orders go to a provider: request_id replay, what a refusal does, lift a pause',
  usage:
    'ID [--honours-request-id yes|no] [--on-refusal cancel|review] [--resume]\n' +
    '        [--sync-every 30s|15m|1h|off] [--follow-prices keep-markup|notify|off] [--on-removed disable|notify]',
  positionals: 1,
  options: {
    'honours-request-id': { type: 'string' },
    'on-refusal': { type: 'string' },
    resume: { type: 'boolean' },
    'sync-every': { type: 'string' },
    'follow-prices': { type: 'string' },
    'on-removed': { type: 'string' },
  },
  run({ values, positionals }, io) {
    const providerId = parsePositionalId(positionals[0], 'provider');
    const settings = {
      honoursRequestId: parseYesNo(values['honours-request-id'], 'honours-request-id'),
      onRefusal: parseOnRefusal(values['on-refusal']),
      resume: values.resume === true,
    };
    const sync = catalogSyncFlags(values);
    const policy =
      settings.honoursRequestId !== undefined || settings.onRefusal !== undefined || settings.resume;
    if (!policy && !sync) {
      throw new UsageError(
        'give at least one of --honours-request-id, --on-refusal, --resume, --sync-every, --follow-prices, --on-removed',
      );
    }
    return withCliContext(io, async (ctx) => {
      const configured = policy ? await configureProvider(ctx, providerId, settings) : undefined;
      if (configured && !configured.ok) return printResult(io, configured);
      const scheduled = sync ? await scheduleCatalogSync(ctx, providerId, sync) : undefined;
      if (scheduled && !scheduled.ok) return printResult(io, scheduled);
      return printResult(io, ok({ ...configured?.value, ...scheduled?.value, id: providerId }));
    });
  },
});

/** `--sync-every`, `--follow-prices`, `--on-removed`: the scheduled catalogue sync (undefined: none given). */
function catalogSyncFlags(values: {
  'sync-every'?: string | undefined;
  'follow-prices'?: string | undefined;
  'on-removed'?: string | undefined;
}): CatalogSyncSettings | undefined {
  const every = values['sync-every'];
  const follow = values['follow-prices'];
  const removed = values['on-removed'];
  if (every === undefined && follow === undefined && removed === undefined) return undefined;
  let everyMs: number | null | undefined;
  if (every !== undefined) {
    const parsed = parseSyncEvery(every);
    if (!parsed.ok) throw new UsageError(`--sync-every: ${parsed.reason}`);
    everyMs = parsed.ms;
  }
  if (follow !== undefined && !isFollowPrices(follow)) {
    throw new UsageError('--follow-prices must be keep-markup, notify or off');
  }
  if (removed !== undefined && !isOnRemoved(removed))
    throw new UsageError('--on-removed must be disable or notify');
  return { everyMs, followPrices: follow, onRemoved: removed };
}
