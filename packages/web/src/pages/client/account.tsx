import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, Field, Loading, Page } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { useSession } from '../../session.js';
import { AdminTokensCard } from './admin-tokens.js';

/** The user's account: their address (verified or not), a new address, a new password; staff's admin API tokens. */
export function AccountPage() {
  const { user } = useSession();
  const { data, error, reload } = useResource('/account');
  const [email, setEmail] = useState('');
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const run = async (action: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage({ kind: 'ok', text: await action() });
      reload();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  const changeEmail = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await api.post('/email', { email });
      setEmail('');
      return `Your address is now ${answer.email}: follow the link we sent there to confirm it.`;
    });
  };
  const changePassword = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.post('/password', { current, password });
      setCurrent('');
      setPassword('');
      return 'Your password is changed.';
    });
  };
  return (
    <Page title="Account">
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      <Card title="Email">
        {data === null ? (
          <Loading error={error} />
        ) : (
          <p>
            {data.email === null ? (
              <span className="muted">No address yet.</span>
            ) : (
              <>
                {data.email} · {data.emailVerified ? 'confirmed' : 'not confirmed yet'}
              </>
            )}
          </p>
        )}
        <form onSubmit={changeEmail} aria-label="Change email">
          <Field
            label="New email"
            type="email"
            value={email}
            onChange={setEmail}
            required
            autoComplete="email"
          />
          <button type="submit">Change email</button>
        </form>
      </Card>
      <Card title="Password">
        <form onSubmit={changePassword} aria-label="Change password">
          <Field
            label="Current password"
            type="password"
            value={current}
            onChange={setCurrent}
            required
            autoComplete="current-password"
          />
          <Field
            label="New password"
            type="password"
            value={password}
            onChange={setPassword}
            required
            autoComplete="new-password"
            hint="At least 8 characters."
          />
          <button type="submit">Change password</button>
        </form>
      </Card>
      {user?.role === 'admin' && <AdminTokensCard />}
    </Page>
  );
}
