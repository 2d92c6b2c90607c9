import { useCan } from '../../permissions.js';
import type { AdminOrder } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { api, query } from '../../api.js';
import { OrderFilters } from '../../components/order-filters.js';
import { OrderList } from '../../components/order-list.js';
import {
  Alert,
  Checkbox,
  Field,
  KeysetPager,
  Loading,
  Page,
  Select,
  useConfirm,
  useKeysetPages,
} from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { useLocation } from '../../router.js';
import { ORDER_STATUSES } from '../../status-labels.js';
import { useMoney } from '../../session.js';

export function AdminOrdersPage() {
  const { search: params } = useLocation();
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [review, setReview] = useState(params.get('review') === '1');
  const pages = useKeysetPages();
  const { data, error, reload } = useResource(
    `/admin/orders${query({ status, q: search, before: pages.before, review: review ? true : undefined })}`,
  );
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const can = useCan();
  const [dialog, ask] = useConfirm();

  const resolve = async (order: AdminOrder, resolution: 'retry' | 'manual' | 'cancel') => {
    setMessage(null);
    try {
      await api.post(`/admin/orders/${order.id}/resolve`, { resolution });
      setMessage({ kind: 'ok', text: `Order #${order.id} resolved: ${resolution}.` });
      reload();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };

  return (
    <Page title={review ? 'Orders needing review' : 'Orders'}>
      <OrderFilters
        status={status}
        search={search}
        onApply={(nextStatus, nextSearch) => {
          setStatus(nextStatus);
          setSearch(nextSearch);
          pages.reset();
        }}
      />
      <Checkbox
        label="Only orders needing review"
        checked={review}
        onChange={(value) => {
          setReview(value);
          pages.reset();
        }}
      />
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {dialog}
      {data === null ? (
        <Loading error={error} />
      ) : (
        <>
          <OrderList
            orders={data.orders}
            showOwner
            actions={(order) => (
              <>
                {order.dispatchState === 'review' && can('orders.write') && (
                  <>
                    <button type="button" onClick={() => void resolve(order, 'retry')}>
                      Retry dispatch
                    </button>
                    <button type="button" onClick={() => void resolve(order, 'manual')}>
                      Handle manually
                    </button>
                    <button
                      type="button"
                      className="danger"
                      onClick={() =>
                        ask({
                          title: `Cancel order #${order.id} and refund it?`,
                          body: `${order.username} gets the whole charge back. This cannot be undone.`,
                          confirm: 'Cancel and refund',
                          onConfirm: () => resolve(order, 'cancel'),
                        })
                      }
                    >
                      Cancel and refund
                    </button>
                  </>
                )}
                {order.kind === 'order' && editing !== order.id && can('orders.write') && (
                  <button type="button" onClick={() => setEditing(order.id)}>
                    Edit status
                  </button>
                )}
                {editing === order.id && (
                  <StatusForm
                    order={order}
                    onDone={(text) => {
                      setEditing(null);
                      setMessage({ kind: 'ok', text });
                      reload();
                    }}
                    onCancel={() => setEditing(null)}
                  />
                )}
              </>
            )}
          />
          <KeysetPager
            pages={pages}
            pageSize={data.pageSize}
            total={data.total}
            lastId={data.orders.at(-1)?.id}
          />
        </>
      )}
    </Page>
  );
}

function StatusForm(props: { order: AdminOrder; onDone: (text: string) => void; onCancel: () => void }) {
  const money = useMoney();
  const [status, setStatus] = useState(props.order.status);
  const [startCount, setStartCount] = useState(String(props.order.startCount));
  const [remains, setRemains] = useState(String(props.order.remains));
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const updated = await api.post(`/admin/orders/${props.order.id}/status`, {
        status,
        startCount: Number(startCount),
        remains: Number(remains),
      });
      props.onDone(`Order #${props.order.id} is ${updated.status}; refunded ${money(updated.refunded)}.`);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <form
      className="status-form"
      onSubmit={(event) => void submit(event)}
      aria-label={`Status of order ${props.order.id}`}
    >
      {error !== null && <Alert kind="error">{error}</Alert>}
      <Select
        label="New status"
        value={status}
        onChange={setStatus}
        options={ORDER_STATUSES.map((s) => ({ value: s, label: s }))}
      />
      <Field label="Start count" value={startCount} onChange={setStartCount} inputMode="numeric" />
      <Field
        label="Remains"
        value={remains}
        onChange={setRemains}
        inputMode="numeric"
        hint="Partial refunds remains ÷ quantity of the charge."
      />
      <div className="inline-actions">
        <button type="submit" className="primary">
          Save status
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
