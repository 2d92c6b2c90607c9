import type { ServiceUpdateView } from '@smmkit/contract';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../../api.js';
import { Card, Loading, Page, Pager } from '../../components/ui.js';
import { useFormat } from '../../format.js';
import { useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useMoney } from '../../session.js';

/** What changed, in the customer's words: rates as money per 1000, bounds as quantities. */
function Change(props: { update: ServiceUpdateView }) {
  const { t } = useTranslation('updates');
  const format = useFormat();
  const money = useMoney();
  const { kind, old, new: now } = props.update;
  const shown = (value: string | null) =>
    value === null
      ? '—'
      : kind === 'min_changed' || kind === 'max_changed'
        ? format.number(value)
        : money(value);
  if (kind === 'disabled') return <>{t('change.unavailable')}</>;
  if (old === null) return <>{now === null ? '—' : t('change.perThousand', { price: shown(now) })}</>;
  const change = t('change.from', { old: shown(old), new: shown(now) });
  return (
    <>{kind === 'price_up' || kind === 'price_down' ? t('change.perThousand', { price: change }) : change}</>
  );
}

/** The catalogue's changes a customer would care about, newest first. */
export function UpdatesPage() {
  const [page, setPage] = useState(1);
  const { t } = useTranslation('updates');
  const format = useFormat();
  const { data, error } = useResource(`/service-updates${query({ page })}`);
  return (
    <Page title={t('title')}>
      <Card>
        {data === null ? (
          <Loading error={error} />
        ) : data.updates.length === 0 ? (
          <p className="muted">{t('empty')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('table.when')}</th>
                <th scope="col">{t('table.service')}</th>
                <th scope="col">{t('table.update')}</th>
                <th scope="col">{t('table.change')}</th>
              </tr>
            </thead>
            <tbody>
              {data.updates.map((update) => (
                <tr key={update.id}>
                  <td data-label={t('table.when')}>{format.dateTime(update.createdAt)}</td>
                  <td data-label={t('table.service')}>
                    {update.kind === 'disabled' ? (
                      update.serviceName
                    ) : (
                      <Link href={`/new-order?service=${update.serviceId}`}>{update.serviceName}</Link>
                    )}
                    <span className="muted small block">#{update.serviceId}</span>
                  </td>
                  <td data-label={t('table.update')}>{t(`kind.${update.kind}`)}</td>
                  <td data-label={t('table.change')}>
                    <Change update={update} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data !== null && data.total > data.pageSize && (
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        )}
      </Card>
    </Page>
  );
}
