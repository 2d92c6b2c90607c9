import type { AdminUser } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { api, query, setCsrfToken } from '../../api.js';
import {
  Alert,
  Card,
  Field,
  Loading,
  Page,
  Pager,
  StatusBadge,
  date,
  useConfirm,
} from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { navigate, useLocation } from '../../router.js';
import { useCan } from '../../permissions.js';
import { useMoney, useSession } from '../../session.js';
import { LedgerTable } from '../client/funds.js';

const ROLE_NAMES: Record<string, string> = { owner: 'Owner', manager: 'Manager', support: 'Support' };

/** Users as a table (search, pages); one user's detail panel opens under the table. */
export function AdminUsersPage() {
  const money = useMoney();
  const { search: params } = useLocation();
  const [typed, setTyped] = useState(params.get('q') ?? '');
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<number | null>(null);
  const { data, error, reload } = useResource(`/admin/users${query({ q: search, page })}`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(typed.trim());
    setPage(1);
  };
  const open = data?.users.find((user) => user.id === openId) ?? null;
  return (
    <Page title="Users">
      <form className="filters" role="search" onSubmit={submit}>
        <Field label="Search users by name" value={typed} onChange={setTyped} />
        <button type="submit">Search</button>
      </form>
      {data === null ? (
        <Loading error={error} />
      ) : data.users.length === 0 ? (
        <p className="muted">
          {search === ''
            ? 'No users yet: customers appear here when they sign up.'
            : `No user matches “${search}”.`}
        </p>
      ) : (
        <>
          <table className="table users-table">
            <caption className="sr-only">Users, newest first</caption>
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">User</th>
                <th scope="col">Status</th>
                <th scope="col">Balance</th>
                <th scope="col">Orders</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((user) => (
                <tr key={user.id} className={user.id === openId ? 'selected-row' : undefined}>
                  <td data-label="ID">{user.id}</td>
                  <td data-label="User">
                    {user.username}
                    {user.staffRole !== null && (
                      <span className="kind">{ROLE_NAMES[user.staffRole] ?? user.staffRole}</span>
                    )}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={user.status === 'active' ? 'Active' : 'Suspended'} />
                  </td>
                  <td data-label="Balance" className="nowrap">
                    {money(user.balance)}
                  </td>
                  <td data-label="Orders">{user.orders}</td>
                  <td data-label="Since" className="nowrap">
                    {date(user.createdAt).slice(0, 10)}
                  </td>
                  <td data-label="Details">
                    <button
                      type="button"
                      className="small-button"
                      aria-expanded={user.id === openId}
                      aria-controls="user-detail"
                      onClick={() => setOpenId(user.id === openId ? null : user.id)}
                    >
                      {user.id === openId ? 'Close' : 'Open'}
                      <span className="sr-only"> {user.username}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.total > data.pageSize && (
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
          )}
          {open !== null && (
            <UserDetail key={open.id} user={open} onChange={reload} onClose={() => setOpenId(null)} />
          )}
        </>
      )}
    </Page>
  );
}

type Message = { kind: 'ok' | 'error'; text: string } | null;

/** Everything about one user, in sections: money, prices, access. Each form only for who may use it. */
function UserDetail({
  user,
  onChange,
  onClose,
}: {
  user: AdminUser;
  onChange: () => void;
  onClose: () => void;
}) {
  const money = useMoney();
  const can = useCan();
  const { refresh } = useSession();
  const [message, setMessage] = useState<Message>(null);
  const [version, setVersion] = useState(0);
  const [dialog, ask] = useConfirm();

  const run = async (action: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage({ kind: 'ok', text: await action() });
      setVersion((v) => v + 1);
      onChange();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
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
    <section className="card user-detail" id="user-detail" aria-labelledby="user-detail-title">
      <div className="order-top">
        <h2 id="user-detail-title">{user.username}</h2>
        <StatusBadge status={user.status === 'active' ? 'Active' : 'Suspended'} />
        <span className="order-charge">{money(user.balance)}</span>
        <button type="button" className="small-button" onClick={onClose}>
          Close<span className="sr-only"> {user.username}</span>
        </button>
      </div>
      <p className="muted small">
        #{user.id} ·{' '}
        {user.role === 'admin' ? `staff (${ROLE_NAMES[user.staffRole ?? ''] ?? 'admin'})` : 'customer'} ·{' '}
        {user.orders} orders · since {date(user.createdAt)}
      </p>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {dialog}
      <div className="actions-row">
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
      </div>
      <div className="grid-2">
        <BalanceSection user={user} run={run} />
        <div>
          {can('users.write') && <RatesSection user={user} run={run} />}
          {can('users.write') && <RateLimitSection user={user} run={run} />}
        </div>
      </div>
      <AccessSection key={version} user={user} />
    </section>
  );
}

type Run = (action: () => Promise<string>) => Promise<void>;

function BalanceSection({ user, run }: { user: AdminUser; run: Run }) {
  const money = useMoney();
  const can = useCan();
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const ledger = useResource(`/admin/users/${user.id}/ledger`);
  const adjust = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await api.post(`/admin/users/${user.id}/funds`, { amount, memo });
      setAmount('');
      setMemo('');
      ledger.reload();
      return `Balance of ${user.username} is now ${money(answer.balance)}.`;
    });
  };
  return (
    <div>
      <h3>Balance and ledger</h3>
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
      {ledger.data === null ? (
        <Loading error={ledger.error} />
      ) : (
        <>
          <LedgerTable entries={ledger.data.entries.slice(0, 10)} />
          {ledger.data.entries.length > 10 && (
            <p className="muted small">
              The 10 latest entries of {ledger.data.entries.length} on the first page.
            </p>
          )}
        </>
      )}
    </div>
  );
}

