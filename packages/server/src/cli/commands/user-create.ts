import { createUser } from '../../app/users/create-user.js';
import { isUserRole } from '../../domain/accounts.js';
import {
  type Command,
  UsageError,
  defineCommand,
  printResult,
  requireString,
  withCliContext,
} from '../command.js';

export const userCreateCommand: Command = defineCommand({
  name: 'user create',
  summary:
    'Create a customer (or a staff member: --role owner|manager|support; --admin is --role owner) and print their API key once',
  usage: '--username U [--password P] [--email E] [--role owner|manager|support | --admin]',
  options: {
    username: { type: 'string' },
    password: { type: 'string' },
    email: { type: 'string' },
    admin: { type: 'boolean' },
    role: { type: 'string' },
  },
  run({ values }, io) {
    const username = requireString(values.username, 'username');
    const role = values.admin ? 'owner' : (values.role ?? 'customer');
    if (!isUserRole(role) || (values.admin && values.role !== undefined && values.role !== 'owner')) {
      throw new UsageError('--role must be owner, manager or support (--admin is --role owner)');
    }
    return withCliContext(io, async (ctx) =>
      printResult(
        io,
        await createUser(ctx, {
          username,
          password: values.password,
          email: values.email,
          role,
        }),
      ),
    );
  },
});
