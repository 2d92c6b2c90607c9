import type { AffiliateListing, AffiliateSettings } from '@smmkit/contract';
import { type FormEvent, useEffect, useState } from 'react';
import { api, query } from '../../api.js';
import { Alert, Card, Checkbox, Field, Loading, Page, Pager, date } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { useCan } from '../../permissions.js';
import { useMoney } from '../../session.js';

/** Admin › Affiliates: the programme's settings, payout requests to pay by hand, affiliates with overrides. */
export function AdminAffiliatesPage() {
  const can = useCan();
  return (
    <Page title="Affiliates">
      {can('payments.read') && <PayoutRequests />}
      <AffiliateList />
      <AffiliateSettingsCard />
    </Page>
  );
}

function PayoutRequests() {
  const money = useMoney();
  const can = useCan();
  const { data, error, reload } = useResource('/admin/affiliate-payouts');
  const [failure, setFailure] = useState<string | null>(null);
  const markPaid = async (id: number) => {
    setFailure(null);
    try {
      await api.post(`/admin/affiliate-payouts/${id}/paid`);
    } catch (caught) {
      setFailure(errorText(caught));
    }
    reload();
  };
  return (
    <Card title="Payout requests">
      {failure !== null && <Alert kind="error">{failure}</Alert>}
      {data === null ? (
        <Loading error={error} />
      ) : data.payouts.length === 0 ? (
        <p className="muted">No payouts waiting to be paid by hand.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Requested</th>
              <th scope="col">Affiliate</th>
              <th scope="col">Amount</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {data.payouts.map((payout) => (
              <tr key={payout.id}>
                <td data-label="Requested">{date(payout.createdAt)}</td>
                <td data-label="Affiliate">{payout.affiliate}</td>
                <td data-label="Amount">{money(payout.amount)}</td>
                <td data-label="Action">
                  {can('payments.decide') && (
                    <button
                      type="button"
                      aria-label={`Mark payout ${payout.id} paid`}
                      onClick={() => void markPaid(payout.id)}
                    >
                      Mark paid
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function OverrideForm(props: { affiliate: AffiliateListing; onSaved: () => void }) {
  const [percent, setPercent] = useState(props.affiliate.commissionPercent ?? '');
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      await api.put(`/admin/affiliates/${props.affiliate.userId}/commission`, {
        commissionPercent: percent.trim() === '' ? null : percent.trim(),
      });
      props.onSaved();
    } catch (caught) {
      setFailure(errorText(caught));
    }
  };
  return (
    <form aria-label={`Commission of ${props.affiliate.username}`} onSubmit={(event) => void submit(event)}>
      <Field
        label="Commission %"
        value={percent}
        onChange={setPercent}
        inputMode="decimal"
        hint="Empty: the panel's setting"
      />
      <button type="submit">Save</button>
      {failure !== null && <Alert kind="error">{failure}</Alert>}
    </form>
  );
}

function AffiliateList() {
  const money = useMoney();
  const can = useCan();
  const [page, setPage] = useState(1);
  const { data, error, reload } = useResource(`/admin/affiliates${query({ page })}`);
  return (
    <Card title="Affiliates">
      {data === null ? (
        <Loading error={error} />
      ) : data.affiliates.length === 0 ? (
        <p className="muted">No affiliates yet: a customer becomes one by opening their Affiliates page.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Code</th>
              <th scope="col">Visits</th>
              <th scope="col">Sign-ups</th>
              <th scope="col">Earned</th>
              <th scope="col">Pending</th>
              <th scope="col">Commission</th>
            </tr>
          </thead>
          <tbody>
            {data.affiliates.map((affiliate) => (
              <tr key={affiliate.userId}>
                <td data-label="Customer">{affiliate.username}</td>
                <td data-label="Code">{affiliate.code}</td>
                <td data-label="Visits">{affiliate.visits}</td>
                <td data-label="Sign-ups">{affiliate.signups}</td>
                <td data-label="Earned">{money(affiliate.earned)}</td>
                <td data-label="Pending">{money(affiliate.pending)}</td>
                <td data-label="Commission">
                  {can('users.write') ? (
                    <OverrideForm affiliate={affiliate} onSaved={reload} />
                  ) : (
                    (affiliate.commissionPercent ?? 'default') +
                    (affiliate.commissionPercent === null ? '' : '%')
                  )}
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
  );
}

function AffiliateSettingsCard() {
  const can = useCan();
  const [settings, setSettings] = useState<AffiliateSettings | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    api.get('/admin/affiliate-settings').then(
      (answer) => setSettings(answer),
      (failure: unknown) => setMessage({ kind: 'error', text: errorText(failure) }),
    );
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (settings === null) return;
    setMessage(null);
    try {
      setSettings(await api.put('/admin/affiliate-settings', settings));
      setMessage({ kind: 'ok', text: 'Affiliate settings saved.' });
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  return (
    <form className="card" aria-label="Affiliate settings" onSubmit={(event) => void submit(event)}>
      <h2>Settings</h2>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {settings !== null && (
        <>
          <Field
            label="Commission %"
            value={settings.commissionPercent}
            onChange={(commissionPercent) => setSettings({ ...settings, commissionPercent })}
            inputMode="decimal"
            hint="Of each paid deposit of a referred customer, bonuses and fees excluded"
          />
          <Field
            label="Referral cookie (days)"
            value={String(settings.cookieDays)}
            onChange={(days) => setSettings({ ...settings, cookieDays: Number(days) })}
            inputMode="numeric"
          />
          <Field
            label="Minimum payout"
            value={settings.minimumPayout}
            onChange={(minimumPayout) => setSettings({ ...settings, minimumPayout })}
            inputMode="decimal"
          />
          <Checkbox
            label="Affiliates may ask to be paid by hand (you mark it paid)"
            checked={settings.manualPayouts}
            onChange={(manualPayouts) => setSettings({ ...settings, manualPayouts })}
          />
          {can('settings.write') && (
            <button type="submit" className="primary">
              Save affiliate settings
            </button>
          )}
        </>
      )}
    </form>
  );
}
