import type { DeliveryRow, DeliveryWindow } from '@smmkit/contract';
import { useMemo, useState } from 'react';
import { Card, Loading, Page, Select, date } from '../../components/ui.js';
import { displayAverageTime } from '../../durations.js';
import { useResource } from '../../hooks.js';
import { useMoney } from '../../session.js';

type Column = 'name' | 'averageTimeSeconds' | keyof DeliveryWindow;
const COLUMNS: readonly (readonly [Column, string])[] = [
  ['name', 'Name'],
  ['orders', 'Orders'],
  ['completed', 'Completed'],
  ['partial', 'Partial'],
  ['canceled', 'Canceled'],
  ['refunded', 'Refunded'],
  ['refills', 'Refills'],
  ['averageTimeSeconds', 'Average time'],
];

/** The value a row sorts by; unknown average times sort last either way. */
function sortValue(row: DeliveryRow, window: 'last7' | 'last30', column: Column): string | number | null {
  if (column === 'name') return row.name.toLowerCase();
  if (column === 'averageTimeSeconds') return row.averageTimeSeconds;
  // Money as exact decimal text: compared as a number only to order rows, never shown.
  if (column === 'refunded') return Number(row[window].refunded);
  return row[window][column];
}

function DeliveryTable(props: { title: string; rows: readonly DeliveryRow[] }) {
  const money = useMoney();
  const [window, setWindow] = useState<'last7' | 'last30'>('last30');
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({
    column: 'orders',
    descending: true,
  });
  const rows = useMemo(() => {
    const sorted = [...props.rows].sort((a, b) => {
      const [x, y] = [sortValue(a, window, sort.column), sortValue(b, window, sort.column)];
      if (x === y) return a.id - b.id;
      if (x === null) return 1;
      if (y === null) return -1;
      const order = x < y ? -1 : 1;
      return sort.descending ? -order : order;
    });
    return sorted;
  }, [props.rows, window, sort]);
  const choose = (column: Column) =>
    setSort((now) => ({ column, descending: now.column === column ? !now.descending : column !== 'name' }));
  return (
    <Card title={props.title}>
      <Select
        label="Period"
        value={window}
        onChange={(value) => setWindow(value === 'last7' ? 'last7' : 'last30')}
        options={[
          { value: 'last30', label: 'Last 30 days' },
          { value: 'last7', label: 'Last 7 days' },
        ]}
      />
      {rows.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              {COLUMNS.map(([column, label]) => (
                <th
                  key={column}
                  scope="col"
                  aria-sort={
                    sort.column === column ? (sort.descending ? 'descending' : 'ascending') : undefined
                  }
                >
                  <button type="button" className="link-button" onClick={() => choose(column)}>
                    {label}
                    {sort.column === column ? (sort.descending ? ' ↓' : ' ↑') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td data-label="Name">
                  {row.name} <span className="muted small">#{row.id}</span>
                </td>
                <td data-label="Orders">{row[window].orders}</td>
                <td data-label="Completed">{row[window].completed}</td>
                <td data-label="Partial">{row[window].partial}</td>
                <td data-label="Canceled">{row[window].canceled}</td>
                <td data-label="Refunded">{money(row[window].refunded)}</td>
                <td data-label="Refills">{row[window].refills}</td>
                <td data-label="Average time">{displayAverageTime(row.averageTimeSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** Delivery statistics per service and per provider, and the orders that are stuck. */
export function AdminDeliveryPage() {
  const { data, error } = useResource('/admin/delivery');
  if (data === null) {
    return (
      <Page title="Delivery">
        <Loading error={error} />
      </Page>
    );
  }
  return (
    <Page title="Delivery">
      <p className="muted small">
        Average time: the mean of the 10 latest completed orders&apos; time from placing to completion, per
        1000 units. Stuck: in progress for more than three times that, for its quantity.
      </p>
      <Card title="Stuck orders">
        {data.stuck.length === 0 ? (
          <p className="muted">No order is stuck.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Service</th>
                <th scope="col">Status</th>
                <th scope="col">Quantity</th>
                <th scope="col">Placed</th>
                <th scope="col">Waited</th>
                <th scope="col">Expected</th>
              </tr>
            </thead>
            <tbody>
              {data.stuck.map((order) => (
                <tr key={order.id}>
                  <td data-label="Order">#{order.id}</td>
                  <td data-label="Service">{order.serviceName}</td>
                  <td data-label="Status">{order.status}</td>
                  <td data-label="Quantity">{order.quantity}</td>
                  <td data-label="Placed">{date(order.createdAt)}</td>
                  <td data-label="Waited">{displayAverageTime(order.waitedSeconds)}</td>
                  <td data-label="Expected">{displayAverageTime(order.expectedSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <DeliveryTable title="By service" rows={data.services} />
      <DeliveryTable title="By provider" rows={data.providers} />
    </Page>
  );
}
