import type { ServiceUpdateView } from '@smmkit/contract';
import { useState } from 'react';
import { query } from '../../api.js';
import { Card, Loading, Page, Pager, date } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useMoney } from '../../session.js';

const KIND_LABELS: Record<ServiceUpdateView['kind'], string> = {
  new: 'New service',
  price_up: 'Price up',
  price_down: 'Price down',
  min_changed: 'Minimum changed',
  max_changed: 'Maximum changed',
  disabled: 'Disabled',
  enabled: 'Enabled again',
};

/** What changed, in the customer's words: rates as money per 1000, bounds as quantities. */
function Change(props: { update: ServiceUpdateView }) {
  const money = useMoney();
  const { kind, old, new: now } = props.update;
  const shown = (value: string | null) =>
    value === null ? '—' : kind === 'min_changed' || kind === 'max_changed' ? value : money(value);
  if (kind === 'disabled') return <>No longer available</>;
  if (old === null) return <>{now === null ? '—' : `${shown(now)} per 1000`}</>;
  return (
    <>
      {shown(old)} → {shown(now)}
      {kind === 'price_up' || kind === 'price_down' ? ' per 1000' : ''}
    </>
  );
}

/** The catalogue's changes a customer would care about, newest first. */
export function UpdatesPage() {
  const [page, setPage] = useState(1);
  const { data, error } = useResource(`/service-updates${query({ page })}`);
  return (
    <Page title="Updates">
      <Card>
        {data === null ? (
          <Loading error={error} />
        ) : data.updates.length === 0 ? (
          <p className="muted">No service has changed yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Service</th>
                <th scope="col">Update</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {data.updates.map((update) => (
                <tr key={update.id}>
                  <td data-label="When">{date(update.createdAt)}</td>
                  <td data-label="Service">
                    {update.kind === 'disabled' ? (
                      update.serviceName
                    ) : (
                      <Link href={`/new-order?service=${update.serviceId}`}>{update.serviceName}</Link>
                    )}
                    <span className="muted small block">#{update.serviceId}</span>
                  </td>
                  <td data-label="Update">{KIND_LABELS[update.kind]}</td>
                  <td data-label="Change">
                    <Change update={update} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data !== null && data.total > data.pageSize && (
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        )}
      </Card>
    </Page>
  );
}
