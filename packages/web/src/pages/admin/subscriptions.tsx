import { useCan } from '../../permissions.js';
import type { AdminOrder } from '@smmkit/contract';
import { useState } from 'react';
import { api, query } from '../../api.js';
import { OrderList } from '../../components/order-list.js';
import { Alert, Loading, Page, Pager } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';

export function AdminSubscriptionsPage() {
  const can = useCan();
  const [page, setPage] = useState(1);
  const { data, error, reload } = useResource(`/admin/orders${query({ kind: 'subscription', page })}`);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const post = async (order: AdminOrder) => {
    setMessage(null);
    try {
      const child = await api.post(`/admin/subscriptions/${order.id}/post`, {});
      setMessage({ kind: 'ok', text: `Post recorded: order #${child.id}, charged ${child.charge}.` });
      reload();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  return (
    <Page title="Subscriptions">
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {data === null ? (
        <Loading error={error} />
      ) : (
        <>
          <OrderList
            orders={data.orders}
            showOwner
            actions={(order) =>
              can('orders.write') && (order.status === 'Active' || order.status === 'Paused') ? (
                <button type="button" onClick={() => void post(order)}>
                  Record a new post
                </button>
              ) : null
            }
          />
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </Page>
  );
}
