import type { AuditEntry } from '@smmkit/contract';
import { type ReactNode, useState } from 'react';
import { query } from '../../api.js';
import { Card, Loading, Page, date } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useMoney } from '../../session.js';

/** What an action did, in words; an unknown action is shown as recorded. */
const ACTIONS: Record<string, string> = {
  'funds.deposit': 'added funds for',
  'funds.adjustment': 'adjusted the balance of',
  'rate.set': 'set a custom rate for',
  'user.create': 'created',
  'user.suspend': 'suspended',
  'user.reactivate': 'reactivated',
  'user.rate_limit': 'changed the API rate limit of',
  'user.impersonate': 'signed in as',
  'user.impersonate.end': 'stopped acting as',
  'user.impersonate.request': 'acted on behalf of',
  'user.password': 'set the password of',
  'user.password_reset_link': 'sent a password reset link to',
  'user.two_factor.enable': 'turned on two-factor sign-in for',
  'user.two_factor.disable': 'turned off two-factor sign-in for',
  'order.status': 'changed the status of',
  'order.resolve': 'resolved the review of',
  'order.failover': 'moved to another provider',
  'refill.status': 'changed the status of',
  'subscription.post': 'recorded a post for',
  'service.create': 'created',
  'service.update': 'changed',
  'service.sync': 'synced',
  'service.failover': 'set the backups of',
  'service.reorder': 'reordered the services',
  'category.reorder': 'reordered the categories',
  'provider.add': 'added',
  'provider.configure': 'configured',
  'provider.import': 'imported the services of',
  'provider.schedule-sync': 'scheduled the sync of',
  'settings.update': 'changed the panel settings',
  'settings.security': 'changed the sign-in settings',
  'secrets.reencrypt': 're-encrypted the stored secrets',
  'payments.method.add': 'added',
  'payments.method.update': 'changed',
  'payments.deposit.approve': 'approved',
  'payments.deposit.reject': 'rejected',
  'ticket.answer': 'answered',
  'ticket.close': 'closed',
  'ticket.refill': 'requested refills from',
  'ticket.cancel': 'canceled the orders of',
  'announcement.post': 'posted',
  'announcement.delete': 'deleted',
};

const AMOUNT_NAMES: Record<string, string> = {
  amount: 'amount',
  balance: 'new balance',
  refund: 'refund',
  rate: 'rate per 1000',
  providerRate: "provider's rate",
};

/** The thing acted on, linked where the admin has a page for it. */
function targetOf(entry: AuditEntry): ReactNode {
  const match = /^([a-z_]+):(\d+)$/.exec(entry.target);
  if (match === null) return entry.target === entry.action.split('.')[0] ? null : entry.target;
  const [, kind, id] = match;
  switch (kind) {
    case 'user':
      return (
        <Link href={`/admin/users?q=${encodeURIComponent(entry.targetName ?? '')}`}>
          {entry.targetName ?? `user #${id}`}
        </Link>
      );
    case 'order':
      return <Link href={`/admin/orders?q=${id}`}>order #{id}</Link>;
    case 'ticket':
      return <Link href={`/admin/tickets/${id}`}>ticket #{id}</Link>;
    case 'service':
      return <Link href="/admin/services">service #{id}</Link>;
    case 'provider':
      return <Link href="/admin/providers">provider #{id}</Link>;
    default:
      return `${kind!.replace('_', ' ')} #${id}`;
  }
}

export function AdminAuditPage() {
  const money = useMoney();
  const [page, setPage] = useState(1);
  const { data, error } = useResource(`/admin/audit${query({ page })}`);
  return (
    <Page title="Audit log">
      <Card>
        {data === null ? (
          <Loading error={error} />
        ) : data.entries.length === 0 ? (
          <p className="muted">
            Nothing recorded yet: every staff action on money, orders and settings shows here.
          </p>
        ) : (
          <table className="table audit-table">
            <caption className="sr-only">What staff did, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What happened</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((entry) => {
                const target = targetOf(entry);
                const memo =
                  typeof entry.details === 'object' && entry.details !== null && 'memo' in entry.details
                    ? entry.details.memo
                    : null;
                return (
                  <tr key={entry.id}>
                    <td data-label="When" className="nowrap">
                      {date(entry.at)}
                    </td>
                    <td data-label="What happened">
                      <strong>{entry.actorName}</strong> {ACTIONS[entry.action] ?? entry.action}
                      {target !== null && <> {target}</>}
                      {entry.amounts.length > 0 && (
                        <span className="block">
                          {entry.amounts
                            .map((a) => `${AMOUNT_NAMES[a.name] ?? a.name} ${money(a.amount)}`)
                            .join(' · ')}
                        </span>
                      )}
                      {typeof memo === 'string' && <span className="muted small block">“{memo}”</span>}
                    </td>
                    <td data-label="Details">
                      <details>
                        <summary>
                          Raw entry<span className="sr-only"> {entry.id}</span>
                        </summary>
                        <code className="details">
                          {entry.action} {entry.target} by {entry.actor}: {JSON.stringify(entry.details)}
                        </code>
                      </details>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Newer
          </button>
          <span>Page {page}</span>
          <button
            type="button"
            disabled={(data?.entries.length ?? 0) < 100}
            onClick={() => setPage(page + 1)}
          >
            Older
          </button>
        </nav>
      </Card>
    </Page>
  );
}
