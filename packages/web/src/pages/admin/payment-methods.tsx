import type { AdminPaymentMethod } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Checkbox, Field, Select } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { useCan } from '../../permissions.js';

/** How the list masks a secret the server keeps: never sent back, never shown. */
const MASK = '********';

/**
 * Each gateway's config fields, to lay the form out (the server reads and checks the config; a
 * field named `secret` is write-only once saved). `apiBase` points the gateway's SDK elsewhere.
 */
const GATEWAY_FIELDS: Readonly<Record<string, readonly { key: string; secret: boolean }[]>> = {
  manual: [],
  stripe: [
    { key: 'secretKey', secret: true },
    { key: 'webhookSecret', secret: true },
    { key: 'apiBase', secret: false },
  ],
  paypal: [
    { key: 'clientId', secret: false },
    { key: 'clientSecret', secret: true },
    { key: 'webhookId', secret: false },
    { key: 'apiBase', secret: false },
  ],
  nowpayments: [
    { key: 'apiKey', secret: true },
    { key: 'ipnSecret', secret: true },
    { key: 'apiBase', secret: false },
  ],
};

const GATEWAYS = Object.keys(GATEWAY_FIELDS).map((name) => ({ value: name, label: name }));

/** The config fields a form shows: the gateway's known ones, plus any the stored method has. */
function configFields(gateway: string, stored: Readonly<Record<string, string>>) {
  const fields = [...(GATEWAY_FIELDS[gateway] ?? [])];
  for (const [key, value] of Object.entries(stored))
    if (!fields.some((field) => field.key === key)) fields.push({ key, secret: value === MASK });
  return fields.map((field) => ({ ...field, secret: field.secret || stored[field.key] === MASK }));
}

/**
 * Adds a method, or edits one: the gateway's secrets are write-only (a saved one shows as set and
 * is kept when its field is left blank); the server checks every field and audits the change.
 */
export function PaymentMethodForm(props: {
  method: AdminPaymentMethod | null;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { method } = props;
  const [gateway, setGateway] = useState(method?.gateway ?? 'manual');
  const [name, setName] = useState(method?.name ?? '');
  const [enabled, setEnabled] = useState(method?.enabled ?? true);
  const [min, setMin] = useState(method?.min ?? '');
  const [max, setMax] = useState(method?.max ?? '');
  const [feePercent, setFeePercent] = useState(method?.feePercent ?? '0');
  const [bonus, setBonus] = useState(method?.bonus ?? '');
  const [instructions, setInstructions] = useState(method?.instructions ?? '');
  const stored = method?.config ?? {};
  const fields = configFields(gateway, stored);
  const [config, setConfig] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(stored).filter(([, value]) => value !== MASK)),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    // Only what was typed: a blank secret keeps the saved one, an unchanged field is not resent.
    const changed = Object.fromEntries(
      fields
        .map((field) => [field.key, (config[field.key] ?? '').trim()] as const)
        .filter(([key, value]) => value !== '' && value !== stored[key]),
    );
    const fieldsOf = {
      name,
      enabled,
      min: min.trim() === '' ? null : min.trim(),
      max: max.trim() === '' ? null : max.trim(),
      feePercent: feePercent.trim() === '' ? '0' : feePercent.trim(),
      bonus: bonus.trim(),
      instructions: instructions.trim() === '' ? null : instructions,
      ...(Object.keys(changed).length > 0 ? { config: changed } : {}),
    };
    try {
      if (method === null) await api.post('/admin/payment-methods', { gateway, ...fieldsOf });
      else await api.patch(`/admin/payment-methods/${method.id}`, fieldsOf);
      props.onSaved();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(event) => void submit(event)}
      aria-label={method === null ? 'New payment method' : `Edit payment method ${method.id}`}
    >
      {method === null && (
        <Select
          label="Gateway"
          value={gateway}
          onChange={(value) => {
            setGateway(value);
            setConfig({});
          }}
          options={GATEWAYS}
        />
      )}
      <Field label="Name" value={name} onChange={setName} required />
      <Checkbox label="Enabled" checked={enabled} onChange={setEnabled} />
      <Field label="Minimum" value={min} onChange={setMin} inputMode="decimal" hint="Empty: no minimum" />
      <Field label="Maximum" value={max} onChange={setMax} inputMode="decimal" hint="Empty: no maximum" />
      <Field label="Fee percent" value={feePercent} onChange={setFeePercent} inputMode="decimal" />
      <Field
        label="Bonus tiers"
        value={bonus}
        onChange={setBonus}
        hint="AMOUNT:PERCENT, e.g. 100:5,500:10 (+5% from 100, +10% from 500)"
      />
      <Field label="Instructions" value={instructions} onChange={setInstructions} multiline />
      {fields.map((field) => (
        <Field
          key={field.key}
          label={field.key}
          type={field.secret ? 'password' : 'text'}
          autoComplete="off"
          value={config[field.key] ?? ''}
          onChange={(value) => setConfig((current) => ({ ...current, [field.key]: value }))}
          {...(field.secret && stored[field.key] === MASK
            ? { placeholder: MASK, hint: 'Saved; leave blank to keep it' }
            : {})}
        />
      ))}
      {error !== null && <Alert kind="error">{error}</Alert>}
      <button type="submit" className="primary" disabled={busy}>
        {method === null ? 'Add method' : 'Save method'}
      </button>{' '}
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}

/** Admin › Payments › Methods: the list (secrets masked), add and edit for payments.settings. */
export function PaymentMethodsCard(props: { methods: readonly AdminPaymentMethod[]; onChanged: () => void }) {
  const can = useCan();
  const mayEdit = can('payments.settings');
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const saved = () => {
    setEditing(null);
    props.onChanged();
  };
  return (
    <>
      {props.methods.length === 0 ? (
        <p className="muted">No payment method yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Gateway</th>
              <th scope="col">Limits</th>
              <th scope="col">Fee</th>
              <th scope="col">Bonus</th>
              <th scope="col">Enabled</th>
              {mayEdit && <th scope="col">Edit</th>}
            </tr>
          </thead>
          <tbody>
            {props.methods.map((method) => (
              <tr key={method.id}>
                <td data-label="Method">
                  #{method.id} {method.name}
                  <span className="muted small block">Webhook: /payments/webhook/{method.id}</span>
                </td>
                <td data-label="Gateway">{method.gateway}</td>
                <td data-label="Limits">
                  {method.min ?? '—'} – {method.max ?? '—'}
                </td>
                <td data-label="Fee">{method.feePercent}%</td>
                <td data-label="Bonus">{method.bonus === '' ? '—' : method.bonus}</td>
                <td data-label="Enabled">{method.enabled ? 'Yes' : 'No'}</td>
                {mayEdit && (
                  <td data-label="Edit">
                    <button type="button" onClick={() => setEditing(method.id)}>
                      Edit {method.name}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayEdit && editing === null && (
        <button type="button" onClick={() => setEditing('new')}>
          Add a payment method
        </button>
      )}
      {mayEdit && editing !== null && (
        <PaymentMethodForm
          key={String(editing)}
          method={editing === 'new' ? null : (props.methods.find((item) => item.id === editing) ?? null)}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
    </>
  );
}
