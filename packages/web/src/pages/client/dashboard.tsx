import { Card, Loading, Page, StatusBadge, date } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useMoney, useSession } from '../../session.js';

export function DashboardPage() {
  const { user } = useSession();
  const money = useMoney();
  const { data, error } = useResource('/dashboard');
  return (
    <Page title={`Hello, ${user?.username ?? ''}`}>
      <div className="stats">
        <Card title="Balance">
          <p className="stat">{money(data?.balance ?? user?.balance)}</p>
          <Link href="/funds">Balance history</Link>
        </Card>
        <Card title="Orders">
          <p className="stat">{data?.totalOrders ?? '…'}</p>
          <Link href="/new-order" className="button primary">
            New order
          </Link>
        </Card>
      </div>
      <Card title="Recent orders">
        {data === null ? (
          <Loading error={error} />
        ) : data.recentOrders.length === 0 ? (
          <p className="muted">
            No orders yet. <Link href="/new-order">Place your first order</Link>.
          </p>
        ) : (
          <ul className="list">
            {data.recentOrders.map((order) => (
              <li key={order.id} className="list-row">
                <span>
                  #{order.id} · {order.serviceName}
                  <span className="muted small block">{date(order.createdAt)}</span>
                </span>
                <span className="row-end">
                  <StatusBadge status={order.status} />
                  <span>{money(order.charge)}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </Page>
  );
}
