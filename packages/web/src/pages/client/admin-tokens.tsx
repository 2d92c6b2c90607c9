import { type FormEvent, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { Alert, Card, CopyButton, Field, Loading, useConfirm } from '../../components/ui.js';
import { useFormat } from '../../format.js';
import { errorText, useResource } from '../../hooks.js';

/** Staff's admin API tokens on their Account page: create (shown once), list with last use, revoke. */
export function AdminTokensCard() {
  const { t } = useTranslation('tokens');
  const format = useFormat();
  const { data, error, reload } = useResource('/account/admin-tokens');
  const [name, setName] = useState('');
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [dialog, ask] = useConfirm();
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      setShown(await api.post('/account/admin-tokens', { name }));
      setName('');
      reload();
    } catch (e) {
      setFailure(errorText(e));
    }
  };
  const revoke = async (tokenName: string) => {
    setFailure(null);
    try {
      await api.post('/account/admin-tokens/revoke', { name: tokenName });
      if (shown?.name === tokenName) setShown(null);
      reload();
    } catch (e) {
      setFailure(errorText(e));
    }
  };
  return (
    <Card title={t('title')}>
      <p className="muted small">
        <Trans t={t} i18nKey="intro" components={{ link: <a href="/admin-api/v1/docs" /> }} /> (
        <code>Authorization: Bearer &lt;token&gt;</code>). {t('introOnce')}
      </p>
      {shown !== null && (
        <Alert kind="ok">
          {t('shown', { name: shown.name })} <code className="secret">{shown.token}</code>{' '}
          <CopyButton text={shown.token} label={t('copy')} />
        </Alert>
      )}
      {failure !== null && <Alert kind="error">{failure}</Alert>}
      {dialog}
      {data === null ? (
        <Loading error={error} />
      ) : data.tokens.length === 0 ? (
        <p className="muted">{t('empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('created')}</th>
              <th scope="col">{t('lastUsed')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.tokens.map((token) => (
              <tr key={token.name}>
                <td data-label={t('name')}>{token.name}</td>
                <td data-label={t('created')}>{format.dateTime(token.createdAt)}</td>
                <td data-label={t('lastUsed')}>
                  {token.lastUsedAt === null ? t('never') : format.dateTime(token.lastUsedAt)}
                </td>
                <td data-label={t('actions')}>
                  <button
                    type="button"
                    onClick={() =>
                      ask({
                        title: t('revokeTitle', { name: token.name }),
                        body: t('revokeBody'),
                        confirm: t('revokeConfirm'),
                        onConfirm: () => revoke(token.name),
                      })
                    }
                  >
                    {t('revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(event) => void create(event)} aria-label={t('createForm')}>
        <Field label={t('tokenName')} value={name} onChange={setName} required hint={t('tokenNameHint')} />
        <button type="submit">{t('create')}</button>
      </form>
    </Card>
  );
}
