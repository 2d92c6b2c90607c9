import type { Pricing } from '@smmkit/contract';
import { useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, Loading, Page, date, useConfirm } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';

const PRICING: Record<Pricing, string> = {
  per1000: 'price per 1000 × quantity',
  flat: 'the price, once',
  perChild: 'each post is charged when it is created',
};

function Keys() {
  const { data, error, reload } = useResource('/api-keys');
  const [shown, setShown] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [dialog, ask] = useConfirm();
  const act = async (path: '/api-keys' | `/api-keys/${number}/${'rotate' | 'revoke'}`) => {
    setFailure(null);
    try {
      const answer = await api.post(path);
      setShown('apiKey' in answer ? answer.apiKey : null);
      reload();
    } catch (e) {
      setFailure(errorText(e));
    }
  };
  return (
    <Card title="Your API keys">
      {shown !== null && (
        <Alert kind="ok">
          New key (copy it now, it is not shown again): <code className="secret">{shown}</code>
        </Alert>
      )}
      {failure !== null && <Alert kind="error">{failure}</Alert>}
      {dialog}
      {data === null ? (
        <Loading error={error} />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Created</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.keys.map((key) => (
              <tr key={key.id}>
                <td data-label="Key">
                  <code>{key.prefix}…</code>
                </td>
                <td data-label="Created">{date(key.createdAt)}</td>
                <td data-label="State">
                  {key.revokedAt === null ? 'Active' : `Revoked ${date(key.revokedAt)}`}
                </td>
                <td data-label="Actions">
                  {key.revokedAt === null && (
                    <span className="inline-actions">
                      <button
                        type="button"
                        onClick={() =>
                          ask({
                            title: `Rotate the key ${key.prefix}…?`,
                            body: 'A new key replaces it; scripts using the old key stop working at once.',
                            confirm: 'Rotate the key',
                            onConfirm: () => act(`/api-keys/${key.id}/rotate`),
                          })
                        }
                      >
                        Rotate
                      </button>
                      <button
                        type="button"
                        className="danger"
                        onClick={() =>
                          ask({
                            title: `Revoke the key ${key.prefix}…?`,
                            body: 'Scripts using it stop working at once. This cannot be undone.',
                            confirm: 'Revoke the key',
                            onConfirm: () => act(`/api-keys/${key.id}/revoke`),
                          })
                        }
                      >
                        Revoke
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="primary" onClick={() => void act('/api-keys')}>
        Create a key
      </button>
    </Card>
  );
}

export function ApiPage() {
  const { data: docs, error } = useResource('/api-docs');
  return (
    <Page title="API">
      <Keys />
      {docs === null ? (
        <Loading error={error} />
      ) : (
        <>
          <Card title="How to call it">
            <p>
              Send <code>POST {docs.url}</code> with <code>key</code>, <code>action</code> and the action's
              parameters, as a form, multipart or a JSON object (<code>GET</code> with a query string works
              too). Every answer is JSON; a failure is <code>{'{"error": "…"}'}</code>.
            </p>
            <p className="muted small">Errors any action can answer: {docs.common.errors.join(' · ')}</p>
          </Card>
          {docs.actions.map((action) => (
            <Card key={action.action} title={action.action}>
              <p>{action.summary}</p>
              {action.parameters.length > 0 && (
                <ul>
                  {action.parameters.map((p) => (
                    <li key={p.name}>
                      <code>{p.name}</code>: {p.description}
                    </li>
                  ))}
                </ul>
              )}
              <h3>Example</h3>
              <pre>
                <code>{action.curl}</code>
              </pre>
              <pre>
                <code>{action.answer}</code>
              </pre>
              {action.errors.length > 0 && (
                <>
                  <h3>Errors</h3>
                  <ul className="errors">
                    {action.errors.map((e) => (
                      <li key={e}>
                        <code>{e}</code>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {action.action === 'add' && (
                <table className="table">
                  <caption>Parameters by service type</caption>
                  <thead>
                    <tr>
                      <th scope="col">Type</th>
                      <th scope="col">Required</th>
                      <th scope="col">Optional</th>
                      <th scope="col">Charge</th>
                    </tr>
                  </thead>
                  <tbody>
                    {docs.serviceTypes.map((t) => (
                      <tr key={t.type}>
                        <td data-label="Type">{t.type}</td>
                        <td data-label="Required">{t.required.join(', ')}</td>
                        <td data-label="Optional">{t.optional.join(', ') || '—'}</td>
                        <td data-label="Charge">{PRICING[t.pricing]}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Card>
          ))}
        </>
      )}
    </Page>
  );
}
