import { addProvider } from '../../app/providers/add-provider.js';
import { parseOnRefusal, parseYesNo } from './provider-set.js';
import { type Command, defineCommand, printResult, requireString, withCliContext } from '../command.js';

export const providerAddCommand: Command = defineCommand({
  name: 'provider add',
  summary: 'Register an upstream API v2 panel (the key is checked with a balance call first)',
  usage:
    '--name N --url https://provider.example/api/v2 --key K [--honours-request-id yes|no] [--on-refusal cancel|review]',
  options: {
    name: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string' },
    'honours-request-id': { type: 'string' },
    'on-refusal': { type: 'string' },
  },
  run({ values }, io) {
    const input = {
      name: requireString(values.name, 'name'),
      url: requireString(values.url, 'url'),
      apiKey: requireString(values.key, 'key'),
      policy: {
        honoursRequestId: parseYesNo(values['honours-request-id'], 'honours-request-id') ?? false,
        onRefusal: parseOnRefusal(values['on-refusal']) ?? 'cancel',
      },
    };
    return withCliContext(io, async (ctx) => printResult(io, await addProvider(ctx, input)));
  },
});
