import type { BulkOrdersAnswer, CustomerOrder, StatusCount } from '@smmkit/contract';
import { detailText } from '../../components/order-list.js';
import { type FormEvent, useState } from 'react';
import { api, query } from '../../api.js';
import { Alert, Field, Loading, Page, Pager, StatusBadge, date, useConfirm } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useMoney } from '../../session.js';

/** The tabs always shown; other statuses (subscriptions', Processing) get a tab when some order has them. */
const MAIN_TABS = ['Pending', 'In progress', 'Completed', 'Partial', 'Canceled'];

type BulkAction = 'refill' | 'cancel';

/** "https://instagram.com/some/long/path" → "instagram.com/some/lo…": the full link is in its title. */
export function shortLink(link: string, room = 32): string {
  const bare = link.replace(/^https?:\/\/(www\.)?/i, '');
  return bare.length <= room ? bare : `${bare.slice(0, room - 1)}…`;
}

function tabsOf(counts: readonly StatusCount[]): { label: string; status: string; count: number }[] {
  const all = counts.reduce((sum, c) => sum + c.count, 0);
  const shown = counts.filter((c) => MAIN_TABS.includes(c.status) || c.count > 0);
  return [{ label: 'All', status: '', count: all }, ...shown.map((c) => ({ label: c.status, ...c }))];
}

