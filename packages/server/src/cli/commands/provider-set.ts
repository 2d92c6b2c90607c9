import { configureProvider } from '../../app/providers/configure-provider.js';
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
  usage: 'ID [--honours-request-id yes|no] [--on-refusal cancel|review] [--resume]',
  positionals: 1,
  options: {
    'honours-request-id': { type: 'string' },
    'on-refusal': { type: 'string' },
    resume: { type: 'boolean' },
  },
  run({ values, positionals }, io) {
    const providerId = parsePositionalId(positionals[0], 'provider');
    const settings = {
      honoursRequestId: parseYesNo(values['honours-request-id'], 'honours-request-id'),
      onRefusal: parseOnRefusal(values['on-refusal']),
      resume: values.resume === true,
    };
    if (settings.honoursRequestId === undefined && settings.onRefusal === undefined && !settings.resume) {
      throw new UsageError('give at least one of --honours-request-id, --on-refusal, --resume');
    }
    return withCliContext(io, async (ctx) =>
      printResult(io, await configureProvider(ctx, providerId, settings)),
    );
  },
});
