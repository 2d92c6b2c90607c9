import { SERVICE_TYPES } from '@smmkit/client';
import type { AdminService, ServiceBody } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, Checkbox, Field, Loading, Page, Select } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { useMoney } from '../../session.js';

/** The service form as typed: every field of the body it sends, min and max still text. */
type Draft = Required<
  Pick<
    ServiceBody,
    'name' | 'type' | 'category' | 'rate' | 'description' | 'refill' | 'cancel' | 'dripfeed' | 'enabled'
  >
> & { min: string; max: string };

const EMPTY: Draft = {
  name: '',
  type: 'Default',
  category: '',
  rate: '',
  min: '10',
  max: '10000',
  description: '',
  refill: false,
  cancel: false,
  dripfeed: false,
  enabled: true,
};

function draftOf(s: AdminService): Draft {
  return {
    name: s.name,
    type: s.type,
    category: s.category,
    rate: s.rate,
    min: String(s.min),
    max: String(s.max),
    description: s.description,
    refill: s.refill,
    cancel: s.cancel,
    dripfeed: s.dripfeed,
    enabled: s.enabled,
  };
}

export function AdminServicesPage() {
  const money = useMoney();
  const { data, error, reload } = useResource('/admin/catalog');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [markup, setMarkup] = useState('');
  const [fixed, setFixed] = useState('');

  const run = async (action: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage({ kind: 'ok', text: await action() });
      reload();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };

  const bulk = (enabled: boolean) =>
    void run(async () => {
      const answer = await api.post('/admin/services/bulk', { ids: [...selected], enabled });
      setSelected(new Set());
      return `${answer.changed} services ${enabled ? 'enabled' : 'disabled'}.`;
    });

  const reprice = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await api.post('/admin/services/markup', { ids: [...selected], markup, fixed });
      setSelected(new Set());
      return `Repriced: ${answer.services.map((s) => `#${s.id} at ${money(s.rate)}`).join(', ')}.`;
    });
  };

  const move = (
    list: readonly { id: number }[],
    index: number,
    delta: number,
    what: 'services' | 'categories',
  ) =>
    void run(async () => {
      const ids = list.map((x) => x.id);
      const [item] = ids.splice(index, 1);
      ids.splice(index + delta, 0, item!);
      await api.post('/admin/catalog/reorder', { what, ids });
      return 'Order saved.';
    });

  if (data === null) {
    return (
      <Page title="Services">
        <Loading error={error} />
      </Page>
    );
  }

  return (
    <Page
      title="Services"
      actions={
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          New service
        </button>
      }
    >
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {editing !== null && (
        <ServiceForm
          initial={editing === 'new' ? EMPTY : draftOf(data.services.find((s) => s.id === editing)!)}
          id={editing === 'new' ? null : editing}
          onDone={(text) => {
            setEditing(null);
            setMessage({ kind: 'ok', text });
            reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <Card title="Categories">
        <ol className="list">
          {data.categories.map((category, index) => (
            <li key={category.id} className="list-row">
              <span>
                {category.name} <span className="muted small">({category.services} services)</span>
              </span>
              <span className="inline-actions">
                <button
                  type="button"
                  disabled={index === 0}
                  aria-label={`Move ${category.name} up`}
                  onClick={() => move(data.categories, index, -1, 'categories')}
                >
                  ↑
                </button>
                <button
                  type="button"
                  disabled={index === data.categories.length - 1}
                  aria-label={`Move ${category.name} down`}
                  onClick={() => move(data.categories, index, 1, 'categories')}
                >
                  ↓
                </button>
              </span>
            </li>
          ))}
        </ol>
      </Card>
      <Card title="All services">
        <div className="inline-actions">
          <button type="button" disabled={selected.size === 0} onClick={() => bulk(true)}>
            Enable selected
          </button>
          <button type="button" disabled={selected.size === 0} onClick={() => bulk(false)}>
            Disable selected
          </button>
        </div>
        <form className="filters" onSubmit={reprice} aria-label="Reprice selected services">
          <Field
            label="Markup % over the provider's rate"
            value={markup}
            onChange={setMarkup}
            required
            placeholder="25%"
          />
          <Field label="Fixed markup" value={fixed} onChange={setFixed} placeholder="0" />
          <button type="submit" disabled={selected.size === 0}>
            Reprice selected
          </button>
        </form>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Select</span>
              </th>
              <th scope="col">ID</th>
              <th scope="col">Service</th>
              <th scope="col">Rate</th>
              <th scope="col">Provider</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.services.map((service) => {
              const siblings = data.services.filter((s) => s.categoryId === service.categoryId);
              const position = siblings.findIndex((s) => s.id === service.id);
              return (
                <tr key={service.id} className={service.enabled ? '' : 'disabled-row'}>
                  <td data-label="Select">
                    <input
                      type="checkbox"
                      aria-label={`Select service ${service.id}`}
                      checked={selected.has(service.id)}
                      onChange={(event) => {
                        const next = new Set(selected);
                        if (event.target.checked) next.add(service.id);
                        else next.delete(service.id);
                        setSelected(next);
                      }}
                    />
                  </td>
                  <td data-label="ID">{service.id}</td>
                  <td data-label="Service">
                    {service.name}
                    <span className="muted small block">
                      {service.category} · {service.type} · {service.min}–{service.max}
                    </span>
                  </td>
                  <td data-label="Rate">{money(service.rate)}</td>
                  <td data-label="Provider">
                    {service.providerId === null
                      ? 'manual'
                      : `#${service.providerId} service ${service.providerServiceId} at ${service.providerRate ?? '?'}`}
                  </td>
                  <td data-label="State">{service.enabled ? 'Enabled' : 'Disabled'}</td>
                  <td data-label="Actions">
                    <span className="inline-actions">
                      <button type="button" onClick={() => setEditing(service.id)}>
                        Edit
                      </button>
                      <button
                        type="button"
                        disabled={position === 0}
                        aria-label={`Move service ${service.id} up`}
                        onClick={() => move(siblings, position, -1, 'services')}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        disabled={position === siblings.length - 1}
                        aria-label={`Move service ${service.id} down`}
                        onClick={() => move(siblings, position, 1, 'services')}
                      >
                        ↓
                      </button>
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>
    </Page>
  );
}

function ServiceForm(props: {
  initial: Draft;
  id: number | null;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(props.initial);
  const [error, setError] = useState<string | null>(null);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const body = { ...draft, min: Number(draft.min), max: Number(draft.max) };
    try {
      if (props.id === null) {
        const created = await api.post('/admin/services', body);
        props.onDone(`Service #${created.id} created.`);
      } else {
        await api.patch(`/admin/services/${props.id}`, body);
        props.onDone(`Service #${props.id} saved.`);
      }
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <form
      className="card"
      onSubmit={(event) => void submit(event)}
      aria-label={props.id === null ? 'New service' : `Edit service ${props.id}`}
    >
      <h2>{props.id === null ? 'New service' : `Edit service #${props.id}`}</h2>
      {error !== null && <Alert kind="error">{error}</Alert>}
      <div className="grid-2">
        <Field label="Name" value={draft.name} onChange={set('name')} required />
        <Field label="Category" value={draft.category} onChange={set('category')} required />
        <Select
          label="Type"
          value={draft.type}
          onChange={set('type')}
          options={SERVICE_TYPES.map((t) => ({ value: t, label: t }))}
        />
        <Field label="Rate per 1000" value={draft.rate} onChange={set('rate')} inputMode="decimal" required />
        <Field label="Minimum" value={draft.min} onChange={set('min')} inputMode="numeric" required />
        <Field label="Maximum" value={draft.max} onChange={set('max')} inputMode="numeric" required />
      </div>
      <Field label="Description" value={draft.description} onChange={set('description')} multiline />
      <div className="checks">
        <Checkbox label="Refill" checked={draft.refill} onChange={set('refill')} />
        <Checkbox label="Cancel" checked={draft.cancel} onChange={set('cancel')} />
        <Checkbox label="Drip-feed" checked={draft.dripfeed} onChange={set('dripfeed')} />
        <Checkbox label="Enabled" checked={draft.enabled} onChange={set('enabled')} />
      </div>
      <div className="inline-actions">
        <button type="submit" className="primary">
          Save
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
