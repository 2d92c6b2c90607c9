import { type Result, fail, ok } from '../../domain/errors.js';
import { MANUAL_GATEWAY } from '../../domain/deposits.js';
import { findGateway } from '../../payments/registry.js';
import { insertPaymentMethod } from '../../store/payment-methods.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { sealMethodSecrets } from './method-secrets.js';
import {
  type PaymentMethodInput,
  buildPaymentMethod,
  gatewayChoices,
  maskedConfig,
} from './payment-method-input.js';

/** A new payment method (enabled unless said otherwise); audited with its secrets masked. */
export async function addPaymentMethod(
  ctx: Context,
  input: PaymentMethodInput & { gateway: string },
): Promise<Result<{ id: number }>> {
  const gateway = input.gateway.trim().toLowerCase();
  if (gateway !== MANUAL_GATEWAY && findGateway(gateway) === null)
    return fail({ code: 'INVALID_INPUT', field: 'gateway', reason: `one of ${gatewayChoices()}` });
  const base = {
    name: '',
    enabled: true,
    min: null,
    max: null,
    feeBps: 0,
    bonusTiers: [],
    instructions: null,
    config: {},
  };
  const method = buildPaymentMethod(gateway, base, input);
  if ('code' in method) return fail(method);
  return ctx.db.transaction(async (tx) => {
    const stored = { ...method, config: sealMethodSecrets(ctx, gateway, method.config) };
    const id = await insertPaymentMethod(tx, stored, ctx.clock.now());
    await recordAudit(tx, ctx, 'payments.method.add', `payment_method:${id}`, {
      gateway,
      name: method.name,
      config: maskedConfig(method),
    });
    return ok({ id });
  });
}
