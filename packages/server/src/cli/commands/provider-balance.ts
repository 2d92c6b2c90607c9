import { providerBalance } from '../../app/providers/provider-balance.js';
import { type Command, defineCommand, parsePositionalId, printResult, withCliContext } from '../command.js';

export const providerBalanceCommand: Command = defineCommand({
  name: 'provider balance',
  summary: "Ask a provider for this panel's balance there (and remember it)",
  usage: 'ID',
  positionals: 1,
  options: {},
  run({ positionals }, io) {
    const id = parsePositionalId(positionals[0], 'provider');
    return withCliContext(io, async (ctx) => printResult(io, await providerBalance(ctx, id)));
  },
});
