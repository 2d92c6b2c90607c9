import { setUserPassword } from '../../app/accounts/set-password.js';
import { type Command, defineCommand, printResult, requireString, withCliContext } from '../command.js';

export const userPasswordCommand: Command = defineCommand({
  name: 'user password',
  summary:
    "Set a user's web password (a generated one, printed once, without --password); ends their sessions",
  usage: '--username U [--password P]',
  options: {
    username: { type: 'string' },
    password: { type: 'string' },
  },
  run({ values }, io) {
    const username = requireString(values.username, 'username');
    return withCliContext(io, async (ctx) =>
      printResult(io, await setUserPassword(ctx, { username, password: values.password })),
    );
  },
});
