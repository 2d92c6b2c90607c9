import type { AdminOrder, CustomerOrder } from '@smmkit/contract';
import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format.js';
import { useMoney } from '../session.js';
import { StatusBadge } from './ui.js';

/** An order's own fields (comments, usernames…) in one line of text; null: none. */
export function detailText(order: CustomerOrder, t: TFunction<'orders'>): string | null {
  const parts: string[] = [];
  const details = typeof order.details === 'object' && order.details !== null ? order.details : {};
  for (const [name, value] of Object.entries(details)) {
    if (Array.isArray(value)) parts.push(`${name}: ${t('details.lines', { count: value.length })}`);
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
  const { t } = useTranslation('orders');
  const format = useFormat();
  const money = useMoney();
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  if (props.orders.length === 0) return <p className="muted">{t('list.noMatch')}</p>;
  return (
    <ul className="orders">
      {props.orders.map((order) => {
        const details = detailText(order, t);
        const dispatch = dispatchOf(order);
        const runs = order.kind === 'dripfeed';
        const children = format.number(order.children.length);
        return (
          <li key={order.id} className="order-card" aria-label={t('row.label', { id: order.id })}>
            <div className="order-top">
              <strong>#{order.id}</strong>
              <StatusBadge status={order.status} />
              {order.kind !== 'order' && (
                <span className="kind">{t(runs ? 'kind.dripfeed' : 'kind.subscription')}</span>
              )}
              {dispatch.review && <span className="badge badge-review">{t('list.needsReview')}</span>}
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
                    <dt>{t('table.quantity')}</dt>
                    <dd>
                      {format.number(order.quantity)}
                      {order.runs !== null &&
                        ` ${t('row.runs', { runs: format.number(order.runs), interval: format.number(order.interval ?? 0) })}`}
                    </dd>
                  </div>
                  <div>
                    <dt>{t('table.startCount')}</dt>
                    <dd>{format.number(order.startCount)}</dd>
                  </div>
                  <div>
                    <dt>{t('table.remains')}</dt>
                    <dd>{format.number(order.remains)}</dd>
                  </div>
                </>
              )}
              <div>
                <dt>{t('list.placed')}</dt>
                <dd>{format.dateTime(order.createdAt)}</dd>
              </div>
            </dl>
            {details !== null && <p className="muted small">{details}</p>}
            {dispatch.error && <p className="field-error">{t('list.provider', { error: dispatch.error })}</p>}
            <div className="order-actions">
              {order.kind !== 'order' && (
                <button type="button" aria-expanded={open.has(order.id)} onClick={() => toggle(order.id)}>
                  {open.has(order.id)
                    ? t(runs ? 'children.hideRuns' : 'children.hidePosts', { n: children })
                    : t(runs ? 'children.showRuns' : 'children.showPosts', { n: children })}
                </button>
              )}
              {props.actions(order)}
            </div>
            {open.has(order.id) && (
              <table className="table children">
                <caption className="sr-only">
                  {t(runs ? 'list.runsOfOrder' : 'list.postsOfOrder', { id: order.id })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('list.order')}</th>
                    <th scope="col">{t('table.status')}</th>
                    <th scope="col">{t('table.quantity')}</th>
                    <th scope="col">{t('table.remains')}</th>
                    <th scope="col">{t('table.charge')}</th>
                    <th scope="col">{t('list.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {order.children.length === 0 ? (
                    <tr>
                      <td colSpan={6}>{t('children.none')}</td>
                    </tr>
                  ) : (
                    order.children.map((child) => (
                      <tr key={child.id}>
                        <td data-label={t('list.order')}>#{child.id}</td>
                        <td data-label={t('table.status')}>
                          <StatusBadge status={child.status} />
                        </td>
                        <td data-label={t('table.quantity')}>{format.number(child.quantity)}</td>
                        <td data-label={t('table.remains')}>{format.number(child.remains)}</td>
                        <td data-label={t('table.charge')}>{money(child.charge)}</td>
                        <td data-label={t('list.created')}>{format.dateTime(child.createdAt)}</td>
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
