import type { Catalog, CatalogService, OrderQuote } from '@smmkit/contract';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, Checkbox, Field, Loading, Page, Select } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useMoney, useSession } from '../../session.js';
import { PARAM_LABELS } from './order-fields.js';

/** The parameters the chosen service's type takes, in the order the API validates them. */
function fieldsFor(catalog: Catalog, service: CatalogService): string[] {
  const spec = catalog.types[service.type];
  if (!spec) return [];
  return [...spec.required, ...spec.optional].filter((name) => name !== 'old_posts' || service.oldPosts);
}

export function NewOrderPage() {
  const { data: catalog, error } = useResource('/catalog');
  return (
    <Page title="New order">
      {catalog === null ? <Loading error={error} /> : <OrderForm catalog={catalog} />}
    </Page>
  );
}

function OrderForm({ catalog }: { catalog: Catalog }) {
  const session = useSession();
  const money = useMoney();
  const categories = useMemo(() => [...new Set(catalog.services.map((s) => s.category))], [catalog]);
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState(categories[0] ?? '');
  const matching = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return catalog.services.filter((s) =>
      needle === ''
        ? s.category === category
        : `${s.id} ${s.name} ${s.category}`.toLowerCase().includes(needle),
    );
  }, [catalog, category, search]);
  const [serviceId, setServiceId] = useState<number | null>(null);
  const service = matching.find((s) => s.id === serviceId) ?? matching[0] ?? null;
  const [values, setValues] = useState<Record<string, string>>({});
  const [dripfeed, setDripfeed] = useState(false);
  const [quote, setQuote] = useState<OrderQuote | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string; order?: number } | null>(null);
  const [busy, setBusy] = useState(false);

  const fields = useMemo(() => (service === null ? [] : fieldsFor(catalog, service)), [catalog, service]);
  const params = useMemo(() => {
    if (service === null) return null;
    const chosen: Record<string, string> = { service: String(service.id) };
    for (const name of fields) if ((values[name] ?? '') !== '') chosen[name] = values[name]!;
    if (fields.includes('delay') && chosen.delay === undefined) chosen.delay = '0';
    if (dripfeed && service.dripfeed) {
      chosen.runs = values.runs ?? '';
      chosen.interval = values.interval ?? '';
    }
    return chosen;
  }, [service, fields, values, dripfeed]);

  // The charge, computed live by the server with the same validation and pricing as placing the order.
  useEffect(() => {
    if (params === null) return;
    const timer = setTimeout(() => {
      api
        .post('/orders/quote', { params })
        .then((answer) => {
          setQuote(answer);
          setQuoteError(null);
        })
        .catch((failure: unknown) => {
          setQuote(null);
          setQuoteError(errorText(failure));
        });
    }, 200);
    return () => clearTimeout(timer);
  }, [params]);

  const set = (name: string) => (value: string) => setValues((current) => ({ ...current, [name]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (params === null) return;
    setBusy(true);
    setResult(null);
    try {
      const placed = await api.post('/orders', { params });
      setResult({ kind: 'ok', text: `Order #${placed.order} placed.`, order: placed.order });
      setValues({});
      setDripfeed(false);
      await session.refresh();
    } catch (failure) {
      setResult({ kind: 'error', text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  };

  if (catalog.services.length === 0) {
    return <Alert kind="info">No services are available yet.</Alert>;
  }

  return (
    <form className="order-layout" onSubmit={(event) => void submit(event)}>
      <Card className="order-main">
        <Field label="Search services" value={search} onChange={setSearch} placeholder="Name or id" />
        {search.trim() === '' && (
          <Select
            label="Category"
            value={category}
            onChange={(value) => {
              setCategory(value);
              setServiceId(null);
            }}
            options={categories.map((c) => ({ value: c, label: c }))}
          />
        )}
        <Select
          label="Service"
          value={service === null ? '' : String(service.id)}
          onChange={(value) => setServiceId(Number(value))}
          options={
            matching.length === 0
              ? [{ value: '', label: 'No service matches' }]
              : matching.map((s) => ({
                  value: String(s.id),
                  label: `${s.id} · ${s.name} — ${money(s.rate)} per 1000`,
                }))
          }
        />
        {service !== null &&
          fields.map((name) => {
            const spec = PARAM_LABELS[name] ?? { label: name };
            if (name === 'delay') {
              return (
                <Select
                  key={name}
                  label={spec.label}
                  value={values.delay ?? '0'}
                  onChange={set('delay')}
                  options={catalog.subscriptionDelays.map((d) => ({ value: String(d), label: String(d) }))}
                />
              );
            }
            return (
              <Field
                key={`${service.id}-${name}`}
                label={spec.label}
                value={values[name] ?? ''}
                onChange={set(name)}
                multiline={spec.multiline}
                inputMode={spec.numeric ? 'numeric' : undefined}
                hint={name === 'quantity' ? `Between ${service.min} and ${service.max}.` : spec.hint}
                required={catalog.types[service.type]?.required.includes(name)}
              />
            );
          })}
        {service?.dripfeed && (
          <>
            <Checkbox label="Drip-feed" checked={dripfeed} onChange={setDripfeed} />
            {dripfeed && (
              <div className="two">
                <Field
                  label="Runs"
                  value={values.runs ?? ''}
                  onChange={set('runs')}
                  inputMode="numeric"
                  hint="2 or more."
                />
                <Field
                  label="Interval (minutes)"
                  value={values.interval ?? ''}
                  onChange={set('interval')}
                  inputMode="numeric"
                />
              </div>
            )}
          </>
        )}
        {result !== null && (
          <Alert kind={result.kind}>
            {result.text} {result.order !== undefined && <Link href="/orders">See your orders</Link>}
          </Alert>
        )}
        <div className="charge-bar">
          <div>
            <span className="muted small block">Charge</span>
            <output className="charge" aria-live="polite" aria-label="Charge">
              {quote !== null ? money(quote.charge) : '—'}
            </output>
          </div>
          <button type="submit" className="primary" disabled={busy || service === null}>
            Place order
          </button>
        </div>
        {quoteError !== null && <p className="field-error">{quoteError}</p>}
        {quote?.reserve != null && (
          <p className="muted small">
            Each post is charged when it is created; your balance must cover one post at the maximum (
            {money(quote.reserve)}).
          </p>
        )}
      </Card>
      {service !== null && (
        <Card title={service.name} className="order-side">
          <dl className="facts">
            <dt>Type</dt>
            <dd>{service.type}</dd>
            <dt>Price per 1000</dt>
            <dd>{money(service.rate)}</dd>
            <dt>Min / max</dt>
            <dd>
              {service.min} / {service.max}
            </dd>
            <dt>Refill</dt>
            <dd>{service.refill ? 'Yes' : 'No'}</dd>
            <dt>Cancel</dt>
            <dd>{service.cancel ? 'Yes' : 'No'}</dd>
          </dl>
          <p className="description">{service.description || 'No description.'}</p>
        </Card>
      )}
    </form>
  );
}
