import { type Result, fail, ok } from '../../domain/errors.js';
import { findPaymentMethod, updatePaymentMethod as storeUpdate } from '../../store/payment-methods.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { openMethodSecrets, sealMethodSecrets } from './method-secrets.js';
import { type PaymentMethodInput, buildPaymentMethod, maskedConfig } from './payment-method-input.js';
import { type PaymentMethodView, viewOfMethod } from './list-payment-methods.js';

/** Changes what the input names (enable, disable, limits, fee, bonus, instructions, config); audited. */
export async function updatePaymentMethod(
  ctx: Context,
  id: number,
  input: PaymentMethodInput,
): Promise<Result<PaymentMethodView>> {
  return ctx.db.transaction(async (tx) => {
    const stored = await findPaymentMethod(tx, id);
    if (!stored) return fail<PaymentMethodView>({ code: 'PAYMENT_METHOD_NOT_FOUND', id });
    const clear = { ...stored, config: openMethodSecrets(ctx, stored.gateway, stored.config) };
    const method = buildPaymentMethod(stored.gateway, clear, input);
    if ('code' in method) return fail<PaymentMethodView>(method);
    const now = ctx.clock.now();
    await storeUpdate(
      tx,
      id,
      { ...method, config: sealMethodSecrets(ctx, stored.gateway, method.config) },
      now,
    );
    const changed = Object.keys(input).filter((key) => input[key as keyof PaymentMethodInput] !== undefined);
    await recordAudit(tx, ctx, 'payments.method.update', `payment_method:${id}`, {
      changed,
      enabled: method.enabled,
      config: maskedConfig(method),
    });
    return ok(viewOfMethod({ ...method, id, createdAt: stored.createdAt, updatedAt: now }));
  });
}
