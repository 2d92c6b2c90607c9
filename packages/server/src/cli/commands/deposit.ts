import { approveDeposit, rejectDeposit } from '../../app/payments/decide-deposit.js';
import { type Deposit, listDeposits } from '../../app/payments/list-deposits.js';
import { formatMoney } from '../../domain/money.js';
import {
  type Command,
  defineCommand,
  parsePositionalId,
  parseWholeNumber,
  printFailure,
  printResult,
  requireString,
  withCliContext,
} from '../command.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function depositLine(deposit: Deposit) {
  return {
    id: deposit.id,
    user: deposit.username,
    method: deposit.methodId,
    methodName: deposit.methodName,
    gateway: deposit.gateway,
    amount: formatMoney(deposit.amount),
    fee: formatMoney(deposit.fee),
    payAmount: formatMoney(deposit.payAmount),
    bonus: formatMoney(deposit.bonus),
    currency: deposit.currency,
    status: deposit.status,
    gatewayPaymentId: deposit.gatewayPaymentId,
    reference: deposit.reference,
    reason: deposit.reason,
    createdAt: iso(deposit.createdAt),
    paidAt: iso(deposit.paidAt),
  };
}

export const depositListCommand: Command = defineCommand({
  name: 'deposit list',
  summary: 'List deposits, newest first, one JSON object per line',
  usage: '[--status pending|paid|failed|expired|review|refunded|disputed] [--limit 50]',
  options: { status: { type: 'string' }, limit: { type: 'string' } },
  run({ values }, io) {
    const limit = parseWholeNumber(values.limit, 'limit');
    return withCliContext(io, async (ctx) => {
      const result = await listDeposits(ctx, { status: values.status, pageSize: limit });
      if (!result.ok) return printFailure(io, result.failure);
      for (const deposit of result.value) io.out(JSON.stringify(depositLine(deposit)));
      return 0;
    });
  },
});

export const depositApproveCommand: Command = defineCommand({
  name: 'deposit approve',
  summary: 'Approve a manual deposit (or one held for review): credited with its bonus, once',
  usage: 'ID',
  options: {},
  positionals: 1,
  run({ positionals }, io) {
    const id = parsePositionalId(positionals[0], 'deposit');
    return withCliContext(io, async (ctx) => printResult(io, await approveDeposit(ctx, id), depositLine));
  },
});

export const depositRejectCommand: Command = defineCommand({
  name: 'deposit reject',
  summary: 'Reject a pending or held deposit with the reason the customer sees',
  usage: 'ID --reason TEXT',
  options: { reason: { type: 'string' } },
  positionals: 1,
  run({ values, positionals }, io) {
    const id = parsePositionalId(positionals[0], 'deposit');
    const reason = requireString(values.reason, 'reason');
    return withCliContext(io, async (ctx) =>
      printResult(io, await rejectDeposit(ctx, id, reason), depositLine),
    );
  },
});