export function OrdersPage() {
  const money = useMoney();
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [typed, setTyped] = useState('');
  const [page, setPage] = useState(1);
  const { data, error, reload } = useResource(`/orders${query({ status, q: search, page })}`);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const [results, setResults] = useState<{ action: BulkAction; answer: BulkOrdersAnswer } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [dialog, ask] = useConfirm();

  const orders = data?.orders ?? [];
  const chosen = orders.filter((order) => selected.has(order.id));
  const refillable = chosen.filter((order) => order.canRefill);
  const cancelable = chosen.filter((order) => order.canCancel);

  const filter = (next: { status?: string; search?: string }) => {
    setStatus(next.status ?? status);
    setSearch(next.search ?? search);
    setPage(1);
    setSelected(new Set());
  };
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    filter({ search: typed.trim() });
  };
  const toggle = (set: ReadonlySet<number>, id: number) => {
    const next = new Set(set);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  };

  const run = async (action: BulkAction, ids: number[]) => {
    setFailure(null);
    setResults(null);
    try {
      const answer = await api.post('/orders/bulk', { action, orders: ids });
      setResults({ action, answer });
      setSelected(new Set());
      reload();
    } catch (thrown) {
      setFailure(errorText(thrown));
    }
  };

  /** Asks first: what will happen to which orders, and which of the selection it does not apply to. */
  const confirm = (action: BulkAction, targets: CustomerOrder[]) => {
    const ids = targets.map((order) => order.id);
    const left = chosen.length - targets.length;
    const what = ids.length === 1 ? `order #${ids[0]}` : `${ids.length} orders`;
    ask({
      title: action === 'refill' ? `Request a refill for ${what}?` : `Cancel ${what}?`,
      body: (
        <>
          <p>
            {action === 'refill'
              ? 'A refill restores what dropped since the order completed.'
              : 'What is not delivered yet is refunded to your balance. This cannot be undone.'}
          </p>
          <p>Orders: {ids.map((id) => `#${id}`).join(', ')}</p>
          {left > 0 && (
            <p className="muted">
              {left} other selected {left === 1 ? 'order does' : 'orders do'} not allow this and{' '}
              {left === 1 ? 'is' : 'are'} left as {left === 1 ? 'it is' : 'they are'}.
            </p>
          )}
        </>
      ),
      confirm:
        action === 'refill'
          ? `Request the ${ids.length === 1 ? 'refill' : 'refills'}`
          : `Cancel the ${ids.length === 1 ? 'order' : 'orders'}`,
      onConfirm: () => run(action, ids),
    });
  };

  const allOnPage = orders.length > 0 && orders.every((order) => selected.has(order.id));
  const tabs = data === null ? [] : tabsOf(data.counts);

  return (
    <Page
      title="Orders"
      actions={
        <Link href="/new-order" className="button primary">
          New order
        </Link>
      }
    >
      <nav aria-label="Order status" className="tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.label}>
              <button
                type="button"
                className="tab"
                aria-pressed={status === tab.status}
                onClick={() => filter({ status: tab.status })}
              >
                {tab.label} <span className="tab-count">{tab.count}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <form className="filters" role="search" onSubmit={submitSearch}>
        <Field label="Search by order id or link" value={typed} onChange={setTyped} />
        <button type="submit">Search</button>
        {search !== '' && (
          <button
            type="button"
            onClick={() => {
              setTyped('');
              filter({ search: '' });
            }}
          >
            Clear search
          </button>
        )}
      </form>
      {dialog}
      {failure !== null && <Alert kind="error">{failure}</Alert>}
      {results !== null && <BulkSummary {...results} onClose={() => setResults(null)} />}
      {data === null ? (
        <Loading error={error} />
      ) : orders.length === 0 ? (
        <EmptyOrders filtered={status !== '' || search !== ''} total={tabs[0]?.count ?? 0} />
      ) : (
        <>
          <div className="bulk-bar" role="group" aria-label="Selected orders">
            <label className="check">
              <input
                type="checkbox"
                checked={allOnPage}
                onChange={() => setSelected(allOnPage ? new Set() : new Set(orders.map((order) => order.id)))}
              />{' '}
              Select every order on this page
            </label>
            <span aria-live="polite">
              {chosen.length === 0
                ? 'Select orders to refill or cancel several at once.'
                : `${chosen.length} selected`}
            </span>
            <button
              type="button"
              disabled={refillable.length === 0}
              onClick={() => confirm('refill', refillable)}
            >
              Refill selected{refillable.length > 0 ? ` (${refillable.length})` : ''}
            </button>
            <button
              type="button"
              className="danger"
              disabled={cancelable.length === 0}
              onClick={() => confirm('cancel', cancelable)}
            >
              Cancel selected{cancelable.length > 0 ? ` (${cancelable.length})` : ''}
            </button>
          </div>
          <table className="table orders-table">
            <caption className="sr-only">
              Your orders{status !== '' ? `: ${status}` : ''}
              {search !== '' ? `, matching “${search}”` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Select</span>
                </th>
                <th scope="col">ID</th>
                <th scope="col">Date</th>
                <th scope="col">Link</th>
                <th scope="col">Charge</th>
                <th scope="col">Start count</th>
                <th scope="col">Quantity</th>
                <th scope="col">Service</th>
                <th scope="col">Status</th>
                <th scope="col">Remains</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <OrderRow
                  key={order.id}
                  order={order}
                  money={money}
                  selected={selected.has(order.id)}
                  onSelect={() => setSelected(toggle(selected, order.id))}
                  open={open.has(order.id)}
                  onOpen={() => setOpen(toggle(open, order.id))}
                  onAct={(action) => confirm(action, [order])}
                />
              ))}
            </tbody>
          </table>
          {data.total > data.pageSize && (
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
          )}
        </>
      )}
    </Page>
  );
}

