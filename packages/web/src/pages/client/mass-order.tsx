import type { MassOrderLine } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { Alert, Card, Field, Page } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { useSession } from '../../session.js';

export function MassOrderPage() {
  const session = useSession();
  const [text, setText] = useState('');
  const [lines, setLines] = useState<readonly MassOrderLine[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post('/orders/mass', { orders: text });
      setLines(answer.lines);
      await session.refresh();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const placed = lines?.filter((l) => l.order !== null).length ?? 0;
  return (
    <Page title="Mass order">
      <form className="card" onSubmit={(event) => void submit(event)}>
        <Field
          label="Orders (one per line: service|link|quantity)"
          value={text}
          onChange={setText}
          multiline
          required
          placeholder={'1|https://instagram.com/example|1000\n2|https://youtube.com/watch?v=xyz|500'}
          hint="Each line is placed on its own; a bad line is reported and the others still go through. Up to 100 lines."
        />
        {error !== null && <Alert kind="error">{error}</Alert>}
        <button type="submit" className="primary" disabled={busy}>
          Place orders
        </button>
      </form>
      {lines !== null && (
        <Card title={`Results: ${placed} placed, ${lines.length - placed} refused`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Order</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.line} className={line.error === null ? 'ok-row' : 'error-row'}>
                  <td data-label="Line">
                    {line.line}: <code>{line.text}</code>
                  </td>
                  <td data-label="Order">{line.order === null ? '—' : `#${line.order}`}</td>
                  <td data-label="Result">{line.error ?? 'Placed'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </Page>
  );
}
