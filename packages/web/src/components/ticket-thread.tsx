import type { TicketMessage } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format.js';
import { errorText } from '../hooks.js';
import { Alert, Field } from './ui.js';

/**
 * A ticket's conversation, as the customer and the admin both see it: the messages as text (never
 * HTML: `ticket-message` keeps the author's line breaks), then the form that adds one.
 */
export function TicketThread(props: {
  messages: readonly TicketMessage[];
  /** The form's name, its field's label and its button: "Reply" / "Your reply" / "Send reply". */
  form: { name: string; label: string; button: string };
  /** Sends a message; the field is emptied when it resolves, a failure is shown under the thread. */
  send: (message: string) => Promise<unknown>;
}) {
  const { t } = useTranslation('support');
  const format = useFormat();
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      await props.send(message);
      setMessage('');
    } catch (caught) {
      setFailure(errorText(caught));
    }
  };
  return (
    <>
      <ol className="ticket-thread">
        {props.messages.map((entry) => (
          <li key={entry.id} className={entry.fromStaff ? 'from-staff' : 'from-customer'}>
            <p className="muted small">
              {entry.fromStaff ? t('thread.staff', { author: entry.author }) : entry.author} ·{' '}
              {format.dateTime(entry.createdAt)}
            </p>
            <p className="ticket-message">{entry.message}</p>
          </li>
        ))}
      </ol>
      {failure !== null && <Alert kind="error">{failure}</Alert>}
      <form onSubmit={(event) => void submit(event)} aria-label={props.form.name}>
        <Field label={props.form.label} value={message} onChange={setMessage} multiline required />
        <button type="submit" className="primary">
          {props.form.button}
        </button>
      </form>
    </>
  );
}
