import { reencryptSecrets } from '../../app/secrets/reencrypt-secrets.js';
import { type Command, defineCommand, printResult, withCliContext } from '../command.js';

export const secretsReencryptCommand: Command = defineCommand({
  name: 'secrets reencrypt',
  summary:
    'Encrypt every stored secret (provider keys, payment gateway secrets, 2FA secrets) with SMMKIT_SECRET_KEY: plain ones and ones under SMMKIT_PREVIOUS_SECRET_KEY',
  usage: '',
  options: {},
  run(_args, io) {
    return withCliContext(io, async (ctx) => printResult(io, await reencryptSecrets(ctx)));
  },
});
