import { recordPost } from '../../app/subscriptions/record-post.js';
import {
  type Command,
  defineCommand,
  parsePositionalId,
  parseWholeNumber,
  printResult,
  withCliContext,
} from '../command.js';

export const subscriptionPostCommand: Command = defineCommand({
  name: 'subscription post',
  summary:
    "Record a new post of a manual subscription: creates and charges its child order (paused if the balance can't pay)",
  usage: "ID [--quantity N]   (default: a random quantity within the subscription's min..max)",
  positionals: 1,
  options: { quantity: { type: 'string' } },
  run({ values, positionals }, io) {
    const subscriptionId = parsePositionalId(positionals[0], 'subscription');
    const quantity = parseWholeNumber(values.quantity, 'quantity');
    return withCliContext(io, async (ctx) =>
      printResult(io, await recordPost(ctx, { subscriptionId, quantity })),
    );
  },
});
