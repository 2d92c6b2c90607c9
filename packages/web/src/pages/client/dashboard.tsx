import type { AnnouncementList } from '@smmkit/contract';
import { useEffect } from 'react';
import { api } from '../../api.js';
import { AnnouncementHtml } from '../../components/announcement-html.js';
import { Card, Loading, Page, StatusBadge, date } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useMoney, useSession } from '../../session.js';

export function DashboardPage() {
  const { user } = useSession();
  const money = useMoney();
  const { data, error } = useResource('/dashboard');
  const announcements = useResource('/announcements');
  return (
    <Page title={`Hello, ${user?.username ?? ''}`}>
      {announcements.data !== null && announcements.data.announcements.length > 0 && (
        <Announcements list={announcements.data} />
      )}
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

/**
 * The panel's news, newest first. Those the customer had not seen carry a "New" marker for this
 * visit; showing them marks them read (up to the newest shown, so one posted meanwhile stays new).
 */
function Announcements(props: { list: AnnouncementList }) {
  const { announcements, unread } = props.list;
  const newest = announcements[0]?.id;
  useEffect(() => {
    // A failed mark only means they show as new again next time.
    if (unread > 0 && newest !== undefined)
      api.post('/announcements/read', { upTo: newest }).catch(() => undefined);
  }, [unread, newest]);
  return (
    <Card title={unread > 0 ? `Announcements (${unread} new)` : 'Announcements'}>
      <ul className="announcement-list">
        {announcements.map((announcement) => (
          <li key={announcement.id}>
            <article aria-label={announcement.title} className={announcement.unread ? 'unread' : undefined}>
              <header className="list-row">
                <h3>
                  {announcement.title}
                  {announcement.unread && <span className="badge badge-unread">New</span>}
                </h3>
                <span className="muted small">{date(announcement.createdAt)}</span>
              </header>
              <AnnouncementHtml html={announcement.html} />
            </article>
          </li>
        ))}
      </ul>
    </Card>
  );
}
