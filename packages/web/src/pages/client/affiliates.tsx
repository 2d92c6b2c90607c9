import type { AffiliateAnswer } from '@smmkit/contract';
import { useId, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, CopyButton, Loading, Page, StatusBadge, date } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { useMoney } from '../../session.js';

const PAYOUT_LABELS = { balance: 'To my balance', manual: 'By hand (the panel pays me)' } as const;

/**
 * The customer's affiliate programme: their referral link (with copy), what it brought (visits,
 * sign-ups, paying customers, conversion), their earnings and payouts. Every figure is the server's.
 */
export function AffiliatesPage() {
  const { data, error, reload } = useResource('/affiliate');
  return (
    <Page title="Affiliates">
      {data === null ? (
        <Loading error={error} />
      ) : (
        <>
          <ReferralLink affiliate={data} />
          <Results affiliate={data} />
          <Earnings affiliate={data} onPaid={reload} />
          <History affiliate={data} />
        </>
      )}
    </Page>
  );
}

function ReferralLink(props: { affiliate: AffiliateAnswer }) {
  const { affiliate } = props;
  const id = useId();
  return (
    <Card title="Your referral link">
      <div className="field">
        <label htmlFor={id}>Referral link</label>
        <input
          id={id}
          type="url"
          readOnly
          value={affiliate.link}
          onFocus={(event) => event.target.select()}
        />
        <CopyButton text={affiliate.link} label="Copy referral link" />
      </div>
      <p className="muted small">
        Share it: whoever signs up within {affiliate.cookieDays} days of following it becomes your referral
        (or signs up with your code, <strong>{affiliate.code}</strong>). You earn{' '}
        {affiliate.commissionPercent}% of every deposit they pay (bonuses and fees excluded).
      </p>
    </Card>
  );
}

function Results(props: { affiliate: AffiliateAnswer }) {
  const { affiliate } = props;
  const facts: [string, string | number][] = [
    ['Visits', affiliate.visits],
    ['Sign-ups', affiliate.signups],
    ['Paying customers', affiliate.payingCustomers],
    ['Conversion', `${affiliate.conversionPercent}%`],
  ];
  return (
    <Card title="Results">
      <dl className="order-facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

function Earnings(props: { affiliate: AffiliateAnswer; onPaid: () => void }) {
  const { affiliate } = props;
  const money = useMoney();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const payOut = async (to: 'balance' | 'manual') => {
    setBusy(true);
    setMessage(null);
    try {
      const payout = await api.post('/affiliate/payout', { to });
      setMessage({
        kind: 'ok',
        text:
          payout.status === 'paid'
            ? `${money(payout.amount)} added to your balance.`
            : `Payout of ${money(payout.amount)} requested: the panel will pay it and mark it paid.`,
      });
      props.onPaid();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  };
  const facts: [string, string][] = [
    ['Earned', money(affiliate.earned)],
    ['Pending', money(affiliate.pending)],
    ['Requested', money(affiliate.requested)],
    ['Paid out', money(affiliate.paidOut)],
  ];
  return (
    <Card title="Earnings">
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      <dl className="order-facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">
        Commission stays pending until it reaches {money(affiliate.minimumPayout)}; then you may take it out.
      </p>
      {affiliate.payoutMethods.map((method) => (
        <button
          key={method}
          type="button"
          className={method === 'balance' ? 'primary' : undefined}
          disabled={!affiliate.canRequestPayout || busy}
          onClick={() => void payOut(method)}
        >
          {`Pay out ${PAYOUT_LABELS[method].toLowerCase()}`}
        </button>
      ))}
    </Card>
  );
}

function History(props: { affiliate: AffiliateAnswer }) {
  const { affiliate } = props;
  const money = useMoney();
  return (
    <>
      <Card title="Commissions">
        {affiliate.commissions.length === 0 ? (
          <p className="muted">No commission yet.</p>
        ) : (
          <table className="table" aria-label="Commissions">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Entry</th>
                <th scope="col">Deposit</th>
                <th scope="col">Commission</th>
              </tr>
            </thead>
            <tbody>
              {affiliate.commissions.map((commission) => (
                <tr key={commission.id}>
                  <td data-label="Date">{date(commission.createdAt)}</td>
                  <td data-label="Entry">
                    {commission.kind === 'earned' ? 'Earned' : 'Reversed (deposit refunded)'}
                  </td>
                  <td data-label="Deposit">
                    {money(commission.base)} × {commission.percent}%
                  </td>
                  <td
                    data-label="Commission"
                    className={commission.amount.startsWith('-') ? 'negative' : 'positive'}
                  >
                    {money(commission.amount)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Payouts">
        {affiliate.payouts.length === 0 ? (
          <p className="muted">No payouts yet.</p>
        ) : (
          <table className="table" aria-label="Payouts">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Amount</th>
                <th scope="col">How</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {affiliate.payouts.map((payout) => (
                <tr key={payout.id}>
                  <td data-label="Date">{date(payout.createdAt)}</td>
                  <td data-label="Amount">{money(payout.amount)}</td>
                  <td data-label="How">{PAYOUT_LABELS[payout.method]}</td>
                  <td data-label="Status">
                    <StatusBadge status={payout.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
