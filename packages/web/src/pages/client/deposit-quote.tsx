import type { DepositQuote } from '@smmkit/contract';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../../api.js';
import { errorText } from '../../hooks.js';
import { useMoney } from '../../session.js';

/**
 * The server's quote for what the customer typed: every change asks again, and only the answer to
 * the latest input is shown (an earlier, slower answer is dropped), so no rule is computed here.
 */
export function useDepositQuote(methodId: number | null, amount: string) {
  const latest = useRef(0);
  const [state, setState] = useState<{ quote: DepositQuote | null; error: string | null }>({
    quote: null,
    error: null,
  });
  useEffect(() => {
    const ticket = ++latest.current;
    const trimmed = amount.trim();
    if (methodId === null || trimmed === '') {
      setState({ quote: null, error: null });
      return;
    }
    void api
      .get(`/deposits/quote${query({ method: methodId, amount: trimmed })}`)
      .then(
        (quote) => ({ quote, error: null }),
        (failure: unknown) => ({ quote: null, error: errorText(failure) }),
      )
      .then((next) => {
        if (ticket === latest.current) setState(next);
      });
  }, [methodId, amount]);
  return state;
}

export function DepositQuoteView(props: { methodId: number | null; amount: string }) {
  const { t } = useTranslation('funds');
  const money = useMoney();
  const { quote, error } = useDepositQuote(props.methodId, props.amount);
  if (error !== null)
    return (
      <p className="alert alert-error small" role="status" aria-label={t('quote.label')}>
        {error}
      </p>
    );
  if (quote === null) return null;
  return (
    <dl className="small" role="status" aria-label={t('quote.label')}>
      <dt>{t('quote.fee')}</dt>
      <dd data-testid="quote-fee">{money(quote.fee)}</dd>
      <dt>{t('quote.pay')}</dt>
      <dd data-testid="quote-pay">{money(quote.pay)}</dd>
      <dt>{t('quote.bonus')}</dt>
      <dd data-testid="quote-bonus">{money(quote.bonus)}</dd>
      <dt>{t('quote.credit')}</dt>
      <dd data-testid="quote-credit">{money(quote.credit)}</dd>
    </dl>
  );
}
