import type { LedgerEntry } from '@smmkit/contract';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../../api.js';
import { Card, Loading, Page, Pager } from '../../components/ui.js';
import { useFormat } from '../../format.js';
import { useResource } from '../../hooks.js';
import { Link, useLocation } from '../../router.js';
import { useMoney, useSession } from '../../session.js';
import { DepositNotice } from './add-funds.js';

/** The ledger's entry kinds a customer meets; another kind is shown as the server names it. */
const KINDS = new Set(['deposit', 'charge', 'refund', 'adjustment', 'bonus', 'chargeback']);

/** The balance history, straight from the ledger: every entry with the balance after it. */
export function LedgerTable(props: { entries: readonly LedgerEntry[] }) {
  const { t } = useTranslation('funds');
  const format = useFormat();
  const money = useMoney();
  if (props.entries.length === 0) return <p className="muted">{t('ledger.empty')}</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t('ledger.date')}</th>
          <th scope="col">{t('ledger.entry')}</th>
          <th scope="col">{t('ledger.amount')}</th>
          <th scope="col">{t('ledger.balanceAfter')}</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((entry) => (
          <tr key={entry.id}>
            <td data-label={t('ledger.date')}>{format.dateTime(entry.createdAt)}</td>
            <td data-label={t('ledger.entry')}>
              {KINDS.has(entry.kind) ? t(`ledger.kind.${entry.kind}`) : entry.kind}
              {entry.orderId !== null && t('ledger.order', { id: entry.orderId })}
              {entry.memo !== null && <span className="muted small block">{entry.memo}</span>}
            </td>
            <td
              data-label={t('ledger.amount')}
              className={entry.amount.startsWith('-') ? 'negative' : 'positive'}
            >
              {money(entry.amount)}
            </td>
            <td data-label={t('ledger.balanceAfter')}>{money(entry.balanceAfter)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FundsPage() {
  const { t } = useTranslation('funds');
  const money = useMoney();
  const session = useSession();
  const [page, setPage] = useState(1);
  const { data, error } = useResource(`/funds${query({ page })}`);
  const deposit = Number(useLocation().search.get('deposit'));
  // The header and this page read the balance separately: should they differ (money moved between
  // the two reads), the header reads it again.
  const headerBalance = session.user?.balance;
  const { refresh } = session;
  useEffect(() => {
    if (data !== null && headerBalance !== undefined && data.balance !== headerBalance) void refresh();
  }, [data, headerBalance, refresh]);
  return (
    <Page title={t('title')}>
      {Number.isInteger(deposit) && deposit > 0 && <DepositNotice depositId={deposit} />}
      <Card title={t('balance.title')}>
        <p className="stat" role="status" aria-label={t('balance.current')}>
          {money(data?.balance)}
        </p>
        <p className="small">
          <Link href="/add-funds">{t('addFunds.title')}</Link>
        </p>
      </Card>
      <Card title={t('ledger.title')}>
        {data === null ? <Loading error={error} /> : <LedgerTable entries={data.entries} />}
        {data !== null && data.total > data.pageSize && (
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        )}
      </Card>
    </Page>
  );
}
