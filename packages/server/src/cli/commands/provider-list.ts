import { listProviders } from '../../app/providers/list-providers.js';
import { type Command, defineCommand, withCliContext } from '../command.js';

export const providerListCommand: Command = defineCommand({
  name: 'provider list',
  summary: 'List providers, one JSON object per line (keys masked)',
  usage: '',
  options: {},
  run(_args, io) {
    return withCliContext(io, async (ctx) => {
      for (const provider of await listProviders(ctx)) io.out(JSON.stringify(provider));
      return 0;
    });
  },
});
