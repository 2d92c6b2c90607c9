import type { AdminOrder, CustomerOrder } from '@smmkit/contract';
import { type ReactNode, useState } from 'react';
import { useMoney } from '../session.js';
import { StatusBadge, date } from './ui.js';

/** An order's own fields (comments, usernames…) in one line of text; null: none. */
export function detailText(order: CustomerOrder): string | null {
  const parts: string[] = [];
  const details = typeof order.details === 'object' && order.details !== null ? order.details : {};
  for (const [name, value] of Object.entries(details)) {
    if (Array.isArray(value)) parts.push(`${name}: ${value.length} lines`);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      parts.push(`${name}: ${value}`);
  }
  return parts.length === 0 ? null : parts.join(' · ');
}

/** The dispatch state and last provider error: in the admin's lists only (a customer never sees them). */
function dispatchOf(order: CustomerOrder | AdminOrder): { review: boolean; error: string | null } {
  return 'dispatchState' in order
    ? { review: order.dispatchState === 'review', error: order.dispatchError }
    : { review: false, error: null };
}

/** Orders as cards: each with its money and state, drip-feed runs or subscription posts on demand. */
export function OrderList<O extends CustomerOrder | AdminOrder>(props: {
  orders: readonly O[];
  showOwner?: boolean;
  actions: (order: O) => ReactNode;
}) {
  const money = useMoney();
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  if (props.orders.length === 0) return <p className="muted">No orders match.</p>;
  return (
    <ul className="orders">
      {props.orders.map((order) => {
        const details = detailText(order);
        const dispatch = dispatchOf(order);
        const childLabel = order.kind === 'dripfeed' ? 'runs' : 'posts';
        return (
          <li key={order.id} className="order-card" aria-label={`Order ${order.id}`}>
            <div className="order-top">
              <strong>#{order.id}</strong>
              <StatusBadge status={order.status} />
              {order.kind !== 'order' && (
                <span className="kind">{order.kind === 'dripfeed' ? 'Drip-feed' : 'Subscription'}</span>
              )}
              {dispatch.review && <span className="badge badge-review">Needs review</span>}
              <span className="order-charge">{money(order.charge)}</span>
            </div>
            <div className="order-service">
              {order.serviceName}
              {props.showOwner && <span className="muted"> · {order.username}</span>}
            </div>
            {order.link !== null && <div className="order-link">{order.link}</div>}
            <dl className="order-facts">
              {order.kind !== 'subscription' && (
                <>
                  <div>
                    <dt>Quantity</dt>
                    <dd>
                      {order.quantity}
                      {order.runs !== null && ` × ${order.runs} runs every ${order.interval} min`}
                    </dd>
                  </div>
                  <div>
                    <dt>Start count</dt>
                    <dd>{order.startCount}</dd>
                  </div>
                  <div>
                    <dt>Remains</dt>
                    <dd>{order.remains}</dd>
                  </div>
                </>
              )}
              <div>
                <dt>Placed</dt>
                <dd>{date(order.createdAt)}</dd>
              </div>
            </dl>
            {details !== null && <p className="muted small">{details}</p>}
            {dispatch.error && <p className="field-error">Provider: {dispatch.error}</p>}
            <div className="order-actions">
              {order.kind !== 'order' && (
                <button type="button" aria-expanded={open.has(order.id)} onClick={() => toggle(order.id)}>
                  {open.has(order.id) ? 'Hide' : 'Show'} {childLabel} ({order.children.length})
                </button>
              )}
              {props.actions(order)}
            </div>
            {open.has(order.id) && (
              <table className="table children">
                <caption className="sr-only">
                  {childLabel} of order {order.id}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Status</th>
                    <th scope="col">Quantity</th>
                    <th scope="col">Remains</th>
                    <th scope="col">Charge</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {order.children.length === 0 ? (
                    <tr>
                      <td colSpan={6}>None yet.</td>
                    </tr>
                  ) : (
                    order.children.map((child) => (
                      <tr key={child.id}>
                        <td data-label="Order">#{child.id}</td>
                        <td data-label="Status">
                          <StatusBadge status={child.status} />
                        </td>
                        <td data-label="Quantity">{child.quantity}</td>
                        <td data-label="Remains">{child.remains}</td>
                        <td data-label="Charge">{money(child.charge)}</td>
                        <td data-label="Created">{date(child.createdAt)}</td>
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            )}
          </li>
        );
      })}
    </ul>
  );
}
