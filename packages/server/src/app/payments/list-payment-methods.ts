import { formatBonusTiers, formatMajor, formatPercent } from '../../domain/deposits.js';
import { type PaymentMethod, listPaymentMethods as storeList } from '../../store/payment-methods.js';
import type { Context } from '../context.js';
import { maskedConfig } from './payment-method-input.js';

/** A method as it may be shown: amounts as "10.00", the fee as a percent, secrets masked. */
export interface PaymentMethodView {
  readonly id: number;
  readonly gateway: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly min: string | null;
  readonly max: string | null;
  readonly feePercent: string;
  readonly bonus: string;
  readonly bonusTiers: readonly { readonly from: string; readonly percent: string }[];
  readonly instructions: string | null;
  readonly config: Readonly<Record<string, string>>;
}

export function viewOfMethod(method: PaymentMethod): PaymentMethodView {
  return {
    id: method.id,
    gateway: method.gateway,
    name: method.name,
    enabled: method.enabled,
    min: method.min === null ? null : formatMajor(method.min),
    max: method.max === null ? null : formatMajor(method.max),
    feePercent: formatPercent(method.feeBps),
    bonus: formatBonusTiers(method.bonusTiers),
    bonusTiers: method.bonusTiers.map((tier) => ({
      from: formatMajor(tier.from),
      percent: formatPercent(tier.percentBps),
    })),
    instructions: method.instructions,
    config: maskedConfig(method),
  };
}

/** Every method (the admin), or the enabled ones (customers: no config at all). */
export async function listPaymentMethods(
  ctx: Context,
  options: { enabledOnly: boolean },
): Promise<PaymentMethodView[]> {
  const methods = await storeList(ctx.db, options);
  return methods.map((method) => {
    const view = viewOfMethod(method);
    return options.enabledOnly ? { ...view, config: {} } : view;
  });
}
