import type { LedgerEntry } from '@smmkit/contract';
import { useEffect, useState } from 'react';
import { query } from '../../api.js';
import { Card, Loading, Page, Pager, date } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { Link, useLocation } from '../../router.js';
import { useMoney, useSession } from '../../session.js';
import { DepositNotice } from './add-funds.js';

const KIND_LABELS: Record<string, string> = {
  deposit: 'Deposit',
  charge: 'Charge',
  refund: 'Refund',
  adjustment: 'Adjustment',
  bonus: 'Bonus',
  chargeback: 'Chargeback',
};

/** The balance history, straight from the ledger: every entry with the balance after it. */
export function LedgerTable(props: { entries: readonly LedgerEntry[] }) {
  const money = useMoney();
  if (props.entries.length === 0) return <p className="muted">No balance movements yet.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Entry</th>
          <th scope="col">Amount</th>
          <th scope="col">Balance after</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((entry) => (
          <tr key={entry.id}>
            <td data-label="Date">{date(entry.createdAt)}</td>
            <td data-label="Entry">
              {KIND_LABELS[entry.kind] ?? entry.kind}
              {entry.orderId !== null && ` · order #${entry.orderId}`}
              {entry.memo !== null && <span className="muted small block">{entry.memo}</span>}
            </td>
            <td data-label="Amount" className={entry.amount.startsWith('-') ? 'negative' : 'positive'}>
              {money(entry.amount)}
            </td>
            <td data-label="Balance after">{money(entry.balanceAfter)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FundsPage() {
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
    <Page title="Funds">
      {Number.isInteger(deposit) && deposit > 0 && <DepositNotice depositId={deposit} />}
      <Card title="Balance">
        <p className="stat" role="status" aria-label="Current balance">
          {money(data?.balance)}
        </p>
        <p className="small">
          <Link href="/add-funds">Add funds</Link>
        </p>
      </Card>
      <Card title="Balance history">
        {data === null ? <Loading error={error} /> : <LedgerTable entries={data.entries} />}
        {data !== null && data.total > data.pageSize && (
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        )}
      </Card>
    </Page>
  );
}