function OrderRow(props: {
  order: CustomerOrder;
  money: (amount: string) => string;
  selected: boolean;
  onSelect: () => void;
  open: boolean;
  onOpen: () => void;
  onAct: (action: BulkAction) => void;
}) {
  const { order, money } = props;
  const childLabel = order.kind === 'dripfeed' ? 'runs' : 'posts';
  const details = detailText(order);
  return (
    <>
      <tr className={props.selected ? 'selected-row' : undefined} aria-label={`Order ${order.id}`}>
        <td data-label="Select">
          <input
            type="checkbox"
            aria-label={`Select order ${order.id}`}
            checked={props.selected}
            onChange={props.onSelect}
          />
        </td>
        <td data-label="ID">{order.id}</td>
        <td data-label="Date" className="nowrap">
          {date(order.createdAt)}
        </td>
        <td data-label="Link" className="link-cell">
          {order.link === null ? (
            '—'
          ) : (
            <span title={order.link}>
              <span aria-hidden="true">{shortLink(order.link)}</span>
              <span className="sr-only">{order.link}</span>
            </span>
          )}
        </td>
        <td data-label="Charge" className="nowrap">
          {money(order.charge)}
        </td>
        <td data-label="Start count">{order.kind === 'subscription' ? '—' : order.startCount}</td>
        <td data-label="Quantity">
          {order.kind === 'subscription' ? '—' : order.quantity}
          {order.runs !== null && (
            <span className="muted small">
              {' '}
              × {order.runs} runs every {order.interval} min
            </span>
          )}
        </td>
        <td data-label="Service">
          {order.serviceName}
          {order.kind !== 'order' && (
            <span className="kind">{order.kind === 'dripfeed' ? 'Drip-feed' : 'Subscription'}</span>
          )}
          {details !== null && <div className="muted small">{details}</div>}
        </td>
        <td data-label="Status">
          <StatusBadge status={order.status} />
        </td>
        <td data-label="Remains">{order.kind === 'subscription' ? '—' : order.remains}</td>
        <td data-label="Actions" className="row-actions">
          {order.canRefill && (
            <button type="button" className="small-button" onClick={() => props.onAct('refill')}>
              Refill<span className="sr-only"> order {order.id}</span>
            </button>
          )}
          {order.canCancel && (
            <button type="button" className="small-button danger" onClick={() => props.onAct('cancel')}>
              Cancel<span className="sr-only"> order {order.id}</span>
            </button>
          )}
          {order.kind !== 'order' && (
            <button type="button" className="small-button" aria-expanded={props.open} onClick={props.onOpen}>
              {props.open ? 'Hide' : 'Show'} {childLabel} ({order.children.length})
              <span className="sr-only"> of order {order.id}</span>
            </button>
          )}
        </td>
      </tr>
      {props.open && (
        <tr className="children-row">
          <td colSpan={11} data-label={`${childLabel} of #${order.id}`}>
            {order.children.length === 0 ? (
              <p className="muted small">None yet.</p>
            ) : (
              <ul className="list small">
                {order.children.map((child) => (
                  <li key={child.id} className="list-row">
                    <span>
                      #{child.id} · {date(child.createdAt)} · {child.quantity} (remains {child.remains})
                    </span>
                    <span className="row-end">
                      <StatusBadge status={child.status} />
                      <span>{money(child.charge)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

/** After a bulk action: one line per order, accepted or refused and why. */
function BulkSummary(props: { action: BulkAction; answer: BulkOrdersAnswer; onClose: () => void }) {
  const done = props.answer.results.filter((r) => r.ok).length;
  const refused = props.answer.results.length - done;
  return (
    <div className={`alert ${refused === 0 ? 'alert-ok' : 'alert-info'} bulk-summary`} role="status">
      <p>
        <strong>
          {props.action === 'refill' ? 'Refill' : 'Cancel'}: {done} accepted
          {refused > 0 ? `, ${refused} refused` : ''}.
        </strong>
      </p>
      <ul>
        {props.answer.results.map((result) => (
          <li key={result.order} className={result.ok ? 'positive' : 'negative'}>
            Order #{result.order}: {result.message}
          </li>
        ))}
      </ul>
      <button type="button" className="small-button" onClick={props.onClose}>
        Dismiss
      </button>
    </div>
  );
}

function EmptyOrders(props: { filtered: boolean; total: number }) {
  if (props.filtered) return <p className="muted">No orders match. Try another status or search.</p>;
  return (
    <div className="card empty-state">
      <h2>No orders yet</h2>
      <p>
        Choose a service on the <Link href="/services">Services</Link> page or go straight to{' '}
        <Link href="/new-order">New order</Link>. Orders you place here or through the API show up in this
        table, with their status and what remains to deliver.
      </p>
      {props.total === 0 && (
        <p className="muted small">
          Need funds first? <Link href="/add-funds">Add funds</Link>.
        </p>
      )}
    </div>
  );
}
