import { addFunds } from '../../app/funds/add-funds.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import {
  type Command,
  UsageError,
  defineCommand,
  printResult,
  requireString,
  withCliContext,
} from '../command.js';

export const fundsAddCommand: Command = defineCommand({
  name: 'funds add',
  summary: "Add to a user's balance (a negative amount deducts, never below zero)",
  usage: '--username U --amount 12.5 [--memo TEXT]',
  options: {
    username: { type: 'string' },
    amount: { type: 'string' },
    memo: { type: 'string' },
  },
  run({ values }, io) {
    const username = requireString(values.username, 'username');
    const amount = parseMoney(requireString(values.amount, 'amount'));
    if (amount === null)
      throw new UsageError('--amount must be a number with up to 5 decimals, e.g. 12.5 or -3');
    return withCliContext(io, async (ctx) =>
      printResult(io, await addFunds(ctx, { username, amount, memo: values.memo }), (v) => ({
        balance: formatMoney(v.balance),
      })),
    );
  },
});
