import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { LanguagePicker } from '../../components/language-picker.js';
import { Alert, Card, Field, Loading, Page } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { useSession } from '../../session.js';
import { AdminTokensCard } from './admin-tokens.js';

/**
 * The user's account: their address (verified or not), a new address, a new password, the language
 * the panel and its emails speak to them in, the currency amounts are also shown in; staff's admin
 * API tokens.
 */
export function AccountPage() {
  const { user } = useSession();
  const { t } = useTranslation('account');
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
      return t('email.changed', { email: answer.email });
    });
  };
  const changePassword = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.post('/password', { current, password });
      setCurrent('');
      setPassword('');
      return t('password.changed');
    });
  };
  return (
    <Page title={t('title')}>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      <Card title={t('email.title')}>
        {data === null ? (
          <Loading error={error} />
        ) : (
          <p>
            {data.email === null ? (
              <span className="muted">{t('email.none')}</span>
            ) : (
              <>
                {data.email} · {data.emailVerified ? t('email.confirmed') : t('email.unconfirmed')}
              </>
            )}
          </p>
        )}
        <form onSubmit={changeEmail} aria-label={t('email.change')}>
          <Field
            label={t('email.new')}
            type="email"
            value={email}
            onChange={setEmail}
            required
            autoComplete="email"
          />
          <button type="submit">{t('email.change')}</button>
        </form>
      </Card>
      <Card title={t('password.title')}>
        <form onSubmit={changePassword} aria-label={t('password.change')}>
          <Field
            label={t('password.current')}
            type="password"
            value={current}
            onChange={setCurrent}
            required
            autoComplete="current-password"
          />
          <Field
            label={t('password.new')}
            type="password"
            value={password}
            onChange={setPassword}
            required
            autoComplete="new-password"
            hint={t('password.hint')}
          />
          <button type="submit">{t('password.change')}</button>
        </form>
      </Card>
      <Card title={t('language.title')} className="language-card">
        <p className="muted">{t('language.hint')}</p>
        <LanguagePicker />
      </Card>
      <DisplayCurrencyCard />
      {user?.role === 'admin' && <AdminTokensCard />}
    </Page>
  );
}

/**
 * The display currency: one the admin enabled, or the panel's own. Display only: amounts are shown
 * converted and marked ≈ beside the exact ones; charges, payments and the API stay in the panel's
 * currency.
 */
function DisplayCurrencyCard() {
  const { panel, displayCurrency, displayCurrencies, refresh } = useSession();
  const { t } = useTranslation('account');
  const id = useId();
  const [failure, setFailure] = useState<string | null>(null);
  if (displayCurrencies.length === 0 && displayCurrency === null) return null;
  const choose = async (value: string) => {
    setFailure(null);
    try {
      await api.put('/account/display-currency', { currency: value === '' ? null : value });
      await refresh();
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  return (
    <Card title={t('displayCurrency.title')}>
      <p className="muted">{t('displayCurrency.hint', { currency: panel.currency })}</p>
      <label htmlFor={id}>{t('displayCurrency.label')}</label>{' '}
      <select
        id={id}
        value={displayCurrency?.code ?? ''}
        onChange={(event) => void choose(event.target.value)}
      >
        <option value="">{t('displayCurrency.panel', { currency: panel.currency })}</option>
        {displayCurrencies.map((currency) => (
          <option key={currency.code} value={currency.code}>
            {currency.code}
          </option>
        ))}
      </select>
      {failure !== null && (
        <p role="alert" className="field-error">
          {failure}
        </p>
      )}
    </Card>
  );
}
