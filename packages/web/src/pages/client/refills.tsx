import { useTranslation } from 'react-i18next';
import { Card, Loading, Page, StatusBadge } from '../../components/ui.js';
import { useFormat } from '../../format.js';
import { useResource } from '../../hooks.js';

export function RefillsPage() {
  const { t } = useTranslation('orders');
  const format = useFormat();
  const { data, error } = useResource('/refills');
  return (
    <Page title={t('refills.title')}>
      <Card>
        {data === null ? (
          <Loading error={error} />
        ) : data.refills.length === 0 ? (
          <p className="muted">{t('refills.empty')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('refills.refill')}</th>
                <th scope="col">{t('refills.order')}</th>
                <th scope="col">{t('refills.service')}</th>
                <th scope="col">{t('refills.status')}</th>
                <th scope="col">{t('refills.requested')}</th>
              </tr>
            </thead>
            <tbody>
              {data.refills.map((refill) => (
                <tr key={refill.id}>
                  <td data-label={t('refills.refill')}>#{refill.id}</td>
                  <td data-label={t('refills.order')}>
                    #{refill.orderId} <span className="muted small">{refill.link}</span>
                  </td>
                  <td data-label={t('refills.service')}>{refill.serviceName}</td>
                  <td data-label={t('refills.status')}>
                    <StatusBadge status={refill.status} />
                  </td>
                  <td data-label={t('refills.requested')}>{format.dateTime(refill.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </Page>
  );
}
