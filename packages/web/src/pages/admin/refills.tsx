import { useCan } from '../../permissions.js';
import type { Refill } from '@smmkit/contract';
import { useState } from 'react';
import { api, query } from '../../api.js';
import { Alert, Card, Loading, Page, Select, StatusBadge, date } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { REFILL_STATUSES } from '../../status-labels.js';

const NEXT: Record<string, string[]> = {
  Pending: ['In progress', 'Completed', 'Rejected'],
  'In progress': ['Completed', 'Rejected'],
};

export function AdminRefillsPage() {
  const can = useCan();
  const [status, setStatus] = useState('Pending');
  const { data, error, reload } = useResource(`/admin/refills${query({ status })}`);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const move = async (refill: Refill, to: string) => {
    setMessage(null);
    try {
      await api.post(`/admin/refills/${refill.id}/status`, { status: to });
      setMessage({ kind: 'ok', text: `Refill #${refill.id} is ${to}.` });
      reload();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  return (
    <Page title="Refills">
      <div className="filters">
        <Select
          label="Status"
          value={status}
          onChange={setStatus}
          options={[{ value: '', label: 'All' }, ...REFILL_STATUSES.map((s) => ({ value: s, label: s }))]}
        />
      </div>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      <Card>
        {data === null ? (
          <Loading error={error} />
        ) : data.refills.length === 0 ? (
          <p className="muted">No refills here.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Refill</th>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Status</th>
                <th scope="col">Requested</th>
                <th scope="col">Move to</th>
              </tr>
            </thead>
            <tbody>
              {data.refills.map((refill) => (
                <tr key={refill.id}>
                  <td data-label="Refill">#{refill.id}</td>
                  <td data-label="Order">
                    #{refill.orderId} {refill.serviceName}
                    <span className="muted small block">{refill.link}</span>
                  </td>
                  <td data-label="Customer">{refill.username}</td>
                  <td data-label="Status">
                    <StatusBadge status={refill.status} />
                  </td>
                  <td data-label="Requested">{date(refill.createdAt)}</td>
                  <td data-label="Move to">
                    <span className="inline-actions">
                      {(can('refills.act') ? (NEXT[refill.status] ?? []) : []).map((to) => (
                        <button key={to} type="button" onClick={() => void move(refill, to)}>
                          {to}
                        </button>
                      ))}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </Page>
  );
}
