import { DayBars, LabelBars } from '../../components/charts.js';
import { Card, Loading, Page } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { displayMoney } from '../../money.js';
import { Link } from '../../router.js';
import { useCan } from '../../permissions.js';
import { useMoney, useSession } from '../../session.js';
import { CatalogSyncsCard } from './catalog-syncs.js';
import { DepositTotalsCard } from './deposit-totals.js';

export function AdminDashboardPage() {
  const money = useMoney();
  const { panel } = useSession();
  const can = useCan();
  const { data, error } = useResource('/admin/dashboard');
  if (data === null) {
    return (
      <Page title="Dashboard">
        <Loading error={error} />
      </Page>
    );
  }
  const totalOrders = data.days.reduce((sum, d) => sum + d.orders, 0);
  // Chart heights only: the figures shown are the server's exact decimal strings.
  const revenueDays = data.days.map((d) => ({
    date: d.date,
    values: [Number(d.revenue), Number(d.profit)],
    labels: [money(d.revenue), money(d.profit)],
  }));
  return (
    <Page
      title="Dashboard"
      actions={
        <span className="inline-actions">
          {/* Server pages, not SPA routes: a plain link loads them. */}
          <a href="/admin-api/v1/docs">Admin API reference</a>
          <Link href="/account">Admin API tokens</Link>
        </span>
      }
    >
      <div className="stats">
        <Card title="Customers">
          <p className="stat">{data.users}</p>
          <Link href="/admin/users">All users</Link>
          <p className="muted small">Staff accounts are not counted.</p>
        </Card>
        <Card title="Orders, last 14 days">
          <p className="stat">{totalOrders}</p>
          <Link href="/admin/orders">Orders</Link>
        </Card>
        <Card title="Customer balances">
          <p className="stat">{money(data.balances)}</p>
        </Card>
        <Card title="Needs review">
          <p className="stat">{data.review}</p>
          <Link href="/admin/orders?review=1">Review list</Link>
        </Card>
      </div>
      <div className="grid-2">
        <Card>
          <DayBars
            title="Orders per day"
            series={['Orders']}
            days={data.days.map((d) => ({ date: d.date, values: [d.orders], labels: [String(d.orders)] }))}
          />
        </Card>
        <Card>
          <DayBars
            title={`Revenue and profit per day (${panel.currency})`}
            series={['Revenue', 'Profit']}
            days={revenueDays}
          />
          <p className="muted small">
            Last 14 days: revenue {money(data.totals.revenue)}, profit {money(data.totals.profit)} (revenue
            less what providers charged).
          </p>
        </Card>
        <Card>
          <LabelBars
            title="Orders by status"
            items={data.ordersByStatus.map((s) => ({ label: s.status, value: s.count }))}
          />
        </Card>
        <Card title="Provider balances">
          {data.providers.length === 0 ? (
            <p className="muted">
              No providers yet. <Link href="/admin/providers">Add one</Link>.
            </p>
          ) : (
            <ul className="list">
              {data.providers.map((p) => (
                <li key={p.id} className="list-row">
                  <span>{p.name}</span>
                  <span>{p.balance === null ? 'unknown' : displayMoney(p.balance, p.currency)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <CatalogSyncsCard syncs={data.catalogSyncs} />
      {can('payments.read') && <DepositTotalsCard />}
    </Page>
  );
}
