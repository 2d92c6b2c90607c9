import type { Pricing } from '@smmkit/contract';
import { useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, CodeBlock, CopyButton, Loading, Page, date, useConfirm } from '../../components/ui.js';
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
      <p className="muted small" id="keys-note">
        Your account came with one key, made when you signed up; only its first characters are ever shown. To
        call the API, create a key (or rotate that one) and copy the full key shown once.
      </p>
      {shown !== null && (
        <Alert kind="ok">
          New key (copy it now, it is not shown again): <code className="secret">{shown}</code>{' '}
          <CopyButton text={shown} label="Copy the new key" />
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

/** Usage in three languages: curl, PHP (the standard SMM panel client class) and Python. */
function examples(url: string): { id: string; title: string; code: string }[] {
  return [
    {
      id: 'curl',
      title: 'curl',
      code: [
        `curl -X POST ${url} \\`,
        `  -d key=YOUR_KEY -d action=add -d service=1 \\`,
        `  -d link=https://instagram.com/example -d quantity=1000`,
        '',
        `curl -X POST ${url} -d key=YOUR_KEY -d action=status -d order=23501`,
      ].join('\n'),
    },
    {
      id: 'php',
      title: 'PHP (the usual SMM panel Api class)',
      code: [
        '<?php',
        '// The Api class SMM panels share: set its $api_url and $api_key.',
        'require "api.php";',
        '$api = new Api();',
        `$api->api_url = '${url}';`,
        "$api->api_key = 'YOUR_KEY';",
        '',
        '$services = $api->services();',
        '$balance = $api->balance();',
        "$order = $api->order(['service' => 1, 'link' => 'https://instagram.com/example', 'quantity' => 1000]);",
        '$status = $api->status($order->order);',
        '$refill = $api->refill($order->order);',
      ].join('\n'),
    },
    {
      id: 'python',
      title: 'Python',
      code: [
        'import requests',
        '',
        `API = "${url}"`,
        'KEY = "YOUR_KEY"',
        '',
        'def call(action, **params):',
        '    answer = requests.post(API, data={"key": KEY, "action": action, **params}, timeout=30)',
        '    body = answer.json()',
        '    if isinstance(body, dict) and "error" in body:',
        '        raise RuntimeError(body["error"])',
        '    return body',
        '',
        'order = call("add", service=1, link="https://instagram.com/example", quantity=1000)',
        'print(call("status", order=order["order"]))',
      ].join('\n'),
    },
  ];
}

export function ApiPage() {
  const { data: docs, error } = useResource('/api-docs');
  return (
    <Page title="API">
      <nav aria-label="Contents" className="card contents">
        <h2>Contents</h2>
        <ul>
          <li>
            <a href="#api-keys">Your API keys</a>
          </li>
          <li>
            <a href="#api-how">How to call it</a>
          </li>
          <li>
            <a href="#api-examples">Examples: curl, PHP, Python</a>
          </li>
          {docs?.actions.map((action) => (
            <li key={action.action}>
              <a href={`#action-${action.action}`}>
                Action <code>{action.action}</code>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div id="api-keys">
        <Keys />
      </div>
      {docs === null ? (
        <Loading error={error} />
      ) : (
        <>
          <Card title="How to call it" id="api-how">
            <p>
              Send <code>POST {docs.url}</code> with <code>key</code>, <code>action</code> and the action's
              parameters, as a form, multipart or a JSON object (<code>GET</code> with a query string works
              too). Every answer is JSON; a failure is <code>{'{"error": "…"}'}</code>.
            </p>
            <p className="muted small">Errors any action can answer: {docs.common.errors.join(' · ')}</p>
            <p>
              API URL: <code>{docs.url}</code> <CopyButton text={docs.url} label="Copy the API URL" />
            </p>
          </Card>
          <Card title="Examples" id="api-examples">
            {examples(docs.url).map((example) => (
              <section key={example.id} aria-labelledby={`example-${example.id}`}>
                <h3 id={`example-${example.id}`}>{example.title}</h3>
                <CodeBlock code={example.code} label={`the ${example.title} example`} />
              </section>
            ))}
          </Card>
          {docs.actions.map((action) => (
            <Card key={action.action} title={action.action} id={`action-${action.action}`}>
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
              <CodeBlock code={action.curl} label={`the ${action.action} example`} />
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
