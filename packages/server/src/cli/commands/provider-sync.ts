import { syncProviderServices } from '../../app/providers/sync-provider-services.js';
import { type Command, defineCommand, parsePositionalId, printResult, withCliContext } from '../command.js';

export const providerSyncCommand: Command = defineCommand({
  name: 'provider sync',
  summary: "Apply a provider's current catalogue (rates, min, max, flags; removed services disabled)",
  usage: 'ID',
  positionals: 1,
  options: {},
  run({ positionals }, io) {
    const id = parsePositionalId(positionals[0], 'provider');
    return withCliContext(io, async (ctx) => printResult(io, await syncProviderServices(ctx, id)));
  },
});
