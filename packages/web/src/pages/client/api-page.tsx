import type { Pricing } from '@smmkit/contract';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { Alert, Card, CodeBlock, CopyButton, Loading, Page, useConfirm } from '../../components/ui.js';
import { useFormat } from '../../format.js';
import { errorText, useResource } from '../../hooks.js';

const PRICING: Record<Pricing, 'pricing.per1000' | 'pricing.flat' | 'pricing.perChild'> = {
  per1000: 'pricing.per1000',
  flat: 'pricing.flat',
  perChild: 'pricing.perChild',
};

function Keys() {
  const { t } = useTranslation('api');
  const format = useFormat();
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
    <Card title={t('keys.title')}>
      <p className="muted small" id="keys-note">
        {t('keys.note')}
      </p>
      {shown !== null && (
        <Alert kind="ok">
          {t('keys.newKey')} <code className="secret">{shown}</code>{' '}
          <CopyButton text={shown} label={t('keys.copy')} />
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
              <th scope="col">{t('keys.key')}</th>
              <th scope="col">{t('keys.created')}</th>
              <th scope="col">{t('keys.state')}</th>
              <th scope="col">{t('keys.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.keys.map((key) => (
              <tr key={key.id}>
                <td data-label={t('keys.key')}>
                  <code>{key.prefix}…</code>
                </td>
                <td data-label={t('keys.created')}>{format.dateTime(key.createdAt)}</td>
                <td data-label={t('keys.state')}>
                  {key.revokedAt === null
                    ? t('keys.active')
                    : t('keys.revokedAt', { date: format.dateTime(key.revokedAt) })}
                </td>
                <td data-label={t('keys.actions')}>
                  {key.revokedAt === null && (
                    <span className="inline-actions">
                      <button
                        type="button"
                        onClick={() =>
                          ask({
                            title: t('keys.rotateTitle', { prefix: key.prefix }),
                            body: t('keys.rotateBody'),
                            confirm: t('keys.rotateConfirm'),
                            onConfirm: () => act(`/api-keys/${key.id}/rotate`),
                          })
                        }
                      >
                        {t('keys.rotate')}
                      </button>
                      <button
                        type="button"
                        className="danger"
                        onClick={() =>
                          ask({
                            title: t('keys.revokeTitle', { prefix: key.prefix }),
                            body: t('keys.revokeBody'),
                            confirm: t('keys.revokeConfirm'),
                            onConfirm: () => act(`/api-keys/${key.id}/revoke`),
                          })
                        }
                      >
                        {t('keys.revoke')}
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
        {t('keys.create')}
      </button>
    </Card>
  );
}

/** Usage in three languages: curl, PHP (the standard SMM panel client class) and Python. */
function examples(url: string, phpTitle: string): { id: string; title: string; code: string }[] {
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
      title: phpTitle,
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
  const { t } = useTranslation('api');
  const { data: docs, error } = useResource('/api-docs');
  return (
    <Page title={t('title')}>
      <nav aria-label={t('contents.label')} className="card contents">
        <h2>{t('contents.label')}</h2>
        <ul>
          <li>
            <a href="#api-keys">{t('keys.title')}</a>
          </li>
          <li>
            <a href="#api-how">{t('contents.how')}</a>
          </li>
          <li>
            <a href="#api-examples">{t('contents.examples')}</a>
          </li>
          {docs?.actions.map((action) => (
            <li key={action.action}>
              <a href={`#action-${action.action}`}>
                <Trans
                  t={t}
                  i18nKey="contents.action"
                  values={{ action: action.action }}
                  components={{ code: <code /> }}
                />
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
          <Card title={t('contents.how')} id="api-how">
            <p>
              <Trans t={t} i18nKey="how.body" values={{ url: docs.url }} components={{ code: <code /> }} />
            </p>
            <p className="muted small">{t('how.commonErrors', { errors: docs.common.errors.join(' · ') })}</p>
            <p>
              {t('how.url')} <code>{docs.url}</code> <CopyButton text={docs.url} label={t('how.copyUrl')} />
            </p>
          </Card>
          <Card title={t('examples.title')} id="api-examples">
            {examples(docs.url, t('examples.php')).map((example) => (
              <section key={example.id} aria-labelledby={`example-${example.id}`}>
                <h3 id={`example-${example.id}`}>{example.title}</h3>
                <CodeBlock code={example.code} label={t('examples.label', { title: example.title })} />
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
              <h3>{t('action.example')}</h3>
              <CodeBlock code={action.curl} label={t('examples.label', { title: action.action })} />
              <pre>
                <code>{action.answer}</code>
              </pre>
              {action.errors.length > 0 && (
                <>
                  <h3>{t('action.errors')}</h3>
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
                  <caption>{t('action.byType')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('action.type')}</th>
                      <th scope="col">{t('action.required')}</th>
                      <th scope="col">{t('action.optional')}</th>
                      <th scope="col">{t('action.charge')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {docs.serviceTypes.map((type) => (
                      <tr key={type.type}>
                        <td data-label={t('action.type')}>{type.type}</td>
                        <td data-label={t('action.required')}>{type.required.join(', ')}</td>
                        <td data-label={t('action.optional')}>{type.optional.join(', ') || '—'}</td>
                        <td data-label={t('action.charge')}>{t(PRICING[type.pricing])}</td>
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
