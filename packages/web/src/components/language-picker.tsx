import { LANGUAGES, LANGUAGE_COOKIE, LANGUAGE_NAMES, isLanguage } from '@smmkit/contract/languages';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { errorText } from '../hooks.js';
import { currentLanguage } from '../i18n.js';
import { useSession } from '../session.js';

/** A year: a visitor's choice outlives their session, as a saved one does. */
const COOKIE_SECONDS = 365 * 24 * 3600;

/**
 * The language picker: each language by its own name. A signed-in user's choice is saved on their
 * account (their emails follow it too); a visitor's is kept in a cookie until they have an account.
 */
export function LanguagePicker() {
  const { t } = useTranslation();
  const { user, refresh } = useSession();
  const id = useId();
  const [failure, setFailure] = useState<string | null>(null);
  const choose = async (value: string) => {
    if (!isLanguage(value)) return;
    setFailure(null);
    try {
      if (user !== null) await api.put('/account/language', { language: value });
      else document.cookie = `${LANGUAGE_COOKIE}=${value}; Path=/; Max-Age=${COOKIE_SECONDS}; SameSite=Lax`;
      await refresh();
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  return (
    <span className="language-picker">
      <label htmlFor={id}>{t('shell.language')}</label>
      <select id={id} value={currentLanguage()} onChange={(event) => void choose(event.target.value)}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {LANGUAGE_NAMES[language]}
          </option>
        ))}
      </select>
      {failure !== null && (
        <span role="alert" className="field-error">
          {failure}
        </span>
      )}
    </span>
  );
}
