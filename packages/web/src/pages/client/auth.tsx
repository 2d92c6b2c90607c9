import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../../api.js';
import { solvePanelChallenge } from '../../challenge.js';
import { Alert, Field } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { Link, navigate } from '../../router.js';
import { useSession } from '../../session.js';

/** Not a failure: the password was right and the form now asks for the code. */
class SecondStepNeeded extends Error {}

function CredentialsForm(props: { mode: 'login' | 'signup' }) {
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  /** After the password, with 2FA on: the code step. */
  const [secondStep, setSecondStep] = useState(false);
  const [code, setCode] = useState('');
  const signup = props.mode === 'signup';

  /** Signs up (with a solved challenge while it is on) or logs in (solving one when the server asks). */
  const send = async () => {
    if (signup) {
      const challenge = session.signIn.challenge ? await solve() : undefined;
      await api.post('/signup', { username, password, email, challenge });
      return;
    }
    if (secondStep) {
      try {
        await api.post('/login/2fa', { code });
      } catch (failure) {
        if (failure instanceof ApiError && failure.code === 'TWO_FACTOR_LOGIN_EXPIRED') setSecondStep(false);
        if (!(failure instanceof ApiError && failure.code === 'CHALLENGE_REQUIRED')) throw failure;
        await api.post('/login/2fa', { code, challenge: await solve() });
      }
      return;
    }
    let answer;
    try {
      answer = await api.post('/login', { username, password });
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.code === 'CHALLENGE_REQUIRED')) throw failure;
      answer = await api.post('/login', { username, password, challenge: await solve() });
    }
    if ('twoFactorRequired' in answer) {
      setSecondStep(true);
      throw new SecondStepNeeded();
    }
  };
  const solve = async () => {
    setBusy('Checking you are not a robot…');
    try {
      return await solvePanelChallenge();
    } finally {
      setBusy('Working…');
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('Working…');
    setError(null);
    try {
      await send();
      await session.refresh();
      navigate(
        signup
          ? '/new-order'
          : location.pathname === '/login' || location.pathname === '/signup'
            ? '/'
            : location.pathname,
      );
    } catch (failure) {
      if (!(failure instanceof SecondStepNeeded)) setError(errorText(failure));
    } finally {
      setBusy(null);
    }
  };

  if (signup && !session.signIn.signUpOpen) {
    return (
      <div className="card auth-card">
        <h1>Create your account</h1>
        <Alert kind="error">Sign-up is closed: ask the panel owner for an account.</Alert>
        <p className="muted">
          Have an account? <Link href="/login">Log in</Link>
        </p>
      </div>
    );
  }

  return (
    <form className="card auth-card" onSubmit={(event) => void submit(event)}>
      <h1>{signup ? 'Create your account' : 'Log in'}</h1>
      {error !== null && <Alert kind="error">{error}</Alert>}
      {secondStep ? (
        <Field
          label="Code from your authenticator app (or a recovery code)"
          value={code}
          onChange={setCode}
          required
          autoComplete="one-time-code"
        />
      ) : (
        <>
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
        </>
      )}
      <button type="submit" className="primary" disabled={busy !== null}>
        {signup ? 'Sign up' : 'Log in'}
      </button>
      {busy !== null && (
        <p className="muted" role="status">
          {busy}
        </p>
      )}
      <p className="muted">
        {signup ? (
          <>
            Have an account? <Link href="/login">Log in</Link>
          </>
        ) : session.signIn.signUpOpen ? (
          <>
            New here? <Link href="/signup">Create an account</Link> ·{' '}
            <Link href="/forgot-password">Forgot your password?</Link>
          </>
        ) : null}
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
