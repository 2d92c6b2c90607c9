import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Field } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { Link, useLocation } from '../../router.js';
import { useSession } from '../../session.js';

/** "Forgot your password?": always the same answer, whether or not the address has an account. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.post('/password-reset', { email });
      setSent(true);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <form className="card auth-card" onSubmit={(event) => void submit(event)}>
      <h1>Reset your password</h1>
      {error !== null && <Alert kind="error">{error}</Alert>}
      {sent ? (
        <Alert kind="ok">
          If an account has this address, a link to choose a new password is on its way. It works once, for
          one hour.
        </Alert>
      ) : (
        <>
          <Field label="Email" type="email" value={email} onChange={setEmail} required autoComplete="email" />
          <button type="submit" className="primary">
            Send me a link
          </button>
        </>
      )}
      <p className="muted">
        <Link href="/login">Back to log in</Link>
      </p>
    </form>
  );
}

/** The page a reset link opens: a new password for the token in the address. */
export function ResetPasswordPage() {
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const session = useSession();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.post('/password-reset/confirm', { token, password });
      setDone(true);
      await session.refresh();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <form className="card auth-card" onSubmit={(event) => void submit(event)}>
      <h1>Choose a new password</h1>
      {error !== null && <Alert kind="error">{error}</Alert>}
      {done ? (
        <Alert kind="ok">Your password is set. Every session was logged out.</Alert>
      ) : (
        <>
          <Field
            label="New password"
            type="password"
            value={password}
            onChange={setPassword}
            required
            autoComplete="new-password"
            hint="At least 8 characters."
          />
          <button type="submit" className="primary">
            Set my password
          </button>
        </>
      )}
      <p className="muted">
        <Link href="/login">Log in</Link>
      </p>
    </form>
  );
}

/** The page a verification link opens: confirms the address at once. */
export function VerifyEmailPage() {
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    api
      .post('/verify-email', { token })
      .then(() => setOutcome({ ok: true, text: 'Your email address is confirmed.' }))
      .catch((failure: unknown) => setOutcome({ ok: false, text: errorText(failure) }));
  }, [token]);
  return (
    <div className="card auth-card">
      <h1>Confirm your email</h1>
      {outcome === null ? (
        <p className="muted">Checking the link…</p>
      ) : (
        <Alert kind={outcome.ok ? 'ok' : 'error'}>{outcome.text}</Alert>
      )}
      <p className="muted">
        <Link href="/">Go to the panel</Link>
      </p>
    </div>
  );
}
