import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_COOKIE, isLanguage } from '@smmkit/contract/languages';
import { ApiError, api } from '../../api.js';
import { solvePanelChallenge } from '../../challenge.js';
import { Alert, Field } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { Link, navigate } from '../../router.js';
import { useSession } from '../../session.js';

/** The language a visitor chose with the picker (kept in a cookie until they have an account), if any. */
function visitorLanguage(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === LANGUAGE_COOKIE && value !== undefined && isLanguage(value)) return value;
  }
  return null;
}

/** Not a failure: the password was right and the form now asks for the code. */
class SecondStepNeeded extends Error {}

function CredentialsForm(props: { mode: 'login' | 'signup' }) {
  const session = useSession();
  const { t } = useTranslation('auth');
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
      // The language the visitor picked becomes the account's (its emails follow it too). The account
      // exists whatever happens here: a refusal only leaves the choice to the Account page.
      const language = visitorLanguage();
      if (language !== null && isLanguage(language))
        await api.put('/account/language', { language }).catch(() => undefined);
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
    setBusy(t('busy.challenge'));
    try {
      return await solvePanelChallenge();
    } finally {
      setBusy(t('busy.working'));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(t('busy.working'));
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
        <h1>{t('signup.title')}</h1>
        <Alert kind="error">{t('signup.closed')}</Alert>
        <p className="muted">
          {t('signup.haveAccount')} <Link href="/login">{t('login.submit')}</Link>
        </p>
      </div>
    );
  }

  return (
    <form className="card auth-card" onSubmit={(event) => void submit(event)}>
      <h1>{signup ? t('signup.title') : t('login.title')}</h1>
      {error !== null && <Alert kind="error">{error}</Alert>}
      {secondStep ? (
        <Field
          label={t('login.code')}
          value={code}
          onChange={setCode}
          required
          autoComplete="one-time-code"
        />
      ) : (
        <>
          <Field
            label={t('form.username')}
            value={username}
            onChange={setUsername}
            required
            autoComplete="username"
          />
          {signup && (
            <Field
              label={t('form.email')}
              type="email"
              value={email}
              onChange={setEmail}
              required
              autoComplete="email"
              hint={t('form.emailHint')}
            />
          )}
          <Field
            label={t('form.password')}
            type="password"
            value={password}
            onChange={setPassword}
            required
            autoComplete={signup ? 'new-password' : 'current-password'}
            hint={signup ? t('form.passwordHint') : undefined}
          />
        </>
      )}
      <button type="submit" className="primary" disabled={busy !== null}>
        {signup ? t('signup.submit') : t('login.submit')}
      </button>
      {busy !== null && (
        <p className="muted" role="status">
          {busy}
        </p>
      )}
      <p className="muted">
        {signup ? (
          <>
            {t('signup.haveAccount')} <Link href="/login">{t('login.submit')}</Link>
          </>
        ) : session.signIn.signUpOpen ? (
          <>
            {t('login.newHere')} <Link href="/signup">{t('login.createAccount')}</Link> ·{' '}
            <Link href="/forgot-password">{t('login.forgot')}</Link>
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
