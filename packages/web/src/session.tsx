import { createContext, useContext } from 'react';
import type { DisplayCurrency, PanelSettings, SessionUser, SignInOptions } from '@smmkit/contract';
import { convertForDisplay } from './display-currency.js';
import { useFormat } from './format.js';

export interface SessionState {
  panel: PanelSettings;
  user: SessionUser | null;
  /** Whether sign-up is open and needs the challenge. */
  signIn: SignInOptions;
  /** Whether the panel sends email (SMMKIT_SMTP_URL). */
  emailEnabled: boolean;
  /** The currency the user shows money in, approximately, with its rate; null: the panel's. */
  displayCurrency: DisplayCurrency | null;
  /** The currencies the admin enabled for display (the Account page's picker). */
  displayCurrencies: readonly DisplayCurrency[];
  /** Reads the session again (after login, an order, a balance change). */
  refresh: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside the app');
  return session;
}

/** `amount` in the display currency: 2 decimals, more when a nonzero amount would show as 0.00. */
function converted(amount: string, rate: string): string | null {
  const shown = convertForDisplay(amount, rate, 2);
  if (shown === null || !/^-?0\.00$/.test(shown) || /^[+-]?[0.]*$/.test(amount.trim())) return shown;
  return convertForDisplay(amount, rate, 5);
}

/**
 * "12.50 USD", "1 234,325 USD": the server's exact decimal, trimmed for display and written as the
 * reader's language writes numbers, with the panel currency. When the user chose a display
 * currency: "≈ 11.53 EUR (12.50 USD)", the approximate figure first and the exact one beside it
 * (display only: charges, the ledger, forms and API v2 stay in the panel currency). An amount or
 * rate that cannot be read is shown in the panel currency alone, never as a wrong figure.
 */
export function useMoney(): (amount: string | null | undefined) => string {
  const { panel, displayCurrency } = useSession();
  const format = useFormat();
  return (amount) => {
    const exact = format.money(amount, panel.currency);
    if (displayCurrency === null || amount === null || amount === undefined) return exact;
    const approximate = converted(amount, displayCurrency.rate);
    if (approximate === null) return exact;
    return `≈ ${format.money(approximate, displayCurrency.code)} (${exact})`;
  };
}
