import type { CustomerPaymentMethod, Deposit } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, Field, Loading, Page, Select, StatusBadge, date } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { useMoney } from '../../session.js';
import { DepositQuoteView } from './deposit-quote.js';

const STATUS_LABELS: Record<Deposit['status'], string> = {
  pending: 'Pending',
  paid: 'Paid',
  failed: 'Failed',
  expired: 'Expired',
  review: 'In review',
  refunded: 'Refunded',
  disputed: 'Disputed',
};

function methodTerms(method: CustomerPaymentMethod): string {
  const parts: string[] = [];
  if (method.min !== null) parts.push(`from ${method.min}`);
  if (method.max !== null) parts.push(`up to ${method.max}`);
  if (method.feePercent !== '0')
    parts.push(
      `fee ${method.feePercent}% ${method.feeMode === 'added' ? 'added to what you pay' : 'paid by us'}`,
    );
  for (const tier of method.bonusTiers) parts.push(`+${tier.percent}% bonus from ${tier.from}`);
  return parts.join(' · ');
}

/** The customer's deposits with their states (the amount credited, its bonus, and why one failed). */
export function DepositTable(props: { deposits: readonly Deposit[] }) {
  const money = useMoney();
  if (props.deposits.length === 0) return <p className="muted">No deposits yet.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Deposit</th>
          <th scope="col">Date</th>
          <th scope="col">Method</th>
          <th scope="col">Amount</th>
          <th scope="col">Bonus</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {props.deposits.map((deposit) => (
          <tr key={deposit.id}>
            <td data-label="Deposit">#{deposit.id}</td>
            <td data-label="Date">{date(deposit.createdAt)}</td>
            <td data-label="Method">{deposit.methodName}</td>
            <td data-label="Amount">{money(deposit.amount)}</td>
            <td data-label="Bonus">{money(deposit.bonus)}</td>
            <td data-label="Status">
              <StatusBadge status={STATUS_LABELS[deposit.status]} />
              {deposit.reason !== null && <span className="muted small block">{deposit.reason}</span>}
              {deposit.redirectUrl !== null && (
                <a className="small block" href={deposit.redirectUrl}>
                  Pay now
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
  const { data } = useResource('/deposits');
  const deposit = data?.deposits.find((item) => item.id === props.depositId);
  if (!deposit) return null;
  return (
    <Alert kind={deposit.status === 'paid' ? 'ok' : deposit.status === 'pending' ? 'info' : 'error'}>
      Deposit #{deposit.id}: {STATUS_LABELS[deposit.status]}
      {deposit.reason !== null && ` (${deposit.reason})`}
    </Alert>
  );
}

export function AddFundsPage() {
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
    <Page title="Add funds">
      <Card title="Pay in">
        {methods.data === null ? (
          <Loading error={methods.error} />
        ) : list.length === 0 || !method ? (
          <p className="muted">No payment method is available yet: contact the panel owner.</p>
        ) : (
          <form onSubmit={(event) => void submit(event)} aria-label="Add funds">
            <Select
              label="Method"
              value={String(method.id)}
              onChange={setMethodId}
              options={list.map((item) => ({ value: String(item.id), label: item.name }))}
            />
            {methodTerms(method) !== '' && <p className="muted small">{methodTerms(method)}</p>}
            <Field label="Amount" value={amount} onChange={setAmount} inputMode="decimal" required />
            <DepositQuoteView methodId={method.id} amount={amount} />
            {method.gateway === 'manual' && (
              <Field
                label="Reference"
                value={reference}
                onChange={setReference}
                hint="Your transfer's reference, so we can find it"
              />
            )}
            {error !== null && <Alert kind="error">{error}</Alert>}
            <button type="submit" className="primary" disabled={busy}>
              {method.gateway === 'manual' ? 'I have paid' : 'Continue to payment'}
            </button>
          </form>
        )}
        {started !== null && (
          <Alert kind="info">
            Deposit #{started.id} is waiting for approval.
            {started.instructions !== null && <span className="block pre-wrap">{started.instructions}</span>}
          </Alert>
        )}
      </Card>
      <Card title="Your deposits">
        {deposits.data === null ? (
          <Loading error={deposits.error} />
        ) : (
          <DepositTable deposits={deposits.data.deposits} />
        )}
      </Card>
    </Page>
  );
}
