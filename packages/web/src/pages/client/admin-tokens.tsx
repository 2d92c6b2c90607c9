import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, CopyButton, Field, Loading, date, useConfirm } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';

/** Staff's admin API tokens on their Account page: create (shown once), list with last use, revoke. */
export function AdminTokensCard() {
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
    <Card title="Admin API tokens">
      <p className="muted small">
        A token calls the <a href="/admin-api/v1/docs">admin API</a> with your role&apos;s permissions (
        <code>Authorization: Bearer &lt;token&gt;</code>). It is shown once; revoke it when a script no longer
        needs it.
      </p>
      {shown !== null && (
        <Alert kind="ok">
          Token {shown.name} (copy it now, it is not shown again):{' '}
          <code className="secret">{shown.token}</code>{' '}
          <CopyButton text={shown.token} label="Copy the new token" />
        </Alert>
      )}
      {failure !== null && <Alert kind="error">{failure}</Alert>}
      {dialog}
      {data === null ? (
        <Loading error={error} />
      ) : data.tokens.length === 0 ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.tokens.map((token) => (
              <tr key={token.name}>
                <td data-label="Name">{token.name}</td>
                <td data-label="Created">{date(token.createdAt)}</td>
                <td data-label="Last used">{token.lastUsedAt === null ? 'Never' : date(token.lastUsedAt)}</td>
                <td data-label="Actions">
                  <button
                    type="button"
                    onClick={() =>
                      ask({
                        title: `Revoke the token ${token.name}?`,
                        body: 'Scripts using it are refused at once.',
                        confirm: 'Revoke the token',
                        onConfirm: () => revoke(token.name),
                      })
                    }
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(event) => void create(event)} aria-label="Create an admin API token">
        <Field label="Token name" value={name} onChange={setName} required hint="e.g. telegram-bot" />
        <button type="submit">Create token</button>
      </form>
    </Card>
  );
}
