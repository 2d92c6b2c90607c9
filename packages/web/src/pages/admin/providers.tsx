import { useCan } from '../../permissions.js';
import type { FieldChange, ImportReport, Provider, SyncReport } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, Field, Loading, Page, date } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { displayMoney } from '../../money.js';
import { Link } from '../../router.js';

type Report =
  | { kind: 'import'; provider: string; report: ImportReport }
  | { kind: 'sync'; provider: string; report: SyncReport };

const FIELD_NAMES: Record<FieldChange['field'], string> = {
  providerRate: "provider's rate",
  rate: 'our rate',
  min: 'minimum',
  max: 'maximum',
  refill: 'refill',
  cancel: 'cancel',
  dripfeed: 'drip-feed',
};

const show = (value: string | number | boolean | null) => (value === null ? 'none' : String(value));

export function AdminProvidersPage() {
  const can = useCan();
  const { data, error, reload } = useResource('/admin/providers');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<string>) => {
    setMessage(null);
    setBusy(true);
    try {
      setMessage({ kind: 'ok', text: await action() });
      reload();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const created = await api.post('/admin/providers', { name, url, apiKey });
      setName('');
      setUrl('');
      setApiKey('');
      return `Provider #${created.id} added: its key answered.`;
    });
  };

  return (
    <Page title="Providers">
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {report !== null && <ReportCard report={report} onClose={() => setReport(null)} />}
      {data === null ? (
        <Loading error={error} />
      ) : data.providers.length === 0 ? (
        <ProvidersEmpty />
      ) : (
        data.providers.map((provider) => (
          <ProviderCard key={provider.id} provider={provider} busy={busy} run={run} onReport={setReport} />
        ))
      )}
      {can('providers.write') && (
        <form className="card" onSubmit={add} aria-label="Add a provider">
          <h2>Add a provider</h2>
          <p className="muted small">
            Any panel speaking API v2. The key is checked with a balance call before it is saved.
          </p>
          <Field label="Provider name" value={name} onChange={setName} required />
          <Field
            label="API URL"
            value={url}
            onChange={setUrl}
            type="url"
            required
            placeholder="https://provider.example/api/v2"
          />
          <Field label="Provider API key" value={apiKey} onChange={setApiKey} required autoComplete="off" />
          <button type="submit" className="primary" disabled={busy}>
            Add provider
          </button>
        </form>
      )}
    </Page>
  );
}

function ProviderCard(props: {
  provider: Provider;
  busy: boolean;
  run: (action: () => Promise<string>) => Promise<void>;
  onReport: (report: Report) => void;
}) {
  const { provider } = props;
  const [markup, setMarkup] = useState('');
  const [fixed, setFixed] = useState('');
  const importServices = (event: FormEvent) => {
    event.preventDefault();
    void props.run(async () => {
      const report = await api.post(`/admin/providers/${provider.id}/import`, { markup, fixed });
      props.onReport({ kind: 'import', provider: provider.name, report });
      return `Imported ${report.created.length} services from ${provider.name}.`;
    });
  };
  const sync = () =>
    void props.run(async () => {
      const report = await api.post(`/admin/providers/${provider.id}/sync`);
      props.onReport({ kind: 'sync', provider: provider.name, report });
      return `Synced ${provider.name}: ${report.changed.length} changes, ${report.disabled.length} disabled.`;
    });
  const balance = () =>
    void props.run(async () => {
      const answer = await api.post(`/admin/providers/${provider.id}/balance`);
      return `${provider.name}: balance ${displayMoney(answer.balance, answer.currency)}.`;
    });
  return (
    <Card title={provider.name}>
      <dl className="facts">
        <dt>URL</dt>
        <dd>{provider.url}</dd>
        <dt>Key</dt>
        <dd>
          <code>{provider.key}</code>
        </dd>
        <dt>Currency</dt>
        <dd>{provider.currency ?? 'not known yet'}</dd>
        <dt>Balance</dt>
        <dd>
          {provider.balance === null ? 'unknown' : displayMoney(provider.balance, provider.currency)}{' '}
          <span className="muted small">{date(provider.balanceAt)}</span>
        </dd>
        <dt>Markup</dt>
        <dd>
          {provider.markup} + {provider.fixedMarkup}
        </dd>
      </dl>
      <form
        className="filters"
        onSubmit={importServices}
        aria-label={`Import services from ${provider.name}`}
      >
        <Field
          label="Markup %"
          value={markup}
          onChange={setMarkup}
          placeholder={provider.markup}
          hint="Empty: the last import's."
        />
        <Field label="Fixed markup" value={fixed} onChange={setFixed} placeholder={provider.fixedMarkup} />
        <button type="submit" className="primary" disabled={props.busy}>
          Import services
        </button>
      </form>
      <div className="inline-actions">
        <button type="button" disabled={props.busy} onClick={sync}>
          Sync services
        </button>
        <button type="button" disabled={props.busy} onClick={balance}>
          Check balance
        </button>
      </div>
    </Card>
  );
}

