import type { Catalog, CatalogService, OrderQuote } from '@smmkit/contract';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { Alert, Card, Checkbox, Field, Loading, Page, Select } from '../../components/ui.js';
import { displayAverageTime } from '../../durations.js';
import { errorText, useResource } from '../../hooks.js';
import { Link, useLocation } from '../../router.js';
import { useFormat } from '../../format.js';
import { useMoney, useSession } from '../../session.js';
import { PARAM_LABELS } from './order-fields.js';

/** The parameters the chosen service's type takes, in the order the API validates them. */
function fieldsFor(catalog: Catalog, service: CatalogService): string[] {
  const spec = catalog.types[service.type];
  if (!spec) return [];
  return [...spec.required, ...spec.optional].filter((name) => name !== 'old_posts' || service.oldPosts);
}

/**
 * A refused quote or order: the text shown (in the reader's language) and the server's English
 * message, whose wording names the field it is about.
 */
interface Problem {
  text: string;
  english: string;
}

function problemOf(failure: unknown): Problem {
  return { text: errorText(failure), english: failure instanceof Error ? failure.message : String(failure) };
}

/** The field an API message (in English) is about ("Incorrect link", "Quantity less than minimal 10"…), if any. */
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
  const { t } = useTranslation('ordering');
  return (
    <Page title={t('newOrder.title')}>
      {catalog === null ? <Loading error={error} /> : <OrderForm catalog={catalog} />}
    </Page>
  );
}

function OrderForm({ catalog }: { catalog: Catalog }) {
  const session = useSession();
  const { t } = useTranslation('ordering');
  const money = useMoney();
  const format = useFormat();
  /** How the form names a parameter: its translation, else the English label. */
  const paramLabel = (name: string) =>
    t(`params.${name}`, { defaultValue: PARAM_LABELS[name]?.label ?? name });
  const paramHint = (name: string) => {
    const english = PARAM_LABELS[name]?.hint;
    return english === undefined ? undefined : t(`paramHints.${name}`, { defaultValue: english });
  };
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
  const [problem, setProblem] = useState<Problem | null>(null);
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
          setProblem(problemOf(failure));
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
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };

  // Which field the problem is about (the API's messages name it), and whether to show it yet.
  const problemField =
    problem === null ? null : fieldOfProblem(problem.english, [...fields, 'runs', 'interval']);
  const shown =
    problem !== null && (submitted || (problemField !== null ? touched.has(problemField) : touched.size > 0));
  const errorFor = (name: string) => (shown && problemField === name ? problem.text : null);

  if (catalog.services.length === 0) {
    return <Alert kind="info">{t('newOrder.noServices')}</Alert>;
  }

  return (
    <form className="order-layout" noValidate onSubmit={(event) => void submit(event)}>
      <Card className="order-main">
        <Field
          label={t('newOrder.search')}
          value={search}
          onChange={setSearch}
          placeholder={t('newOrder.searchPlaceholder')}
        />
        {search.trim() === '' && (
          <Select
            label={t('category')}
            value={category}
            onChange={(value) => {
              setCategory(value);
              setServiceId(null);
            }}
            options={categories.map((c) => ({ value: c, label: c }))}
          />
        )}
        <Select
          label={t('newOrder.service')}
          value={service === null ? '' : String(service.id)}
          onChange={(value) => setServiceId(Number(value))}
          options={
            matching.length === 0
              ? [{ value: '', label: t('newOrder.noMatch') }]
              : matching.map((s) => ({
                  value: String(s.id),
                  label: t('newOrder.option', {
                    id: s.id,
                    name: s.name,
                    rate: money(s.rate),
                    // The limits as plain digits, as API v2 lists them (the side card writes them per language).
                    min: s.min,
                    max: s.max,
                  }),
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
                  label={paramLabel(name)}
                  value={values.delay ?? '0'}
                  onChange={set('delay')}
                  options={catalog.subscriptionDelays.map((d) => ({ value: String(d), label: String(d) }))}
                />
              );
            }
            return (
              <Field
                key={`${service.id}-${name}`}
                label={paramLabel(name)}
                value={values[name] ?? ''}
                onChange={set(name)}
                onBlur={() => touch(name)}
                error={errorFor(name)}
                multiline={spec.multiline}
                inputMode={spec.numeric ? 'numeric' : undefined}
                hint={
                  name === 'quantity'
                    ? t('newOrder.between', {
                        min: format.number(service.min),
                        max: format.number(service.max),
                      })
                    : paramHint(name)
                }
                required={catalog.types[service.type]?.required.includes(name)}
              />
            );
          })}
        {service?.dripfeed && (
          <>
            <Checkbox label={t('dripfeed')} checked={dripfeed} onChange={setDripfeed} />
            {dripfeed && (
              <div className="two">
                <Field
                  label={t('newOrder.runs')}
                  value={values.runs ?? ''}
                  onChange={set('runs')}
                  onBlur={() => touch('runs')}
                  error={errorFor('runs')}
                  inputMode="numeric"
                  hint={t('newOrder.runsHint')}
                />
                <Field
                  label={t('newOrder.interval')}
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
            {t('newOrder.placed', { id: placed })} <Link href="/orders">{t('newOrder.seeOrders')}</Link>
          </Alert>
        )}
        <div className="charge-bar">
          <div>
            <span className="muted small block">{t('newOrder.charge')}</span>
            <output className="charge" aria-live="polite" aria-label={t('newOrder.charge')}>
              {quote !== null ? money(quote.charge) : '—'}
            </output>
          </div>
          <button type="submit" className="primary" disabled={busy || service === null}>
            {t('newOrder.submit')}
          </button>
        </div>
        {shown && problemField === null && (
          <p className="field-error" role="alert">
            {problem.text}
          </p>
        )}
        {quote?.reserve != null && (
          <p className="muted small">{t('newOrder.reserve', { reserve: money(quote.reserve) })}</p>
        )}
      </Card>
      {service !== null && (
        <Card title={service.name} className="order-side">
          <dl className="facts">
            <dt>{t('facts.type')}</dt>
            <dd>{service.type}</dd>
            <dt>{t('facts.price')}</dt>
            <dd>{money(service.rate)}</dd>
            <dt>{t('facts.minMax')}</dt>
            <dd>
              {format.number(service.min)} / {format.number(service.max)}
            </dd>
            <dt>{t('facts.refill')}</dt>
            <dd>{service.refill ? t('yes') : t('no')}</dd>
            <dt>{t('facts.cancel')}</dt>
            <dd>{service.cancel ? t('yes') : t('no')}</dd>
            {service.averageTimeSeconds !== null && (
              <>
                <dt>{t('facts.averageTime')}</dt>
                <dd>
                  {t('facts.perThousand', {
                    time: displayAverageTime(service.averageTimeSeconds, format.language),
                  })}
                </dd>
              </>
            )}
          </dl>
          <p className="description">{service.description || t('facts.noDescription')}</p>
        </Card>
      )}
    </form>
  );
}
