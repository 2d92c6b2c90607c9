import type { MassOrderLine } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { Alert, Card, Field, Page } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { useSession } from '../../session.js';

export function MassOrderPage() {
  const session = useSession();
  const { t } = useTranslation('ordering');
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
    <Page title={t('mass.title')}>
      <form className="card" onSubmit={(event) => void submit(event)}>
        <Field
          label={t('mass.label')}
          value={text}
          onChange={setText}
          multiline
          required
          placeholder={'1|https://instagram.com/example|1000\n2|https://youtube.com/watch?v=xyz|500'}
          hint={t('mass.hint')}
        />
        {error !== null && <Alert kind="error">{error}</Alert>}
        <button type="submit" className="primary" disabled={busy}>
          {t('mass.submit')}
        </button>
      </form>
      {lines !== null && (
        <Card
          title={t('mass.results', {
            placed: t('mass.placedCount', { count: placed }),
            refused: t('mass.refusedCount', { count: lines.length - placed }),
          })}
        >
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('mass.line')}</th>
                <th scope="col">{t('mass.order')}</th>
                <th scope="col">{t('mass.result')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.line} className={line.error === null ? 'ok-row' : 'error-row'}>
                  <td data-label={t('mass.line')}>
                    {line.line}: <code>{line.text}</code>
                  </td>
                  <td data-label={t('mass.order')}>{line.order === null ? '—' : `#${line.order}`}</td>
                  <td data-label={t('mass.result')}>{line.error ?? t('mass.placed')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </Page>
  );
}
