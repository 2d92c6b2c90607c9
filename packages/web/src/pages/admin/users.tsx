import type { AdminUser } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { api, query, setCsrfToken } from '../../api.js';
import { Alert, Card, Field, Loading, Page, StatusBadge, date, useConfirm } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { navigate } from '../../router.js';
import { useCan } from '../../permissions.js';
import { useMoney, useSession } from '../../session.js';

export function AdminUsersPage() {
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const { data, error, reload } = useResource(`/admin/users${query({ q: applied })}`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(search);
  };
  return (
    <Page title="Users">
      <form className="filters" role="search" onSubmit={submit}>
        <Field label="Search users" value={search} onChange={setSearch} />
        <button type="submit">Search</button>
      </form>
      {data === null ? (
        <Loading error={error} />
      ) : data.users.length === 0 ? (
        <p className="muted">No user matches.</p>
      ) : (
        data.users.map((user) => <UserCard key={user.id} user={user} onChange={reload} />)
      )}
    </Page>
  );
}

function UserCard({ user, onChange }: { user: AdminUser; onChange: () => void }) {
  const money = useMoney();
  const can = useCan();
  const { refresh } = useSession();
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [service, setService] = useState('');
  const [rate, setRate] = useState('');
  const [limit, setLimit] = useState(user.rateLimitPerMinute === null ? '' : String(user.rateLimitPerMinute));
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [dialog, ask] = useConfirm();

  const run = async (action: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage({ kind: 'ok', text: await action() });
      onChange();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };

  const adjust = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await api.post(`/admin/users/${user.id}/funds`, { amount, memo });
      setAmount('');
      setMemo('');
      return `Balance of ${user.username} is now ${money(answer.balance)}.`;
    });
  };
  const setCustomRate = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.post(`/admin/users/${user.id}/rates`, {
        service: Number(service),
        rate: rate.trim() === '' ? null : rate,
      });
      return rate.trim() === '' ? `Custom rate removed.` : `Custom rate set.`;
    });
  };
  const setRateLimit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const perMinute = limit.trim() === '' ? null : Number(limit);
      await api.post(`/admin/users/${user.id}/rate-limit`, { perMinute });
      return perMinute === null
        ? `${user.username} uses the panel's API rate limit.`
        : perMinute === 0
          ? `${user.username} has no API rate limit.`
          : `${user.username} may send ${perMinute} API requests per minute.`;
    });
  };
  const impersonate = () =>
    void run(async () => {
      const answer = await api.post(`/admin/users/${user.id}/impersonate`);
      setCsrfToken(answer.csrfToken);
      await refresh();
      navigate('/');
      return `Signed in as ${user.username}.`;
    });
  const setStatus = (status: 'active' | 'suspended') =>
    run(async () => {
      await api.post(`/admin/users/${user.id}/status`, { status });
      return `${user.username} is now ${status}.`;
    });
  const toggle = () =>
    user.status === 'active'
      ? ask({
          title: `Suspend ${user.username}?`,
          body: 'They are logged out, cannot log in and their API keys stop working until reactivated.',
          confirm: `Suspend ${user.username}`,
          onConfirm: () => setStatus('suspended'),
        })
      : void setStatus('active');

  const sendResetLink = () =>
    void run(async () => {
      await api.post(`/admin/users/${user.id}/password-reset`);
      return `A password reset link is on its way to ${user.username}.`;
    });

  return (
    <Card className="user-card">
      <div className="order-top">
        <h2>{user.username}</h2>
        <StatusBadge status={user.status === 'active' ? 'Active' : 'Suspended'} />
        {user.role === 'admin' && <span className="kind">admin</span>}
        <span className="order-charge">{money(user.balance)}</span>
      </div>
      <p className="muted small">
        #{user.id} · {user.orders} orders · since {date(user.createdAt)}
      </p>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {dialog}
      <div className="grid-2">
        {can('users.funds') && (
          <form onSubmit={adjust} aria-label={`Adjust the balance of ${user.username}`}>
            <Field
              label="Amount"
              value={amount}
              onChange={setAmount}
              inputMode="decimal"
              hint="Positive adds funds, negative deducts."
              required
            />
            <Field
              label="Memo"
              value={memo}
              onChange={setMemo}
              required
              hint="Recorded in the ledger and the audit log."
            />
            <button type="submit" className="primary">
              Adjust balance
            </button>
          </form>
        )}
        {can('users.write') && (
          <form onSubmit={setCustomRate} aria-label={`Custom rate for ${user.username}`}>
            <Field label="Service id" value={service} onChange={setService} inputMode="numeric" required />
            <Field
              label="Custom rate per 1000"
              value={rate}
              onChange={setRate}
              inputMode="decimal"
              hint="Empty removes the custom rate."
            />
            <button type="submit">Set rate</button>
            {user.rates.length > 0 && (
              <ul className="small">
                {user.rates.map((r) => (
                  <li key={r.service}>
                    #{r.service} {r.name}: {money(r.rate)} (list {money(r.serviceRate)})
                  </li>
                ))}
              </ul>
            )}
          </form>
        )}
      </div>
      {can('users.write') && (
        <form onSubmit={setRateLimit} aria-label={`API rate limit of ${user.username}`}>
          <Field
            label="API requests per minute"
            value={limit}
            onChange={setLimit}
            inputMode="numeric"
            hint="Empty: the panel's default (SMMKIT_RATE_LIMIT). 0: no limit."
          />
          <button type="submit">Set rate limit</button>
        </form>
      )}
      {user.role !== 'admin' && user.status === 'active' && can('users.impersonate') && (
        <button type="button" onClick={impersonate}>
          Sign in as {user.username}
        </button>
      )}
      {user.role !== 'admin' && can('users.write') && (
        <button type="button" className={user.status === 'active' ? 'danger' : ''} onClick={toggle}>
          {user.status === 'active' ? `Suspend ${user.username}` : `Reactivate ${user.username}`}
        </button>
      )}
      <button type="button" onClick={sendResetLink}>
        Send a password reset link
      </button>
    </Card>
  );
}
