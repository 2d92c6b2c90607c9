import { listReviewOrders, resolveReview } from '../../app/dispatch/resolve-review.js';
import {
  type Command,
  UsageError,
  defineCommand,
  parsePositionalId,
  parseWholeNumber,
  printJson,
  printResult,
  withCliContext,
} from '../command.js';

export const orderReviewCommand: Command = defineCommand({
  name: 'order review',
  summary: 'List orders whose fate at their provider needs a human, with the reason',
  usage: '[--limit 100]',
  options: { limit: { type: 'string' } },
  run({ values }, io) {
    const limit = parseWholeNumber(values.limit, 'limit') ?? 100;
    if (limit < 1 || limit > 10_000) throw new UsageError('--limit must be between 1 and 10000');
    return withCliContext(io, async (ctx) => {
      for (const item of await listReviewOrders(ctx, limit)) printJson(io, item);
      return 0;
    });
  },
});

export const orderResolveCommand: Command = defineCommand({
  name: 'order resolve',
  summary:
    'Settle an order in the review list: send it again, cancel and refund it, link it, or fulfil it by hand',
  usage: 'ID --resend | --cancel | --provider-order PID | --manual',
  positionals: 1,
  options: {
    resend: { type: 'boolean' },
    cancel: { type: 'boolean' },
    'provider-order': { type: 'string' },
    manual: { type: 'boolean' },
  },
  run({ values, positionals }, io) {
    const orderId = parsePositionalId(positionals[0], 'order');
    const chosen = [
      values.resend === true,
      values.cancel === true,
      values['provider-order'] !== undefined,
      values.manual === true,
    ];
    if (chosen.filter(Boolean).length !== 1) {
      throw new UsageError('give exactly one of --resend, --cancel, --provider-order PID, --manual');
    }
    const providerOrder = values['provider-order'];
    const resolution =
      providerOrder !== undefined
        ? ({ kind: 'link', providerOrderId: providerOrder.trim() } as const)
        : values.resend === true
          ? ({ kind: 'resend' } as const)
          : values.manual === true
            ? ({ kind: 'manual' } as const)
            : ({ kind: 'cancel' } as const);
    return withCliContext(io, async (ctx) => printResult(io, await resolveReview(ctx, orderId, resolution)));
  },
});
