import type { CatalogSyncResult } from '@smmkit/contract';
import { Alert, Card, date } from '../../components/ui.js';
import { Link } from '../../router.js';
import { useMoney } from '../../session.js';

/** The dashboard's view of each provider's last scheduled catalogue sync, and what `notify` held back. */
export function CatalogSyncsCard(props: { syncs: readonly CatalogSyncResult[] }) {
  const money = useMoney();
  return (
    <Card title="Catalogue syncs">
      {props.syncs.length === 0 ? (
        <p className="muted">
          No scheduled sync has run. Set one on the <Link href="/admin/providers">Providers</Link> page.
        </p>
      ) : (
        props.syncs.map((sync) => (
          <section key={sync.providerId} aria-label={`Sync of ${sync.providerName}`}>
            <h3>
              {sync.providerName} <span className="muted small">{date(sync.at)}</span>
            </h3>
            {sync.error !== null ? (
              <Alert kind="error">{sync.error}</Alert>
            ) : (
              <p>
                {sync.changed} changed · {sync.disabled} disabled · {sync.enabled} enabled again ·{' '}
                {sync.skipped} skipped · {sync.notImported} not imported
              </p>
            )}
            {sync.priceNotices.length > 0 && (
              <table className="table">
                <caption>Price changes held back (follow prices: notify)</caption>
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col">Provider rate</th>
                    <th scope="col">Our price</th>
                    <th scope="col">With the markup</th>
                  </tr>
                </thead>
                <tbody>
                  {sync.priceNotices.map((notice) => (
                    <tr key={notice.service}>
                      <td data-label="Service">
                        #{notice.service} <span className="muted small">({notice.providerService})</span>
                      </td>
                      <td data-label="Provider rate">
                        {money(notice.oldProviderRate)} → {money(notice.newProviderRate)}
                      </td>
                      <td data-label="Our price">{money(notice.rate)}</td>
                      <td data-label="With the markup">{money(notice.withMarkup)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {sync.removedNotices.length > 0 && (
              <p>
                Gone at the provider, still on sale here (on removed: notify):{' '}
                {sync.removedNotices
                  .map((notice) => `#${notice.service} (${notice.providerService})`)
                  .join(', ')}
              </p>
            )}
          </section>
        ))
      )}
    </Card>
  );
}
