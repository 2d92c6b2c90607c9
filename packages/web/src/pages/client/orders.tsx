import type { BulkOrdersAnswer, CustomerOrder, StatusCount } from '@smmkit/contract';
import { detailText } from '../../components/order-list.js';
import { type FormEvent, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, query } from '../../api.js';
import {
  Alert,
  Field,
  KeysetPager,
  Loading,
  Page,
  StatusBadge,
  useConfirm,
  useKeysetPages,
} from '../../components/ui.js';
import { useFormat } from '../../format.js';
import { errorText, useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useMoney } from '../../session.js';
import { useStatusLabel } from '../../status-labels.js';

/** The tabs always shown; other statuses (subscriptions', Processing) get a tab when some order has them. */
const MAIN_TABS = ['Pending', 'In progress', 'Completed', 'Partial', 'Canceled'];

type BulkAction = 'refill' | 'cancel';

/** "https://instagram.com/some/long/path" → "instagram.com/some/lo…": the full link is in its title. */
export function shortLink(link: string, room = 32): string {
  const bare = link.replace(/^https?:\/\/(www\.)?/i, '');
  return bare.length <= room ? bare : `${bare.slice(0, room - 1)}…`;
}

/** The tabs: "All" then each status (the server's English word, sent as the filter). */
function tabsOf(counts: readonly StatusCount[]): { status: string; count: number }[] {
  const all = counts.reduce((sum, c) => sum + c.count, 0);
  const shown = counts.filter((c) => MAIN_TABS.includes(c.status) || c.count > 0);
  return [{ status: '', count: all }, ...shown];
}

