import type { AnnouncementList } from '@smmkit/contract';
import { useEffect } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { AnnouncementHtml } from '../../components/announcement-html.js';
import { Card, Loading, Page, StatusBadge } from '../../components/ui.js';
import { useFormat } from '../../format.js';
import { useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useMoney, useSession } from '../../session.js';

export function DashboardPage() {
  const { user } = useSession();
  const { t } = useTranslation('dashboard');
  const money = useMoney();
  const format = useFormat();
  const { data, error } = useResource('/dashboard');
  const announcements = useResource('/announcements');
  return (
    <Page title={t('hello', { name: user?.username ?? '' })}>
      {announcements.data !== null && announcements.data.announcements.length > 0 && (
        <Announcements list={announcements.data} />
      )}
      <div className="stats">
        <Card title={t('balance.title')}>
          <p className="stat">{money(data?.balance ?? user?.balance)}</p>
          <Link href="/funds">{t('balance.history')}</Link>
        </Card>
        <Card title={t('orders.title')}>
          <p className="stat">{data === null ? '…' : format.number(data.totalOrders)}</p>
          <Link href="/new-order" className="button primary">
            {t('orders.new')}
          </Link>
        </Card>
      </div>
      <Card title={t('recent.title')}>
        {data === null ? (
          <Loading error={error} />
        ) : data.recentOrders.length === 0 ? (
          <p className="muted">
            <Trans t={t} i18nKey="recent.empty" components={{ order: <Link href="/new-order" /> }} />
          </p>
        ) : (
          <ul className="list">
            {data.recentOrders.map((order) => (
              <li key={order.id} className="list-row">
                <span>
                  #{order.id} · {order.serviceName}
                  <span className="muted small block">{format.dateTime(order.createdAt)}</span>
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
  const { t } = useTranslation('dashboard');
  const format = useFormat();
  const newest = announcements[0]?.id;
  useEffect(() => {
    // A failed mark only means they show as new again next time.
    if (unread > 0 && newest !== undefined)
      api.post('/announcements/read', { upTo: newest }).catch(() => undefined);
  }, [unread, newest]);
  return (
    <Card title={unread > 0 ? t('announcements.titleUnread', { count: unread }) : t('announcements.title')}>
      <ul className="announcement-list">
        {announcements.map((announcement) => (
          <li key={announcement.id}>
            <article aria-label={announcement.title} className={announcement.unread ? 'unread' : undefined}>
              <header className="list-row">
                <h3>
                  {announcement.title}
                  {announcement.unread && (
                    <span className="badge badge-unread">{t('announcements.new')}</span>
                  )}
                </h3>
                <span className="muted small">{format.dateTime(announcement.createdAt)}</span>
              </header>
              <AnnouncementHtml html={announcement.html} />
            </article>
          </li>
        ))}
      </ul>
    </Card>
  );
}
