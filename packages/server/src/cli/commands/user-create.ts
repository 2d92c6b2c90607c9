import { createUser } from '../../app/users/create-user.js';
import { type Command, defineCommand, printResult, requireString, withCliContext } from '../command.js';

export const userCreateCommand: Command = defineCommand({
  name: 'user create',
  summary: 'Create a customer (or, with --admin, an admin) and print their API key once',
  usage: '--username U [--password P] [--admin]',
  options: {
    username: { type: 'string' },
    password: { type: 'string' },
    admin: { type: 'boolean' },
  },
  run({ values }, io) {
    const username = requireString(values.username, 'username');
    return withCliContext(io, async (ctx) =>
      printResult(
        io,
        await createUser(ctx, {
          username,
          password: values.password,
          role: values.admin ? 'admin' : 'customer',
        }),
      ),
    );
  },
});
