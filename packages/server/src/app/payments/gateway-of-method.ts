import { MANUAL_GATEWAY } from '../../domain/deposits.js';
import type { PaymentGateway } from '../../payments/gateway.js';
import { findGateway } from '../../payments/registry.js';
import { findPaymentMethod } from '../../store/payment-methods.js';
import type { Context } from '../context.js';
import { openMethodSecrets } from './method-secrets.js';

/**
 * The gateway adapter of a method, made from its stored config, for its notifications and return
 * pages; null for an unknown or manual method or a gateway this build lacks. A disabled method
 * still hears its gateway: payments started before it was disabled must still be credited.
 */
export async function findGatewayOfMethod(
  ctx: Context,
  methodId: number,
): Promise<{ method: { id: number; gateway: string }; gateway: PaymentGateway } | null> {
  const method = await findPaymentMethod(ctx.db, methodId);
  if (!method || method.gateway === MANUAL_GATEWAY) return null;
  const definition = findGateway(method.gateway);
  if (definition === null) return null;
  return {
    method: { id: method.id, gateway: method.gateway },
    gateway: definition.create(openMethodSecrets(ctx, method.gateway, method.config)),
  };
}
