import { setUserRate } from '../../app/catalog/set-user-rate.js';
import {
  type Command,
  defineCommand,
  parsePositionalId,
  printResult,
  requireString,
  withCliContext,
} from '../command.js';

export const rateSetCommand: Command = defineCommand({
  name: 'rate set',
  summary: 'Give one user their own price per 1000 for a service',
  usage: '--username U --service ID --rate R',
  options: { username: { type: 'string' }, service: { type: 'string' }, rate: { type: 'string' } },
  run({ values }, io) {
    const username = requireString(values.username, 'username');
    const serviceId = parsePositionalId(values.service, 'service');
    const rate = requireString(values.rate, 'rate');
    return withCliContext(io, async (ctx) =>
      printResult(io, await setUserRate(ctx, { username, serviceId, rate })),
    );
  },
});

export const rateClearCommand: Command = defineCommand({
  name: 'rate clear',
  summary: "Remove a user's own price for a service (back to the service's rate)",
  usage: '--username U --service ID',
  options: { username: { type: 'string' }, service: { type: 'string' } },
  run({ values }, io) {
    const username = requireString(values.username, 'username');
    const serviceId = parsePositionalId(values.service, 'service');
    return withCliContext(io, async (ctx) =>
      printResult(io, await setUserRate(ctx, { username, serviceId, rate: null })),
    );
  },
});
