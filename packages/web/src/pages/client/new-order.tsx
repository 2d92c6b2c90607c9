import type { Catalog, CatalogService, OrderQuote } from '@smmkit/contract';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, Checkbox, Field, Loading, Page, Select } from '../../components/ui.js';
import { displayAverageTime } from '../../durations.js';
import { errorText, useResource } from '../../hooks.js';
import { Link, useLocation } from '../../router.js';
import { useMoney, useSession } from '../../session.js';
import { PARAM_LABELS } from './order-fields.js';

/** The parameters the chosen service's type takes, in the order the API validates them. */
function fieldsFor(catalog: Catalog, service: CatalogService): string[] {
  const spec = catalog.types[service.type];
  if (!spec) return [];
  return [...spec.required, ...spec.optional].filter((name) => name !== 'old_posts' || service.oldPosts);
}

/** The field an API message is about ("Incorrect link", "Quantity less than minimal 10"…), if any. */
function fieldOfProblem(message: string, fields: readonly string[]): string | null {
  const text = message.toLowerCase();
  const named = [...fields].sort((a, b) => b.length - a.length);
  for (const name of named) {
    const words = [name.replace('_', ' '), (PARAM_LABELS[name]?.label ?? name).toLowerCase().split(' (')[0]!];
    if (words.some((word) => word !== '' && new RegExp(`\\b${word}`).test(text))) return name;
  }
  return null;
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
  // `?service=ID` (the Order button of the Services page) opens the form with that service chosen.
  const { search: query } = useLocation();
  const asked = catalog.services.find((s) => String(s.id) === query.get('service')) ?? null;
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState(asked?.category ?? categories[0] ?? '');
  const matching = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return catalog.services.filter((s) =>
      needle === ''
        ? s.category === category
        : `${s.id} ${s.name} ${s.category}`.toLowerCase().includes(needle),
    );
  }, [catalog, category, search]);
  const [serviceId, setServiceId] = useState<number | null>(asked?.id ?? null);
  const service = matching.find((s) => s.id === serviceId) ?? matching[0] ?? null;
  const [values, setValues] = useState<Record<string, string>>({});
  const [dripfeed, setDripfeed] = useState(false);
  const [quote, setQuote] = useState<OrderQuote | null>(null);
  // The one current problem with the form, from the latest quote or a refused order: shown once,
  // next to its field, and only for a field the user touched (or after a submit).
  const [problem, setProblem] = useState<string | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [placed, setPlaced] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const touch = (name: string) =>
    setTouched((current) => (current.has(name) ? current : new Set([...current, name])));

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
  // Only the answer to the latest input is shown: a change forgets the charge at once, and an answer
  // to older input (arriving late, out of order) is dropped.
  useEffect(() => {
    if (params === null) return;
    let live = true;
    setQuote(null);
    const timer = setTimeout(() => {
      api
        .post('/orders/quote', { params })
        .then((answer) => {
          if (!live) return;
          setQuote(answer);
          setProblem(null);
        })
        .catch((failure: unknown) => {
          if (!live) return;
          setQuote(null);
          setProblem(errorText(failure));
        });
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [params]);

  const set = (name: string) => (value: string) => {
    touch(name);
    setPlaced(null);
    setValues((current) => ({ ...current, [name]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (params === null) return;
    setBusy(true);
    setPlaced(null);
    try {
      const answer = await api.post('/orders', { params });
      setPlaced(answer.order);
      setProblem(null);
      setSubmitted(false);
      setTouched(new Set());
      setValues({});
      setDripfeed(false);
      await session.refresh();
    } catch (failure) {
      setSubmitted(true);
      setProblem(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  // Which field the problem is about (the API's messages name it), and whether to show it yet.
  const problemField = problem === null ? null : fieldOfProblem(problem, [...fields, 'runs', 'interval']);
  const shown =
    problem !== null && (submitted || (problemField !== null ? touched.has(problemField) : touched.size > 0));
  const errorFor = (name: string) => (shown && problemField === name ? problem : null);

  if (catalog.services.length === 0) {
    return <Alert kind="info">No services are available yet.</Alert>;
  }

  return (
    <form className="order-layout" noValidate onSubmit={(event) => void submit(event)}>
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
                  label: `${s.id} · ${s.name} — ${money(s.rate)} per 1000 · min ${s.min}, max ${s.max}`,
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
                onBlur={() => touch(name)}
                error={errorFor(name)}
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
                  onBlur={() => touch('runs')}
                  error={errorFor('runs')}
                  inputMode="numeric"
                  hint="2 or more."
                />
                <Field
                  label="Interval (minutes)"
                  value={values.interval ?? ''}
                  onChange={set('interval')}
                  onBlur={() => touch('interval')}
                  error={errorFor('interval')}
                  inputMode="numeric"
                />
              </div>
            )}
          </>
        )}
        {placed !== null && (
          <Alert kind="ok">
            Order #{placed} placed. <Link href="/orders">See your orders</Link>
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
        {shown && problemField === null && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
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
            {service.averageTimeSeconds !== null && (
              <>
                <dt>Average time</dt>
                <dd>{displayAverageTime(service.averageTimeSeconds)} per 1000</dd>
              </>
            )}
          </dl>
          <p className="description">{service.description || 'No description.'}</p>
        </Card>
      )}
    </form>
  );
}
