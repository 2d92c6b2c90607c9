import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Field, Page } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { useSession } from '../../session.js';

export function AdminSettingsPage() {
  const session = useSession();
  const [panelName, setPanelName] = useState(session.panel.panelName);
  const [currency, setCurrency] = useState(session.panel.currency);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      await api.put('/admin/settings', { panelName, currency });
      await session.refresh();
      setMessage({ kind: 'ok', text: 'Settings saved.' });
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  return (
    <Page title="Settings">
      <form className="card" onSubmit={(event) => void submit(event)}>
        {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
        <Field label="Panel name" value={panelName} onChange={setPanelName} required />
        <Field
          label="Currency"
          value={currency}
          onChange={setCurrency}
          required
          hint="Three-letter code shown next to money in the web panel. API v2 answers show SMMKIT_CURRENCY."
        />
        <button type="submit" className="primary">
          Save settings
        </button>
      </form>
    </Page>
  );
}
