import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Field } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { Link, navigate } from '../../router.js';
import { useSession } from '../../session.js';

function CredentialsForm(props: { mode: 'login' | 'signup' }) {
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signup = props.mode === 'signup';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (signup) await api.post('/signup', { username, password, email });
      else await api.post('/login', { username, password });
      await session.refresh();
      navigate(
        signup
          ? '/new-order'
          : location.pathname === '/login' || location.pathname === '/signup'
            ? '/'
            : location.pathname,
      );
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card auth-card" onSubmit={(event) => void submit(event)}>
      <h1>{signup ? 'Create your account' : 'Log in'}</h1>
      {error !== null && <Alert kind="error">{error}</Alert>}
      <Field label="Username" value={username} onChange={setUsername} required autoComplete="username" />
      {signup && (
        <Field
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          required
          autoComplete="email"
          hint="We send a link to confirm it, and password reset links."
        />
      )}
      <Field
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        required
        autoComplete={signup ? 'new-password' : 'current-password'}
        hint={signup ? 'At least 8 characters.' : undefined}
      />
      <button type="submit" className="primary" disabled={busy}>
        {signup ? 'Sign up' : 'Log in'}
      </button>
      <p className="muted">
        {signup ? (
          <>
            Have an account? <Link href="/login">Log in</Link>
          </>
        ) : (
          <>
            New here? <Link href="/signup">Create an account</Link> ·{' '}
            <Link href="/forgot-password">Forgot your password?</Link>
          </>
        )}
      </p>
    </form>
  );
}

export function LoginPage() {
  return <CredentialsForm mode="login" />;
}

export function SignupPage() {
  return <CredentialsForm mode="signup" />;
}
