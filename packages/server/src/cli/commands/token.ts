import { createAdminToken } from '../../app/admin-tokens/create-admin-token.js';
import { revokeAdminToken } from '../../app/admin-tokens/revoke-admin-token.js';
import { type Command, defineCommand, printResult, requireString, withCliContext } from '../command.js';

export const tokenCreateCommand: Command = defineCommand({
  name: 'token create',
  summary: 'Create an admin API token for a staff member and print it once: {"token":"..."}',
  usage: '--username U --name NAME',
  options: { username: { type: 'string' }, name: { type: 'string' } },
  run({ values }, io) {
    const username = requireString(values.username, 'username');
    const name = requireString(values.name, 'name');
    return withCliContext(io, async (ctx) =>
      printResult(io, await createAdminToken(ctx, { owner: { username }, name }), ({ token }) => ({ token })),
    );
  },
});

export const tokenRevokeCommand: Command = defineCommand({
  name: 'token revoke',
  summary: "Revoke a staff member's admin API token by name (refused at once on every node)",
  usage: '--username U --name NAME',
  options: { username: { type: 'string' }, name: { type: 'string' } },
  run({ values }, io) {
    const username = requireString(values.username, 'username');
    const name = requireString(values.name, 'name');
    return withCliContext(io, async (ctx) =>
      printResult(io, await revokeAdminToken(ctx, { owner: { username }, name })),
    );
  },
});
