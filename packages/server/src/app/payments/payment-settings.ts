import type { FeeMode } from '../../domain/deposits.js';

/** The panel-wide payment settings (SMMKIT_PAYMENT_FEE_MODE, SMMKIT_DEPOSIT_EXPIRY, SMMKIT_PUBLIC_URL). */
export interface PaymentSettings {
  /** Whether a method's fee is added to what the customer pays, or absorbed by the panel. */
  readonly feeMode: FeeMode;
  /** How long a gateway deposit waits for its payment before it expires. */
  readonly depositExpiryMs: number;
  /**
   * The panel's address as gateways and customers' browsers reach it (return and webhook URLs);
   * null: derived from each request's own host.
   */
  readonly publicUrl: string | null;
}

export const DEFAULT_DEPOSIT_EXPIRY_MINUTES = 24 * 60;

export const DEFAULT_PAYMENT_SETTINGS: PaymentSettings = {
  feeMode: 'added',
  depositExpiryMs: DEFAULT_DEPOSIT_EXPIRY_MINUTES * 60 * 1000,
  publicUrl: null,
};