function ReportCard({ report, onClose }: { report: Report; onClose: () => void }) {
  return (
    <Card
      title={report.kind === 'import' ? `Imported from ${report.provider}` : `Sync with ${report.provider}`}
    >
      {report.kind === 'import' ? (
        <>
          <p>Markup {report.report.markup}.</p>
          {report.report.created.length > 0 && (
            <table className="table">
              <caption>New services</caption>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Provider's id</th>
                  <th scope="col">Rate</th>
                </tr>
              </thead>
              <tbody>
                {report.report.created.map((c) => (
                  <tr key={c.service}>
                    <td data-label="Service">
                      #{c.service} {c.name}
                    </td>
                    <td data-label="Provider's id">{c.providerService}</td>
                    <td data-label="Rate">{c.rate}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.report.alreadyImported.length > 0 && (
            <p className="muted">{report.report.alreadyImported.length} already imported.</p>
          )}
          {report.report.skipped.map((s) => (
            <p key={s.providerService} className="field-error">
              Skipped {s.providerService}: {s.reason}
            </p>
          ))}
        </>
      ) : (
        <ul className="diff">
          {report.report.changed.length + report.report.disabled.length + report.report.skipped.length ===
            0 && <li>Nothing changed.</li>}
          {report.report.changed.map((c) => (
            <li key={`${c.service}-${c.field}`}>
              Service #{c.service}: {FIELD_NAMES[c.field] ?? c.field} <del>{show(c.old)}</del> →{' '}
              <ins>{show(c.new)}</ins>
            </li>
          ))}
          {report.report.disabled.map((d) => (
            <li key={`d${d.service}`}>
              Service #{d.service} disabled: the provider no longer offers {d.providerService}.
            </li>
          ))}
          {report.report.skipped.map((s) => (
            <li key={`s${s.service}`}>
              Service #{s.service} left as it was: {s.reason}
            </li>
          ))}
          {report.report.notImported.length > 0 && (
            <li>Not imported yet: provider services {report.report.notImported.join(', ')}.</li>
          )}
        </ul>
      )}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </Card>
  );
}

/** No provider yet: what to do, in order, and where it is explained. */
function ProvidersEmpty() {
  return (
    <Card title="No providers yet" className="empty-state">
      <p>A provider is another panel your orders are forwarded to. Three steps set one up:</p>
      <ol>
        <li>
          <strong>Add</strong> it below with its API v2 URL and your key there (checked with a balance call).
        </li>
        <li>
          <strong>Import</strong> its services with your markup: they join your catalogue, forwarded to it.
        </li>
        <li>
          <strong>Sync</strong> now and then (or on a schedule) to follow its prices, limits and removals.
        </li>
      </ol>
      <p className="small">
        Details: the README&apos;s <em>Forwarding to providers</em> and <em>Scheduled provider sync</em>{' '}
        sections, and the <Link href="/api-keys">API v2 reference</Link> providers speak.
      </p>
    </Card>
  );
}
