import type { Webhook } from '@smmkit/contract';
import { useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, Checkbox, Field, Loading, Page, date } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';

/** One endpoint's delivery log: every attempt, newest first. */
function DeliveryLog(props: { webhook: Webhook }) {
  const { data, error, reload } = useResource(`/webhooks/${props.webhook.id}/deliveries`);
  return (
    <Card title={`Deliveries to ${props.webhook.url}`}>
      <button type="button" onClick={reload}>
        Refresh
      </button>
      {data === null ? (
        <Loading error={error} />
      ) : data.attempts.length === 0 ? (
        <p className="muted">No delivery yet.</p>
      ) : (
        <table className="table" aria-label="Delivery log">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Attempt</th>
              <th scope="col">Status</th>
              <th scope="col">Time taken</th>
              <th scope="col">Answer</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {data.attempts.map((attempt) => (
              <tr key={`${attempt.messageId}-${attempt.attempt}`}>
                <td data-label="Time">{date(attempt.at)}</td>
                <td data-label="Event">{attempt.event}</td>
                <td data-label="Attempt">{attempt.attempt}</td>
                <td data-label="Status">{attempt.status ?? 'no answer'}</td>
                <td data-label="Time taken">{attempt.durationMs} ms</td>
                <td data-label="Answer">
                  <code>{attempt.error ?? attempt.response}</code>
                </td>
                <td data-label="Message">
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
    <Card title="Add an endpoint">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field
          label="Endpoint URL"
          value={url}
          onChange={setUrl}
          inputMode="url"
          required
          placeholder="https://example.com/smm-hooks"
          hint="A public http(s) address. Each request is signed (Standard Webhooks)."
        />
        <fieldset>
          <legend>Events</legend>
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
          Add endpoint
        </button>
      </form>
    </Card>
  );
}

/** The `balance.low` threshold: one per customer, for every endpoint that takes the event. */
function LowBalanceThreshold(props: { current: string | null; onSaved: () => void }) {
  const [threshold, setThreshold] = useState(props.current ?? '');
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = async (value: string | null) => {
    setFailure(null);
    setSaved(null);
    try {
      const answer = await api.put('/webhooks/balance-low', { threshold: value });
      setThreshold(answer.threshold ?? '');
      setSaved(answer.threshold === null ? 'No low-balance alert.' : `Alert below ${answer.threshold}.`);
      props.onSaved();
    } catch (e) {
      setFailure(errorText(e));
    }
  };
  return (
    <Card title="Low balance alert">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save(threshold.trim() === '' ? null : threshold);
        }}
      >
        <Field
          label="Send balance.low below"
          value={threshold}
          onChange={setThreshold}
          inputMode="decimal"
          placeholder="10.00"
          hint="Sent once when your balance drops below this amount, again only after it has gone back up. Empty: never."
        />
        {failure !== null && <Alert kind="error">{failure}</Alert>}
        {saved !== null && <Alert kind="ok">{saved}</Alert>}
        <span className="inline-actions">
          <button type="submit" className="primary">
            Save threshold
          </button>
          {props.current !== null && (
            <button type="button" onClick={() => void save(null)}>
              Remove threshold
            </button>
          )}
        </span>
      </form>
    </Card>
  );
}

export function WebhooksPage() {
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
      return webhook.enabled ? 'Endpoint disabled.' : 'Endpoint enabled: waiting deliveries resume.';
    });
  const test = (webhook: Webhook) =>
    run(async () => {
      const answer = await api.post(`/webhooks/${webhook.id}/test`);
      return `Test event ${answer.messageId} queued: it is sent within seconds.`;
    });
  const remove = (webhook: Webhook) =>
    run(async () => {
      await api.delete(`/webhooks/${webhook.id}`);
      if (logOf?.id === webhook.id) setLogOf(null);
      return 'Endpoint deleted.';
    });
  return (
    <Page title="Webhooks">
      <p>
        Instead of polling <code>status</code>, let the panel tell your server when an order or a refill
        changes, a deposit is paid, or your balance runs low.
      </p>
      {secret !== null && (
        <Alert kind="ok">
          Signing secret (copy it now, it is not shown again): <code className="secret">{secret}</code>
        </Alert>
      )}
      {notice !== null && <Alert kind="info">{notice}</Alert>}
      {failure !== null && <Alert kind="error">{failure}</Alert>}
      {data === null ? (
        <Loading error={error} />
      ) : (
        <>
          <Card title="Your endpoints">
            {data.webhooks.length === 0 ? (
              <p className="muted">No endpoint yet.</p>
            ) : (
              <table className="table" aria-label="Endpoints">
                <thead>
                  <tr>
                    <th scope="col">URL</th>
                    <th scope="col">Events</th>
                    <th scope="col">State</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {data.webhooks.map((webhook) => (
                    <tr key={webhook.id}>
                      <td data-label="URL">
                        <code>{webhook.url}</code>
                      </td>
                      <td data-label="Events">{webhook.events.join(', ')}</td>
                      <td data-label="State">
                        {webhook.enabled ? 'Enabled' : 'Disabled'}
                        {webhook.disabledReason !== null && ` (${webhook.disabledReason})`}
                        {webhook.failingSince !== null && ` · failing since ${date(webhook.failingSince)}`}
                      </td>
                      <td data-label="Actions">
                        <span className="inline-actions">
                          <button type="button" onClick={() => void test(webhook)}>
                            Send test event
                          </button>
                          <button type="button" onClick={() => setLogOf(webhook)}>
                            Deliveries
                          </button>
                          <button type="button" onClick={() => void rotate(webhook)}>
                            Rotate secret
                          </button>
                          <button type="button" onClick={() => void toggle(webhook)}>
                            {webhook.enabled ? 'Disable' : 'Enable'}
                          </button>
                          <button type="button" className="danger" onClick={() => void remove(webhook)}>
                            Delete
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
