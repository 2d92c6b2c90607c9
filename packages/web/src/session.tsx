import { createContext, useContext } from 'react';
import type { PanelSettings, SessionUser, SignInOptions } from '@smmkit/contract';
import { useFormat } from './format.js';

export interface SessionState {
  panel: PanelSettings;
  user: SessionUser | null;
  /** Whether sign-up is open and needs the challenge. */
  signIn: SignInOptions;
  /** Whether the panel sends email (SMMKIT_SMTP_URL). */
  emailEnabled: boolean;
  /** Reads the session again (after login, an order, a balance change). */
  refresh: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside the app');
  return session;
}

/**
 * "12.50 USD", "1 234,325 USD": the server's exact decimal, trimmed for display and written as the
 * reader's language writes numbers, with the panel currency.
 */
export function useMoney(): (amount: string | null | undefined) => string {
  const { panel } = useSession();
  const format = useFormat();
  return (amount) => format.money(amount, panel.currency);
}
