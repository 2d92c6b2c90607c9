import { type FormEvent, useEffect, useState } from 'react';
import type { CurrencyOverview } from '@smmkit/contract';
import { api } from '../../api.js';
import { Alert, Card, Field, Loading, Page, date } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { useCan } from '../../permissions.js';

type Message = { kind: 'ok' | 'error'; text: string } | null;

/**
 * The exchange-rate table: what one unit of each currency is worth in the panel's currency, set by
 * hand or read from a feed, every change with its time; which providers it converts; and which
 * currencies customers may show their money in (display only).
 */
export function AdminCurrenciesPage() {
  const { data, error } = useResource('/admin/currencies');
  const [overview, setOverview] = useState<CurrencyOverview | null>(null);
  useEffect(() => setOverview(data), [data]);
  const can = useCan();
  return (
    <Page title="Currencies">
      {overview === null ? (
        <Loading error={error} />
      ) : (
        <>
          <Rates overview={overview} onSaved={setOverview} displayEditable={can('settings.write')} />
          {can('providers.write') && <SetRate overview={overview} onSaved={setOverview} />}
          <Feed overview={overview} onSaved={setOverview} editable={can('providers.write')} />
          <History overview={overview} />
        </>
      )}
    </Page>
  );
}

function Rates(props: {
  overview: CurrencyOverview;
  onSaved: (overview: CurrencyOverview) => void;
  displayEditable: boolean;
}) {
  const overview = props.overview;
  const [message, setMessage] = useState<Message>(null);
  const setDisplay = async (currency: string, enabled: boolean) => {
    setMessage(null);
    try {
      props.onSaved(await api.put('/admin/currencies/display', { currency, enabled }));
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  return (
    <Card title={`Rates to ${overview.currency}`}>
      <p className="muted">
        Display currencies: customers may pick a ticked currency to see their balance and prices converted
        (marked ≈, beside the exact figure). Charges, the ledger and the API stay in {overview.currency}.
      </p>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {overview.rates.length === 0 ? (
        <p className="muted">No rates yet: only providers billing in {overview.currency} can be imported.</p>
      ) : (
        <table className="table" aria-label="Exchange rates">
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col">1 unit is worth</th>
              <th scope="col">Set by</th>
              <th scope="col">Since</th>
              <th scope="col">Customers may display</th>
            </tr>
          </thead>
          <tbody>
            {overview.rates.map((rate) => (
              <tr key={rate.currency}>
                <td data-label="Currency">{rate.currency}</td>
                <td data-label="1 unit is worth">
                  {rate.rate} {overview.currency}
                </td>
                <td data-label="Set by">{rate.source === 'feed' ? 'feed' : 'admin'}</td>
                <td data-label="Since">{date(rate.updatedAt)}</td>
                <td data-label="Customers may display">
                  <input
                    type="checkbox"
                    aria-label={`Customers may display ${rate.currency}`}
                    checked={rate.display}
                    disabled={!props.displayEditable}
                    onChange={(event) => void setDisplay(rate.currency, event.target.checked)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Providers</h3>
      <ul aria-label="Provider currencies">
        {overview.providers.map((provider) => (
          <li key={provider.id}>
            {provider.name}: bills in {provider.currency ?? overview.currency}
            {provider.rate === null ? (
              <strong> — no rate: its services cannot be imported or re-priced</strong>
            ) : (
              <span className="muted">
                {' '}
                (1 = {provider.rate} {overview.currency})
              </span>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function SetRate(props: { overview: CurrencyOverview; onSaved: (overview: CurrencyOverview) => void }) {
  const [currency, setCurrency] = useState('');
  const [rate, setRate] = useState('');
  const [message, setMessage] = useState<Message>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      props.onSaved(await api.post('/admin/currencies', { currency, rate }));
      setMessage({
        kind: 'ok',
        text: `1 ${currency.trim().toUpperCase()} = ${rate.trim()} ${props.overview.currency}.`,
      });
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-label="Set a rate">
      <h2>Set a rate</h2>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      <Field label="Currency" value={currency} onChange={setCurrency} placeholder="EUR" required />
      <Field
        label={`Rate (in ${props.overview.currency})`}
        value={rate}
        onChange={setRate}
        placeholder="1.0845"
        inputMode="decimal"
        hint="What one unit of that currency is worth, up to 10 decimals. Providers' prices follow at their next sync."
        required
      />
      <button type="submit" className="primary">
        Save rate
      </button>
    </form>
  );
}

function Feed(props: {
  overview: CurrencyOverview;
  onSaved: (overview: CurrencyOverview) => void;
  editable: boolean;
}) {
  const feed = props.overview.feed;
  const [url, setUrl] = useState(feed?.url ?? '');
  const [every, setEvery] = useState(feed?.every ?? '1h');
  const [message, setMessage] = useState<Message>(null);
  const save = async (event: FormEvent, off = false) => {
    event.preventDefault();
    setMessage(null);
    try {
      props.onSaved(
        await api.put('/admin/currencies/feed', off ? { url: '', every: 'off' } : { url, every }),
      );
      setMessage({
        kind: 'ok',
        text: off ? 'Feed turned off; its rates stay.' : 'Feed saved: read at once.',
      });
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  return (
    <form className="card" onSubmit={(event) => void save(event)} aria-label="Rate feed">
      <h2>Rate feed</h2>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {feed === null ? (
        <p className="muted">No feed: rates change only when set here or with the CLI.</p>
      ) : (
        <dl className="facts">
          <dt>Reads</dt>
          <dd>
            <code>{feed.url}</code> every {feed.every}
          </dd>
          <dt>Next reading</dt>
          <dd>{date(feed.nextAt)}</dd>
          <dt>Last read</dt>
          <dd>{feed.lastOkAt === null ? 'not yet' : date(feed.lastOkAt)}</dd>
          {feed.lastError !== null && (
            <>
              <dt>Last error</dt>
              <dd>
                <Alert kind="error">
                  {feed.lastError} ({date(feed.lastErrorAt)}); the rates were kept.
                </Alert>
              </dd>
            </>
          )}
        </dl>
      )}
      {props.editable && (
        <>
          <Field
            label="Feed URL"
            value={url}
            onChange={setUrl}
            inputMode="url"
            hint='JSON such as {"base":"USD","rates":{"EUR":0.92}}'
          />
          <Field label="Read every" value={every} onChange={setEvery} hint="30s, 15m, 1h, 1d" />
          <div className="inline-actions">
            <button type="submit" className="primary">
              Save feed
            </button>
            {feed !== null && (
              <button type="button" onClick={(event) => void save(event, true)}>
                Turn feed off
              </button>
            )}
          </div>
        </>
      )}
    </form>
  );
}

function History({ overview }: { overview: CurrencyOverview }) {
  return (
    <Card title="Rate changes">
      {overview.history.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <table className="table" aria-label="Rate changes">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Currency</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {overview.history.map((change, index) => (
              <tr key={`${change.changedAt}-${change.currency}-${index}`}>
                <td data-label="When">{date(change.changedAt)}</td>
                <td data-label="Currency">{change.currency}</td>
                <td data-label="From">{change.previousRate ?? '—'}</td>
                <td data-label="To">
                  {change.rate} {change.base}
                </td>
                <td data-label="By">{change.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
