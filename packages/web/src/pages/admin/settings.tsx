import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api.js';
import type { SecuritySettings } from '@smmkit/contract';
import { LANGUAGES, LANGUAGE_NAMES, type Language, isLanguage } from '@smmkit/contract/languages';
import { Alert, Checkbox, Field, Page } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { useSession } from '../../session.js';
import { BrandingSettings } from './branding.js';

export function AdminSettingsPage() {
  const session = useSession();
  const [panelName, setPanelName] = useState(session.panel.panelName);
  const [defaultLanguage, setDefaultLanguage] = useState<Language>(session.panel.defaultLanguage);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      await api.put('/admin/settings', { panelName, defaultLanguage });
      await session.refresh();
      setMessage({ kind: 'ok', text: 'Settings saved.' });
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  return (
    <Page title="Settings">
      <form className="card" onSubmit={(event) => void submit(event)}>
        {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
        <Field label="Panel name" value={panelName} onChange={setPanelName} required />
        <div className="field">
          <label htmlFor="default-language">Default language</label>
          <select
            id="default-language"
            value={defaultLanguage}
            aria-describedby="default-language-hint"
            onChange={(event) => {
              if (isLanguage(event.target.value)) setDefaultLanguage(event.target.value);
            }}
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {LANGUAGE_NAMES[language]}
              </option>
            ))}
          </select>
          <p id="default-language-hint" className="hint">
            For visitors whose browser asks for no language the panel speaks, and for the emails of users who
            have not chosen one. Each user can pick their own language.
          </p>
        </div>
        <dl className="facts">
          <dt>Currency</dt>
          <dd>
            <strong>{session.panel.currency}</strong>
            <span className="muted small block">
              Balances, prices and API answers are all in this currency. It is part of the server's
              configuration (see the README, "Configuration"), so the web panel and the API can never
              disagree.
            </span>
          </dd>
        </dl>
        <button type="submit" className="primary">
          Save settings
        </button>
      </form>
      <BrandingSettings />
      <SignUpSettings />
    </Page>
  );
}

/** Open sign-up, or invite-only (the admin creates users); two-factor sign-in required of staff. */
function SignUpSettings() {
  const session = useSession();
  const [settings, setSettings] = useState<SecuritySettings | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    api.get('/admin/security').then(
      (answer) => setSettings(answer),
      (failure: unknown) => setMessage({ kind: 'error', text: errorText(failure) }),
    );
  }, []);
  const change = async (next: SecuritySettings) => {
    setMessage(null);
    try {
      setSettings(await api.put('/admin/security', next));
      await session.refresh();
      setMessage({ kind: 'ok', text: 'Sign-in settings saved.' });
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  return (
    <section className="card">
      <h2>Sign-in</h2>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {settings !== null && (
        <>
          <Checkbox
            label="Anyone may create an account (off: invite-only, you create users)"
            checked={settings.signUpOpen}
            onChange={(signUpOpen) => void change({ ...settings, signUpOpen })}
          />
          <Checkbox
            label="Staff must use two-factor sign-in"
            checked={settings.staffTwoFactorRequired}
            onChange={(staffTwoFactorRequired) => void change({ ...settings, staffTwoFactorRequired })}
          />
        </>
      )}
    </section>
  );
}