export function OrdersPage() {
  const { t } = useTranslation('orders');
  const statusLabel = useStatusLabel();
  const format = useFormat();
  const money = useMoney();
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [typed, setTyped] = useState('');
  const pages = useKeysetPages();
  const { data, error, reload } = useResource(`/orders${query({ status, q: search, before: pages.before })}`);
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
    pages.reset();
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
    const title =
      ids.length === 1
        ? t(action === 'refill' ? 'confirm.refillOne' : 'confirm.cancelOne', { id: ids[0] })
        : t(action === 'refill' ? 'confirm.refillMany' : 'confirm.cancelMany', { count: ids.length });
    ask({
      title,
      body: (
        <>
          <p>{t(action === 'refill' ? 'confirm.refillBody' : 'confirm.cancelBody')}</p>
          <p>{t('confirm.orders', { ids: ids.map((id) => `#${id}`).join(', ') })}</p>
          {left > 0 && <p className="muted">{t('confirm.left', { count: left })}</p>}
        </>
      ),
      confirm: t(action === 'refill' ? 'confirm.refillButton' : 'confirm.cancelButton', {
        count: ids.length,
      }),
      onConfirm: () => run(action, ids),
    });
  };

  const allOnPage = orders.length > 0 && orders.every((order) => selected.has(order.id));
  const tabs = data === null ? [] : tabsOf(data.counts);

  return (
    <Page
      title={t('title')}
      actions={
        <Link href="/new-order" className="button primary">
          {t('newOrder')}
        </Link>
      }
    >
      <nav aria-label={t('tabs.label')} className="tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.status}>
              <button
                type="button"
                className="tab"
                aria-pressed={status === tab.status}
                onClick={() => filter({ status: tab.status })}
              >
                {tab.status === '' ? t('tabs.all') : statusLabel(tab.status)}{' '}
                <span className="tab-count">{format.number(tab.count)}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <form className="filters" role="search" onSubmit={submitSearch}>
        <Field label={t('search.label')} value={typed} onChange={setTyped} />
        <button type="submit">{t('search.submit')}</button>
        {search !== '' && (
          <button
            type="button"
            onClick={() => {
              setTyped('');
              filter({ search: '' });
            }}
          >
            {t('search.clear')}
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
          <div className="bulk-bar" role="group" aria-label={t('bulk.label')}>
            <label className="check">
              <input
                type="checkbox"
                checked={allOnPage}
                onChange={() => setSelected(allOnPage ? new Set() : new Set(orders.map((order) => order.id)))}
              />{' '}
              {t('bulk.selectPage')}
            </label>
            <span aria-live="polite">
              {chosen.length === 0 ? t('bulk.hint') : t('bulk.selected', { count: chosen.length })}
            </span>
            <button
              type="button"
              disabled={refillable.length === 0}
              onClick={() => confirm('refill', refillable)}
            >
              {refillable.length > 0
                ? t('bulk.refillCount', { n: format.number(refillable.length) })
                : t('bulk.refill')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={cancelable.length === 0}
              onClick={() => confirm('cancel', cancelable)}
            >
              {cancelable.length > 0
                ? t('bulk.cancelCount', { n: format.number(cancelable.length) })
                : t('bulk.cancel')}
            </button>
          </div>
          <table className="table orders-table">
            <caption className="sr-only">
              {status !== '' ? t('table.captionStatus', { status: statusLabel(status) }) : t('table.caption')}
              {search !== '' ? t('table.captionSearch', { search }) : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">{t('table.select')}</span>
                </th>
                <th scope="col">{t('table.id')}</th>
                <th scope="col">{t('table.date')}</th>
                <th scope="col">{t('table.link')}</th>
                <th scope="col">{t('table.charge')}</th>
                <th scope="col">{t('table.startCount')}</th>
                <th scope="col">{t('table.quantity')}</th>
                <th scope="col">{t('table.service')}</th>
                <th scope="col">{t('table.status')}</th>
                <th scope="col">{t('table.remains')}</th>
                <th scope="col">
                  <span className="sr-only">{t('table.actions')}</span>
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
            <KeysetPager
              pages={pages}
              pageSize={data.pageSize}
              total={data.total}
              lastId={data.orders.at(-1)?.id}
            />
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
  const { t } = useTranslation('orders');
  const format = useFormat();
  const { order, money } = props;
  const runs = order.kind === 'dripfeed';
  const details = detailText(order, t);
  const children = order.children.length;
  return (
    <>
      <tr
        className={props.selected ? 'selected-row' : undefined}
        aria-label={t('row.label', { id: order.id })}
      >
        <td data-label={t('table.select')}>
          <input
            type="checkbox"
            aria-label={t('row.select', { id: order.id })}
            checked={props.selected}
            onChange={props.onSelect}
          />
        </td>
        <td data-label={t('table.id')}>{order.id}</td>
        <td data-label={t('table.date')} className="nowrap">
          {format.dateTime(order.createdAt)}
        </td>
        <td data-label={t('table.link')} className="link-cell">
          {order.link === null ? (
            '—'
          ) : (
            <span title={order.link}>
              <span aria-hidden="true">{shortLink(order.link)}</span>
              <span className="sr-only">{order.link}</span>
            </span>
          )}
        </td>
        <td data-label={t('table.charge')} className="nowrap">
          {money(order.charge)}
        </td>
        <td data-label={t('table.startCount')}>
          {order.kind === 'subscription' ? '—' : format.number(order.startCount)}
        </td>
        <td data-label={t('table.quantity')}>
          {order.kind === 'subscription' ? '—' : format.number(order.quantity)}
          {order.runs !== null && (
            <span className="muted small">
              {' '}
              {t('row.runs', {
                runs: format.number(order.runs),
                interval: format.number(order.interval ?? 0),
              })}
            </span>
          )}
        </td>
        <td data-label={t('table.service')}>
          {order.serviceName}
          {order.kind !== 'order' && (
            <span className="kind">{t(runs ? 'kind.dripfeed' : 'kind.subscription')}</span>
          )}
          {details !== null && <div className="muted small">{details}</div>}
        </td>
        <td data-label={t('table.status')}>
          <StatusBadge status={order.status} />
        </td>
        <td data-label={t('table.remains')}>
          {order.kind === 'subscription' ? '—' : format.number(order.remains)}
        </td>
        <td data-label={t('table.actions')} className="row-actions">
          {order.canRefill && (
            <button type="button" className="small-button" onClick={() => props.onAct('refill')}>
              {t('row.refill')}
              <span className="sr-only">{t('row.orderSuffix', { id: order.id })}</span>
            </button>
          )}
          {order.canCancel && (
            <button type="button" className="small-button danger" onClick={() => props.onAct('cancel')}>
              {t('row.cancel')}
              <span className="sr-only">{t('row.orderSuffix', { id: order.id })}</span>
            </button>
          )}
          {order.kind !== 'order' && (
            <button type="button" className="small-button" aria-expanded={props.open} onClick={props.onOpen}>
              {props.open
                ? t(runs ? 'children.hideRuns' : 'children.hidePosts', { n: format.number(children) })
                : t(runs ? 'children.showRuns' : 'children.showPosts', { n: format.number(children) })}
              <span className="sr-only">{t('row.ofOrderSuffix', { id: order.id })}</span>
            </button>
          )}
        </td>
      </tr>
      {props.open && (
        <tr className="children-row">
          <td colSpan={11} data-label={t(runs ? 'children.runsOf' : 'children.postsOf', { id: order.id })}>
            {order.children.length === 0 ? (
              <p className="muted small">{t('children.none')}</p>
            ) : (
              <ul className="list small">
                {order.children.map((child) => (
                  <li key={child.id} className="list-row">
                    <span>
                      {t('children.line', {
                        id: child.id,
                        date: format.dateTime(child.createdAt),
                        quantity: format.number(child.quantity),
                        remains: format.number(child.remains),
                      })}
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
  const { t } = useTranslation('orders');
  const format = useFormat();
  const done = props.answer.results.filter((r) => r.ok).length;
  const refused = props.answer.results.length - done;
  const summary = { done: format.number(done), refused: format.number(refused) };
  return (
    <div className={`alert ${refused === 0 ? 'alert-ok' : 'alert-info'} bulk-summary`} role="status">
      <p>
        <strong>
          {refused > 0
            ? t(props.action === 'refill' ? 'summary.refillRefused' : 'summary.cancelRefused', summary)
            : t(props.action === 'refill' ? 'summary.refill' : 'summary.cancel', summary)}
        </strong>
      </p>
      <ul>
        {props.answer.results.map((result) => (
          <li key={result.order} className={result.ok ? 'positive' : 'negative'}>
            {t('summary.order', { id: result.order, message: result.message })}
          </li>
        ))}
      </ul>
      <button type="button" className="small-button" onClick={props.onClose}>
        {t('summary.dismiss')}
      </button>
    </div>
  );
}

function EmptyOrders(props: { filtered: boolean; total: number }) {
  const { t } = useTranslation('orders');
  if (props.filtered) return <p className="muted">{t('empty.filtered')}</p>;
  return (
    <div className="card empty-state">
      <h2>{t('empty.title')}</h2>
      <p>
        <Trans
          t={t}
          i18nKey="empty.body"
          components={{ services: <Link href="/services" />, newOrder: <Link href="/new-order" /> }}
        />
      </p>
      {props.total === 0 && (
        <p className="muted small">
          <Trans t={t} i18nKey="empty.funds" components={{ addFunds: <Link href="/add-funds" /> }} />
        </p>
      )}
    </div>
  );
}
