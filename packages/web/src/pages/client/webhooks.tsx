import type { Webhook } from '@smmkit/contract';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { Alert, Card, Checkbox, Field, Loading, Page } from '../../components/ui.js';
import { useFormat } from '../../format.js';
import { errorText, useResource } from '../../hooks.js';

/** One endpoint's delivery log: every attempt, newest first. */
function DeliveryLog(props: { webhook: Webhook }) {
  const { t } = useTranslation('webhooks');
  const format = useFormat();
  const { data, error, reload } = useResource(`/webhooks/${props.webhook.id}/deliveries`);
  return (
    <Card title={t('log.title', { url: props.webhook.url })}>
      <button type="button" onClick={reload}>
        {t('log.refresh')}
      </button>
      {data === null ? (
        <Loading error={error} />
      ) : data.attempts.length === 0 ? (
        <p className="muted">{t('log.empty')}</p>
      ) : (
        <table className="table" aria-label={t('log.label')}>
          <thead>
            <tr>
              <th scope="col">{t('log.time')}</th>
              <th scope="col">{t('log.event')}</th>
              <th scope="col">{t('log.attempt')}</th>
              <th scope="col">{t('log.status')}</th>
              <th scope="col">{t('log.taken')}</th>
              <th scope="col">{t('log.answer')}</th>
              <th scope="col">{t('log.message')}</th>
            </tr>
          </thead>
          <tbody>
            {data.attempts.map((attempt) => (
              <tr key={`${attempt.messageId}-${attempt.attempt}`}>
                <td data-label={t('log.time')}>{format.dateTime(attempt.at)}</td>
                <td data-label={t('log.event')}>{attempt.event}</td>
                <td data-label={t('log.attempt')}>{format.number(attempt.attempt)}</td>
                <td data-label={t('log.status')}>{attempt.status ?? t('log.noAnswer')}</td>
                <td data-label={t('log.taken')}>{t('log.ms', { ms: format.number(attempt.durationMs) })}</td>
                <td data-label={t('log.answer')}>
                  <code>{attempt.error ?? attempt.response}</code>
                </td>
                <td data-label={t('log.message')}>
                  <code>{attempt.messageId}</code> ({attempt.state})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function NewEndpoint(props: { events: readonly string[]; onCreated: (secret: string) => void }) {
  const { t } = useTranslation('webhooks');
  const [url, setUrl] = useState('');
  const [chosen, setChosen] = useState<readonly string[]>(['order.updated']);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async () => {
    setFailure(null);
    try {
      const created = await api.post('/webhooks', { url, events: [...chosen] });
      setUrl('');
      props.onCreated(created.secret);
    } catch (e) {
      setFailure(errorText(e));
    }
  };
  return (
    <Card title={t('new.title')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field
          label={t('new.url')}
          value={url}
          onChange={setUrl}
          inputMode="url"
          required
          placeholder="https://example.com/smm-hooks"
          hint={t('new.urlHint')}
        />
        <fieldset>
          <legend>{t('new.events')}</legend>
          {props.events.map((event) => (
            <Checkbox
              key={event}
              label={event}
              checked={chosen.includes(event)}
              onChange={(on) => setChosen(on ? [...chosen, event] : chosen.filter((e) => e !== event))}
            />
          ))}
        </fieldset>
        {failure !== null && <Alert kind="error">{failure}</Alert>}
        <button type="submit" className="primary">
          {t('new.add')}
        </button>
      </form>
    </Card>
  );
}

/** The `balance.low` threshold: one per customer, for every endpoint that takes the event. */
function LowBalanceThreshold(props: { current: string | null; onSaved: () => void }) {
  const { t } = useTranslation('webhooks');
  const [threshold, setThreshold] = useState(props.current ?? '');
  // What the server holds now: set from each answer, so "Remove" goes with the message that says
  // it is gone rather than when the page's own reload comes back.
  const [stored, setStored] = useState(props.current);
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = async (value: string | null) => {
    setFailure(null);
    setSaved(null);
    try {
      const answer = await api.put('/webhooks/balance-low', { threshold: value });
      setThreshold(answer.threshold ?? '');
      setStored(answer.threshold);
      setSaved(answer.threshold === null ? t('low.none') : t('low.below', { threshold: answer.threshold }));
      props.onSaved();
    } catch (e) {
      setFailure(errorText(e));
    }
  };
  return (
    <Card title={t('low.title')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save(threshold.trim() === '' ? null : threshold);
        }}
      >
        <Field
          label={t('low.label')}
          value={threshold}
          onChange={setThreshold}
          inputMode="decimal"
          placeholder="10.00"
          hint={t('low.hint')}
        />
        {failure !== null && <Alert kind="error">{failure}</Alert>}
        {saved !== null && <Alert kind="ok">{saved}</Alert>}
        <span className="inline-actions">
          <button type="submit" className="primary">
            {t('low.save')}
          </button>
          {stored !== null && (
            <button type="button" onClick={() => void save(null)}>
              {t('low.remove')}
            </button>
          )}
        </span>
      </form>
    </Card>
  );
}

export function WebhooksPage() {
  const { t } = useTranslation('webhooks');
  const format = useFormat();
  const { data, error, reload } = useResource('/webhooks');
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<Webhook | null>(null);
  const run = async (action: () => Promise<string | null>) => {
    setFailure(null);
    setNotice(null);
    try {
      const shown = await action();
      if (shown !== null) setNotice(shown);
      reload();
    } catch (e) {
      setFailure(errorText(e));
    }
  };
  const rotate = (webhook: Webhook) =>
    run(async () => {
      const answer = await api.patch(`/webhooks/${webhook.id}`, { rotateSecret: true });
      setSecret(answer.secret);
      return null;
    });
  const toggle = (webhook: Webhook) =>
    run(async () => {
      await api.patch(`/webhooks/${webhook.id}`, { enabled: !webhook.enabled });
      return webhook.enabled ? t('notice.disabled') : t('notice.enabled');
    });
  const test = (webhook: Webhook) =>
    run(async () => {
      const answer = await api.post(`/webhooks/${webhook.id}/test`);
      return t('notice.test', { id: answer.messageId });
    });
  const remove = (webhook: Webhook) =>
    run(async () => {
      await api.delete(`/webhooks/${webhook.id}`);
      if (logOf?.id === webhook.id) setLogOf(null);
      return t('notice.deleted');
    });
  return (
    <Page title={t('title')}>
      <p>
        <Trans t={t} i18nKey="intro" components={{ code: <code /> }} />
      </p>
      {secret !== null && (
        <Alert kind="ok">
          {t('secret')} <code className="secret">{secret}</code>
        </Alert>
      )}
      {notice !== null && <Alert kind="info">{notice}</Alert>}
      {failure !== null && <Alert kind="error">{failure}</Alert>}
      {data === null ? (
        <Loading error={error} />
      ) : (
        <>
          <Card title={t('list.title')}>
            {data.webhooks.length === 0 ? (
              <p className="muted">{t('list.empty')}</p>
            ) : (
              <table className="table" aria-label={t('list.label')}>
                <thead>
                  <tr>
                    <th scope="col">{t('list.url')}</th>
                    <th scope="col">{t('list.events')}</th>
                    <th scope="col">{t('list.state')}</th>
                    <th scope="col">{t('list.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.webhooks.map((webhook) => (
                    <tr key={webhook.id}>
                      <td data-label={t('list.url')}>
                        <code>{webhook.url}</code>
                      </td>
                      <td data-label={t('list.events')}>{webhook.events.join(', ')}</td>
                      <td data-label={t('list.state')}>
                        {webhook.enabled ? t('list.enabled') : t('list.disabled')}
                        {webhook.disabledReason !== null && ` (${webhook.disabledReason})`}
                        {webhook.failingSince !== null &&
                          t('list.failingSince', { date: format.dateTime(webhook.failingSince) })}
                      </td>
                      <td data-label={t('list.actions')}>
                        <span className="inline-actions">
                          <button type="button" onClick={() => void test(webhook)}>
                            {t('list.test')}
                          </button>
                          <button type="button" onClick={() => setLogOf(webhook)}>
                            {t('list.deliveries')}
                          </button>
                          <button type="button" onClick={() => void rotate(webhook)}>
                            {t('list.rotate')}
                          </button>
                          <button type="button" onClick={() => void toggle(webhook)}>
                            {webhook.enabled ? t('list.disable') : t('list.enable')}
                          </button>
                          <button type="button" className="danger" onClick={() => void remove(webhook)}>
                            {t('list.delete')}
                          </button>
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          <NewEndpoint
            events={data.events}
            onCreated={(created) => {
              setSecret(created);
              setNotice(null);
              reload();
            }}
          />
          <LowBalanceThreshold current={data.balanceLowThreshold} onSaved={reload} />
          {logOf !== null && <DeliveryLog key={logOf.id} webhook={logOf} />}
        </>
      )}
    </Page>
  );
}
