import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Field, Page } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { useSession } from '../../session.js';

export function AdminSettingsPage() {
  const session = useSession();
  const [panelName, setPanelName] = useState(session.panel.panelName);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      await api.put('/admin/settings', { panelName });
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
        <dl className="facts">
          <dt>Currency</dt>
          <dd>
            <strong>{session.panel.currency}</strong>
            <span className="muted small block">
              Balances, prices and API answers are all in this currency. It is part of the server's
              configuration (see the README, "Configuration"), so the web panel and the API can never
              disagree.
            </span>
          </dd>
        </dl>
        <button type="submit" className="primary">
          Save settings
        </button>
      </form>
    </Page>
  );
}
