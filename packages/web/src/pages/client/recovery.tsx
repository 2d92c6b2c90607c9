import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { Alert, Field } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { Link, useLocation } from '../../router.js';
import { useSession } from '../../session.js';

/** "Forgot your password?": always the same answer, whether or not the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation('auth');
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
      <h1>{t('forgot.title')}</h1>
      {error !== null && <Alert kind="error">{error}</Alert>}
      {sent ? (
        <Alert kind="ok">{t('forgot.sent')}</Alert>
      ) : (
        <>
          <Field
            label={t('form.email')}
            type="email"
            value={email}
            onChange={setEmail}
            required
            autoComplete="email"
          />
          <button type="submit" className="primary">
            {t('forgot.submit')}
          </button>
        </>
      )}
      <p className="muted">
        <Link href="/login">{t('forgot.back')}</Link>
      </p>
    </form>
  );
}

/** The page a reset link opens: a new password for the token in the address. */
export function ResetPasswordPage() {
  const { t } = useTranslation('auth');
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
      <h1>{t('reset.title')}</h1>
      {error !== null && <Alert kind="error">{error}</Alert>}
      {done ? (
        <Alert kind="ok">{t('reset.done')}</Alert>
      ) : (
        <>
          <Field
            label={t('reset.password')}
            type="password"
            value={password}
            onChange={setPassword}
            required
            autoComplete="new-password"
            hint={t('form.passwordHint')}
          />
          <button type="submit" className="primary">
            {t('reset.submit')}
          </button>
        </>
      )}
      <p className="muted">
        <Link href="/login">{t('login.submit')}</Link>
      </p>
    </form>
  );
}

/** The page a verification link opens: confirms the address at once. */
export function VerifyEmailPage() {
  const { t } = useTranslation('auth');
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  // A failure is kept as the failure, so its text follows the language if the reader changes it.
  const [outcome, setOutcome] = useState<{ ok: true } | { ok: false; failure: unknown } | null>(null);
  useEffect(() => {
    api
      .post('/verify-email', { token })
      .then(() => setOutcome({ ok: true }))
      .catch((failure: unknown) => setOutcome({ ok: false, failure }));
  }, [token]);
  return (
    <div className="card auth-card">
      <h1>{t('verify.title')}</h1>
      {outcome === null ? (
        <p className="muted">{t('verify.checking')}</p>
      ) : (
        <Alert kind={outcome.ok ? 'ok' : 'error'}>
          {outcome.ok ? t('verify.done') : errorText(outcome.failure)}
        </Alert>
      )}
      <p className="muted">
        <Link href="/">{t('verify.toPanel')}</Link>
      </p>
    </div>
  );
}
