import type { CustomerOrder } from '@smmkit/contract';
import { useState } from 'react';
import { api, query } from '../../api.js';
import { OrderFilters } from '../../components/order-filters.js';
import { OrderList } from '../../components/order-list.js';
import { Alert, Loading, Page, Pager, useConfirm } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { useSession } from '../../session.js';

export function OrdersPage() {
  const session = useSession();
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const { data, error, reload } = useResource(`/orders${query({ status, q: search, page })}`);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [dialog, ask] = useConfirm();

  const act = async (order: CustomerOrder, action: 'refill' | 'cancel') => {
    setMessage(null);
    try {
      await api.post(`/orders/${order.id}/${action}`);
      setMessage({
        kind: 'ok',
        text:
          action === 'refill'
            ? `Refill requested for order #${order.id}.`
            : `Order #${order.id}: cancel accepted.`,
      });
      reload();
      await session.refresh();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };

  return (
    <Page title="Orders">
      <OrderFilters
        status={status}
        search={search}
        onApply={(nextStatus, nextSearch) => {
          setStatus(nextStatus);
          setSearch(nextSearch);
          setPage(1);
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
            actions={(order) => (
              <>
                {order.canRefill && (
                  <button type="button" onClick={() => void act(order, 'refill')}>
                    Refill
                  </button>
                )}
                {order.canCancel && (
                  <button
                    type="button"
                    className="danger"
                    onClick={() =>
                      ask({
                        title: `Cancel order #${order.id}?`,
                        body: 'What is not delivered yet is refunded to your balance. This cannot be undone.',
                        confirm: 'Cancel the order',
                        onConfirm: () => act(order, 'cancel'),
                      })
                    }
                  >
                    Cancel
                  </button>
                )}
              </>
            )}
          />
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </Page>
  );
}
