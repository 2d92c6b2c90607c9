import type { CustomerPaymentMethod, Deposit } from '@smmkit/contract';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { Alert, Card, Field, Loading, Page, Select } from '../../components/ui.js';
import { type Formatter, useFormat } from '../../format.js';
import { errorText, useResource } from '../../hooks.js';
import { useMoney } from '../../session.js';
import { DepositQuoteView } from './deposit-quote.js';

/** The English words the badges were styled by (`badge-in-review`…), one per deposit state. */
const STATUS_WORDS: Record<Deposit['status'], string> = {
  pending: 'Pending',
  paid: 'Paid',
  failed: 'Failed',
  expired: 'Expired',
  review: 'In review',
  refunded: 'Refunded',
  disputed: 'Disputed',
};

/** A deposit's state as a badge: the class from its English word, the text in the reader's language. */
function DepositStatus(props: { status: Deposit['status'] }) {
  const { t } = useTranslation('funds');
  const word = STATUS_WORDS[props.status];
  return (
    <span className={`badge badge-${word.toLowerCase().replace(/\s+/g, '-')}`}>
      {t(`deposits.status.${props.status}`)}
    </span>
  );
}

/** The method's terms in a line: bounds, fee and bonus tiers (amounts in the panel's currency). */
function methodTerms(method: CustomerPaymentMethod, t: TFunction<'funds'>, format: Formatter): string {
  const money = (amount: string) => format.amount(amount);
  const parts: string[] = [];
  if (method.min !== null) parts.push(t('method.from', { amount: money(method.min) }));
  if (method.max !== null) parts.push(t('method.upTo', { amount: money(method.max) }));
  if (method.feePercent !== '0')
    parts.push(
      t(method.feeMode === 'added' ? 'method.feeAdded' : 'method.feeAbsorbed', {
        percent: format.number(method.feePercent),
      }),
    );
  for (const tier of method.bonusTiers)
    parts.push(t('method.bonus', { percent: format.number(tier.percent), amount: money(tier.from) }));
  return parts.join(' · ');
}

/** The customer's deposits with their states (the amount credited, its bonus, and why one failed). */
export function DepositTable(props: { deposits: readonly Deposit[] }) {
  const { t } = useTranslation('funds');
  const format = useFormat();
  const money = useMoney();
  if (props.deposits.length === 0) return <p className="muted">{t('deposits.empty')}</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t('deposits.deposit')}</th>
          <th scope="col">{t('deposits.date')}</th>
          <th scope="col">{t('deposits.method')}</th>
          <th scope="col">{t('deposits.amount')}</th>
          <th scope="col">{t('deposits.bonus')}</th>
          <th scope="col">{t('deposits.statusHeader')}</th>
        </tr>
      </thead>
      <tbody>
        {props.deposits.map((deposit) => (
          <tr key={deposit.id}>
            <td data-label={t('deposits.deposit')}>#{deposit.id}</td>
            <td data-label={t('deposits.date')}>{format.dateTime(deposit.createdAt)}</td>
            <td data-label={t('deposits.method')}>{deposit.methodName}</td>
            <td data-label={t('deposits.amount')}>{money(deposit.amount)}</td>
            <td data-label={t('deposits.bonus')}>{money(deposit.bonus)}</td>
            <td data-label={t('deposits.statusHeader')}>
              <DepositStatus status={deposit.status} />
              {deposit.reason !== null && <span className="muted small block">{deposit.reason}</span>}
              {deposit.redirectUrl !== null && (
                <a className="small block" href={deposit.redirectUrl}>
                  {t('deposits.payNow')}
                </a>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where a gateway's return page lands: the state of the deposit the customer just paid. */
export function DepositNotice(props: { depositId: number }) {
  const { t } = useTranslation('funds');
  const { data } = useResource('/deposits');
  const deposit = data?.deposits.find((item) => item.id === props.depositId);
  if (!deposit) return null;
  const status = t(`deposits.status.${deposit.status}`);
  return (
    <Alert kind={deposit.status === 'paid' ? 'ok' : deposit.status === 'pending' ? 'info' : 'error'}>
      {deposit.reason !== null
        ? t('deposits.noticeReason', { id: deposit.id, status, reason: deposit.reason })
        : t('deposits.notice', { id: deposit.id, status })}
    </Alert>
  );
}

export function AddFundsPage() {
  const { t } = useTranslation('funds');
  const format = useFormat();
  const methods = useResource('/payment-methods');
  const deposits = useResource('/deposits');
  const [methodId, setMethodId] = useState('');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<{ id: number; instructions: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const list = methods.data?.methods ?? [];
  const method = list.find((item) => String(item.id) === methodId) ?? list[0];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!method) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post('/deposits', {
        method: method.id,
        amount: amount.trim(),
        ...(reference.trim() === '' ? {} : { reference: reference.trim() }),
      });
      if (answer.redirectUrl !== null) {
        window.location.assign(answer.redirectUrl);
        return;
      }
      setStarted({ id: answer.id, instructions: answer.instructions });
      setAmount('');
      setReference('');
      deposits.reload();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('addFunds.title')}>
      <Card title={t('addFunds.payIn')}>
        {methods.data === null ? (
          <Loading error={methods.error} />
        ) : list.length === 0 || !method ? (
          <p className="muted">{t('addFunds.noMethod')}</p>
        ) : (
          <form onSubmit={(event) => void submit(event)} aria-label={t('addFunds.title')}>
            <Select
              label={t('addFunds.method')}
              value={String(method.id)}
              onChange={setMethodId}
              options={list.map((item) => ({ value: String(item.id), label: item.name }))}
            />
            {method.min !== null ||
            method.max !== null ||
            method.feePercent !== '0' ||
            method.bonusTiers.length > 0 ? (
              <p className="muted small">{methodTerms(method, t, format)}</p>
            ) : null}
            <Field
              label={t('addFunds.amount')}
              value={amount}
              onChange={setAmount}
              inputMode="decimal"
              required
            />
            <DepositQuoteView methodId={method.id} amount={amount} />
            {method.gateway === 'manual' && (
              <Field
                label={t('addFunds.reference')}
                value={reference}
                onChange={setReference}
                hint={t('addFunds.referenceHint')}
              />
            )}
            {error !== null && <Alert kind="error">{error}</Alert>}
            <button type="submit" className="primary" disabled={busy}>
              {method.gateway === 'manual' ? t('addFunds.paid') : t('addFunds.continue')}
            </button>
          </form>
        )}
        {started !== null && (
          <Alert kind="info">
            {t('addFunds.waiting', { id: started.id })}
            {started.instructions !== null && <span className="block pre-wrap">{started.instructions}</span>}
          </Alert>
        )}
      </Card>
      <Card title={t('deposits.title')}>
        {deposits.data === null ? (
          <Loading error={deposits.error} />
        ) : (
          <DepositTable deposits={deposits.data.deposits} />
        )}
      </Card>
    </Page>
  );
}
