import { addPaymentMethod } from '../../app/payments/add-payment-method.js';
import { listPaymentMethods } from '../../app/payments/list-payment-methods.js';
import type { PaymentMethodInput } from '../../app/payments/payment-method-input.js';
import { updatePaymentMethod } from '../../app/payments/update-payment-method.js';
import {
  type Command,
  UsageError,
  defineCommand,
  parsePositionalId,
  printResult,
  requireString,
  withCliContext,
} from '../command.js';

const METHOD_OPTIONS = {
  name: { type: 'string' },
  min: { type: 'string' },
  max: { type: 'string' },
  'fee-percent': { type: 'string' },
  bonus: { type: 'string' },
  instructions: { type: 'string' },
  config: { type: 'string' },
} as const;

function parseConfigFlag(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(
      '--config must be a JSON object, e.g. {"secretKey":"sk_…","webhookSecret":"whsec_…"}',
    );
  }
}

function methodInput(values: {
  name?: string | undefined;
  min?: string | undefined;
  max?: string | undefined;
  'fee-percent'?: string | undefined;
  bonus?: string | undefined;
  instructions?: string | undefined;
  config?: string | undefined;
}): PaymentMethodInput {
  return {
    name: values.name,
    min: values.min,
    max: values.max,
    feePercent: values['fee-percent'],
    bonus: values.bonus,
    instructions: values.instructions,
    config: parseConfigFlag(values.config),
  };
}

export const paymentMethodAddCommand: Command = defineCommand({
  name: 'payment-method add',
  summary: 'Add a payment method (enabled); prints {"id":N}',
  usage:
    '--gateway stripe|paypal|manual|nowpayments --name NAME [--min X] [--max X] [--fee-percent P] [--bonus "100:5,500:10"] [--instructions TEXT] [--config JSON]',
  options: { gateway: { type: 'string' }, ...METHOD_OPTIONS },
  run({ values }, io) {
    const gateway = requireString(values.gateway, 'gateway');
    requireString(values.name, 'name');
    const input = { ...methodInput(values), gateway };
    return withCliContext(io, async (ctx) => printResult(io, await addPaymentMethod(ctx, input)));
  },
});

export const paymentMethodListCommand: Command = defineCommand({
  name: 'payment-method list',
  summary: 'List payment methods, one JSON object per line (secrets masked)',
  usage: '',
  options: {},
  run(_args, io) {
    return withCliContext(io, async (ctx) => {
      for (const method of await listPaymentMethods(ctx, { enabledOnly: false }))
        io.out(JSON.stringify(method));
      return 0;
    });
  },
});

export const paymentMethodUpdateCommand: Command = defineCommand({
  name: 'payment-method update',
  summary: 'Change a payment method: only what the flags name (--config merges over the stored config)',
  usage:
    'ID [--enable|--disable] [--name NAME] [--min X] [--max X] [--fee-percent P] [--bonus TIERS] [--instructions TEXT] [--config JSON]',
  options: { enable: { type: 'boolean' }, disable: { type: 'boolean' }, ...METHOD_OPTIONS },
  positionals: 1,
  run({ values, positionals }, io) {
    const id = parsePositionalId(positionals[0], 'payment method');
    if (values.enable && values.disable) throw new UsageError('give --enable or --disable, not both');
    const enabled = values.enable ? true : values.disable ? false : undefined;
    const input = { ...methodInput(values), enabled };
    return withCliContext(io, async (ctx) => printResult(io, await updatePaymentMethod(ctx, id, input)));
  },
});
