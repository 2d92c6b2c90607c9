import type { AdminDeposit } from '@smmkit/contract';
import { useState } from 'react';
import { api, query } from '../../api.js';
import { Alert, Card, Field, Loading, Page, Select, StatusBadge, date } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { useMoney } from '../../session.js';
import { PaymentMethodsCard } from './payment-methods.js';

const FILTERS = [
  { value: '', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'review', label: 'In review' },
  { value: 'paid', label: 'Paid' },
  { value: 'failed', label: 'Failed' },
  { value: 'expired', label: 'Expired' },
  { value: 'refunded', label: 'Refunded' },
  { value: 'disputed', label: 'Disputed' },
] as const;

function DepositActions(props: { deposit: AdminDeposit; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { deposit } = props;
  const open = deposit.status === 'review' || (deposit.status === 'pending' && deposit.gateway === 'manual');
  if (!open) return null;
  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      props.onDone();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <form aria-label={`Decide deposit ${deposit.id}`} onSubmit={(event) => event.preventDefault()}>
      <button type="button" onClick={() => void act(() => api.post(`/admin/deposits/${deposit.id}/approve`))}>
        Approve
      </button>
      <Field label="Reason" value={reason} onChange={setReason} />
      <button
        type="button"
        onClick={() => void act(() => api.post(`/admin/deposits/${deposit.id}/reject`, { reason }))}
      >
        Reject
      </button>
      {error !== null && <Alert kind="error">{error}</Alert>}
    </form>
  );
}

/** Admin › Payments: the methods (secrets masked) and every deposit, with approve and reject. */
export function AdminPaymentsPage() {
  const money = useMoney();
  const [status, setStatus] = useState('');
  const methods = useResource('/admin/payment-methods');
  const deposits = useResource(`/admin/deposits${query({ status })}`);
  return (
    <Page title="Payments">
      <Card title="Deposits">
        <Select label="Status" value={status} onChange={setStatus} options={FILTERS} />
        {deposits.data === null ? (
          <Loading error={deposits.error} />
        ) : deposits.data.deposits.length === 0 ? (
          <p className="muted">No deposits.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Deposit</th>
                <th scope="col">Customer</th>
                <th scope="col">Method</th>
                <th scope="col">Amount</th>
                <th scope="col">Bonus</th>
                <th scope="col">Status</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {deposits.data.deposits.map((deposit) => (
                <tr key={deposit.id}>
                  <td data-label="Deposit">
                    #{deposit.id}
                    <span className="muted small block">{date(deposit.createdAt)}</span>
                  </td>
                  <td data-label="Customer">{deposit.username}</td>
                  <td data-label="Method">
                    {deposit.methodName}
                    {deposit.reference !== null && (
                      <span className="muted small block">{deposit.reference}</span>
                    )}
                  </td>
                  <td data-label="Amount">{money(deposit.amount)}</td>
                  <td data-label="Bonus">{money(deposit.bonus)}</td>
                  <td data-label="Status">
                    <StatusBadge status={deposit.status} />
                    {deposit.reason !== null && <span className="muted small block">{deposit.reason}</span>}
                  </td>
                  <td data-label="Decision">
                    <DepositActions deposit={deposit} onDone={deposits.reload} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Methods">
        {methods.data === null ? (
          <Loading error={methods.error} />
        ) : (
          <PaymentMethodsCard methods={methods.data.methods} onChanged={methods.reload} />
        )}
      </Card>
    </Page>
  );
}