/** A custom rate: the service chosen from the catalogue (searchable by name or id), the rate beside it. */
function RatesSection({ user, run }: { user: AdminUser; run: Run }) {
  const money = useMoney();
  const can = useCan();
  const catalog = useResource(can('services.read') ? '/admin/catalog' : null);
  const [filter, setFilter] = useState('');
  const [service, setService] = useState('');
  const [rate, setRate] = useState('');
  const services = catalog.data?.services ?? [];
  const needle = filter.trim().toLowerCase();
  const matching = services.filter(
    (s) => needle === '' || s.name.toLowerCase().includes(needle) || String(s.id) === needle,
  );
  const chosen = services.find((s) => String(s.id) === service);
  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.post(`/admin/users/${user.id}/rates`, {
        service: Number(service),
        rate: rate.trim() === '' ? null : rate,
      });
      setRate('');
      return rate.trim() === '' ? 'Custom rate removed.' : 'Custom rate set.';
    });
  };
  return (
    <form onSubmit={save} aria-label={`Custom rate for ${user.username}`}>
      <h3>Custom rates</h3>
      {user.rates.length === 0 ? (
        <p className="muted small">None: {user.username} pays the list prices.</p>
      ) : (
        <ul className="small">
          {user.rates.map((r) => (
            <li key={r.service}>
              #{r.service} {r.name}: {money(r.rate)} per 1000 (list {money(r.serviceRate)})
            </li>
          ))}
        </ul>
      )}
      {catalog.data !== null ? (
        <>
          <Field label="Find a service" value={filter} onChange={setFilter} hint="By name or id." />
          <div className="field">
            <label htmlFor={`rate-service-${user.id}`}>Service</label>
            <select
              id={`rate-service-${user.id}`}
              value={service}
              required
              onChange={(event) => setService(event.target.value)}
            >
              <option value="">Choose a service ({matching.length})</option>
              {matching.map((s) => (
                <option key={s.id} value={String(s.id)}>
                  #{s.id} {s.name} · {money(s.rate)} per 1000
                </option>
              ))}
            </select>
          </div>
        </>
      ) : (
        <Field label="Service id" value={service} onChange={setService} inputMode="numeric" required />
      )}
      <Field
        label="Custom rate per 1000"
        value={rate}
        onChange={setRate}
        inputMode="decimal"
        hint={
          chosen !== undefined
            ? `List price ${money(chosen.rate)}. Empty removes the custom rate.`
            : 'Empty removes the custom rate.'
        }
      />
      <button type="submit">Set rate</button>
    </form>
  );
}

function RateLimitSection({ user, run }: { user: AdminUser; run: Run }) {
  const [limit, setLimit] = useState(user.rateLimitPerMinute === null ? '' : String(user.rateLimitPerMinute));
  const save = (event: FormEvent) => {
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
  return (
    <form onSubmit={save} aria-label={`API rate limit of ${user.username}`}>
      <h3>API rate limit</h3>
      <Field
        label="API requests per minute"
        value={limit}
        onChange={setLimit}
        inputMode="numeric"
        hint="Empty: the panel's default. 0: no limit."
      />
      <button type="submit">Set rate limit</button>
    </form>
  );
}

/** How the user gets in: live web sessions and API keys (their first characters only). */
function AccessSection({ user }: { user: AdminUser }) {
  const access = useResource(`/admin/users/${user.id}/access`);
  return (
    <Card title="Sessions and API keys">
      {access.data === null ? (
        <Loading error={access.error} />
      ) : (
        <div className="grid-2">
          <div>
            <h3>Web sessions</h3>
            {access.data.sessions.length === 0 ? (
              <p className="muted small">Not signed in anywhere.</p>
            ) : (
              <ul className="small">
                {access.data.sessions.map((session) => (
                  <li key={session.id}>
                    Since {date(session.createdAt)}, until {date(session.expiresAt)}
                    {session.impersonatedBy !== null && ` (${session.impersonatedBy} signed in as them)`}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h3>API keys</h3>
            {access.data.apiKeys.length === 0 ? (
              <p className="muted small">No API key.</p>
            ) : (
              <ul className="small">
                {access.data.apiKeys.map((key) => (
                  <li key={key.id}>
                    <code>{key.prefix}…</code> created {date(key.createdAt)}
                    {key.revokedAt !== null ? `, revoked ${date(key.revokedAt)}` : ', active'}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </Card>
  );
}
