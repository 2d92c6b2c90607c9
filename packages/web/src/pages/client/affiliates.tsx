import type { AffiliateAnswer } from '@smmkit/contract';
import { useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { Alert, Card, CopyButton, Loading, Page, StatusBadge } from '../../components/ui.js';
import { useFormat } from '../../format.js';
import { errorText, useResource } from '../../hooks.js';
import { useMoney } from '../../session.js';

/**
 * The customer's affiliate programme: their referral link (with copy), what it brought (visits,
 * sign-ups, paying customers, conversion), their earnings and payouts. Every figure is the server's.
 */
export function AffiliatesPage() {
  const { t } = useTranslation('affiliates');
  const { data, error, reload } = useResource('/affiliate');
  return (
    <Page title={t('title')}>
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
  const { t } = useTranslation('affiliates');
  const format = useFormat();
  const id = useId();
  return (
    <Card title={t('link.title')}>
      <div className="field">
        <label htmlFor={id}>{t('link.label')}</label>
        <input
          id={id}
          type="url"
          readOnly
          value={affiliate.link}
          onFocus={(event) => event.target.select()}
        />
        <CopyButton text={affiliate.link} label={t('link.copy')} />
      </div>
      <p className="muted small">
        <Trans
          t={t}
          i18nKey="link.share"
          values={{
            days: format.number(affiliate.cookieDays),
            code: affiliate.code,
            percent: format.number(affiliate.commissionPercent),
          }}
          components={{ strong: <strong /> }}
        />
      </p>
    </Card>
  );
}

function Results(props: { affiliate: AffiliateAnswer }) {
  const { affiliate } = props;
  const { t } = useTranslation('affiliates');
  const format = useFormat();
  const facts: [string, string][] = [
    [t('results.visits'), format.number(affiliate.visits)],
    [t('results.signups'), format.number(affiliate.signups)],
    [t('results.payingCustomers'), format.number(affiliate.payingCustomers)],
    [t('results.conversion'), `${format.number(affiliate.conversionPercent)}%`],
  ];
  return (
    <Card title={t('results.title')}>
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
  const { t } = useTranslation('affiliates');
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
            ? t('earnings.paidToBalance', { amount: money(payout.amount) })
            : t('earnings.requestedByHand', { amount: money(payout.amount) }),
      });
      props.onPaid();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  };
  const facts: [string, string][] = [
    [t('earnings.earned'), money(affiliate.earned)],
    [t('earnings.pending'), money(affiliate.pending)],
    [t('earnings.requested'), money(affiliate.requested)],
    [t('earnings.paidOut'), money(affiliate.paidOut)],
  ];
  return (
    <Card title={t('earnings.title')}>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      <dl className="order-facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">{t('earnings.minimum', { minimum: money(affiliate.minimumPayout) })}</p>
      {affiliate.payoutMethods.map((method) => (
        <button
          key={method}
          type="button"
          className={method === 'balance' ? 'primary' : undefined}
          disabled={!affiliate.canRequestPayout || busy}
          onClick={() => void payOut(method)}
        >
          {method === 'balance' ? t('earnings.payOut.balance') : t('earnings.payOut.manual')}
        </button>
      ))}
    </Card>
  );
}

function History(props: { affiliate: AffiliateAnswer }) {
  const { affiliate } = props;
  const { t } = useTranslation('affiliates');
  const format = useFormat();
  const money = useMoney();
  return (
    <>
      <Card title={t('commissions.title')}>
        {affiliate.commissions.length === 0 ? (
          <p className="muted">{t('commissions.empty')}</p>
        ) : (
          <table className="table" aria-label={t('commissions.title')}>
            <thead>
              <tr>
                <th scope="col">{t('commissions.date')}</th>
                <th scope="col">{t('commissions.entry')}</th>
                <th scope="col">{t('commissions.deposit')}</th>
                <th scope="col">{t('commissions.commission')}</th>
              </tr>
            </thead>
            <tbody>
              {affiliate.commissions.map((commission) => (
                <tr key={commission.id}>
                  <td data-label={t('commissions.date')}>{format.date(commission.createdAt)}</td>
                  <td data-label={t('commissions.entry')}>
                    {commission.kind === 'earned' ? t('commissions.earned') : t('commissions.reversed')}
                  </td>
                  <td data-label={t('commissions.deposit')}>
                    {money(commission.base)} × {format.number(commission.percent)}%
                  </td>
                  <td
                    data-label={t('commissions.commission')}
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
      <Card title={t('payouts.title')}>
        {affiliate.payouts.length === 0 ? (
          <p className="muted">{t('payouts.empty')}</p>
        ) : (
          <table className="table" aria-label={t('payouts.title')}>
            <thead>
              <tr>
                <th scope="col">{t('payouts.date')}</th>
                <th scope="col">{t('payouts.amount')}</th>
                <th scope="col">{t('payouts.how')}</th>
                <th scope="col">{t('payouts.status')}</th>
              </tr>
            </thead>
            <tbody>
              {affiliate.payouts.map((payout) => (
                <tr key={payout.id}>
                  <td data-label={t('payouts.date')}>{format.date(payout.createdAt)}</td>
                  <td data-label={t('payouts.amount')}>{money(payout.amount)}</td>
                  <td data-label={t('payouts.how')}>
                    {payout.method === 'balance' ? t('payoutMethod.balance') : t('payoutMethod.manual')}
                  </td>
                  <td data-label={t('payouts.status')}>
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
