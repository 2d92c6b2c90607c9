import { TICKET_SUBJECTS, type TicketState } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { TicketThread } from '../../components/ticket-thread.js';
import { Alert, Card, Field, Loading, Page, Select } from '../../components/ui.js';
import { useFormat } from '../../format.js';
import { errorText, useResource } from '../../hooks.js';
import { Link, navigate } from '../../router.js';

/** A ticket's state as a badge: styled by the server's word (`badge-open`), read in the reader's language. */
function TicketStateBadge(props: { state: TicketState }) {
  const { t } = useTranslation('support');
  return <span className={`badge badge-${props.state}`}>{t(`state.${props.state}`)}</span>;
}

export function TicketsPage() {
  const { t } = useTranslation('support');
  const format = useFormat();
  const { data, error } = useResource('/tickets');
  const [subject, setSubject] = useState<string>('Order');
  const [message, setMessage] = useState('');
  const [orders, setOrders] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      const body = { subject: subject as (typeof TICKET_SUBJECTS)[number], message };
      const created = await api.post('/tickets', orders.trim() === '' ? body : { ...body, orders });
      navigate(`/tickets/${created.id}`);
    } catch (caught) {
      setFailure(errorText(caught));
    }
  };
  return (
    <Page title={t('title')}>
      <Card title={t('new.title')}>
        {failure !== null && <Alert kind="error">{failure}</Alert>}
        <form onSubmit={(event) => void submit(event)} aria-label={t('new.title')}>
          <Select
            label={t('new.subject')}
            value={subject}
            onChange={setSubject}
            options={TICKET_SUBJECTS.map((value) => ({ value, label: t(`subject.${value}`) }))}
          />
          <Field
            label={t('new.orders')}
            value={orders}
            onChange={setOrders}
            placeholder="12,15"
            hint={t('new.ordersHint')}
          />
          <Field label={t('new.message')} value={message} onChange={setMessage} multiline required />
          <button type="submit" className="primary">
            {t('new.send')}
          </button>
        </form>
      </Card>
      <Card title={t('list.title')}>
        {data === null ? (
          <Loading error={error} />
        ) : data.tickets.length === 0 ? (
          <p className="muted">{t('list.empty')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('list.ticket')}</th>
                <th scope="col">{t('list.subject')}</th>
                <th scope="col">{t('list.state')}</th>
                <th scope="col">{t('list.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {data.tickets.map((ticket) => (
                <tr key={ticket.id}>
                  <td data-label={t('list.ticket')}>
                    <Link href={`/tickets/${ticket.id}`}>#{ticket.id}</Link>
                    {ticket.unread > 0 && (
                      <span className="badge badge-unread">
                        {' '}
                        {t('list.unread', { count: ticket.unread, n: format.number(ticket.unread) })}
                      </span>
                    )}
                  </td>
                  <td data-label={t('list.subject')}>{t(`subject.${ticket.subject}`)}</td>
                  <td data-label={t('list.state')}>
                    <TicketStateBadge state={ticket.state} />
                  </td>
                  <td data-label={t('list.updated')}>{format.dateTime(ticket.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </Page>
  );
}

export function TicketPage(props: { id: number }) {
  const { t } = useTranslation('support');
  const { data, error, reload } = useResource(`/tickets/${props.id}`);
  const send = async (message: string) => {
    await api.post(`/tickets/${props.id}/messages`, { message });
    reload();
  };
  return (
    <Page
      title={t('ticket.title', { id: props.id })}
      actions={<Link href="/tickets">{t('ticket.all')}</Link>}
    >
      {data === null ? (
        <Loading error={error} />
      ) : (
        <Card>
          <p>
            {t(`subject.${data.ticket.subject}`)} · <TicketStateBadge state={data.ticket.state} />
            {data.orders.length > 0 && (
              <> · {t('ticket.orders', { ids: data.orders.map((id) => `#${id}`).join(', ') })}</>
            )}
          </p>
          <TicketThread
            messages={data.messages}
            form={{ name: t('ticket.reply'), label: t('ticket.yourReply'), button: t('ticket.send') }}
            send={send}
          />
        </Card>
      )}
    </Page>
  );
}
