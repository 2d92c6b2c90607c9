import { TICKET_SUBJECTS } from '@smmkit/contract';
import { type FormEvent, useState } from 'react';
import { api } from '../../api.js';
import { TicketThread } from '../../components/ticket-thread.js';
import { Alert, Card, Field, Loading, Page, Select, StatusBadge, date } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { Link, navigate } from '../../router.js';

export function TicketsPage() {
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
    <Page title="Tickets">
      <Card title="New ticket">
        {failure !== null && <Alert kind="error">{failure}</Alert>}
        <form onSubmit={(event) => void submit(event)} aria-label="New ticket">
          <Select
            label="Subject"
            value={subject}
            onChange={setSubject}
            options={TICKET_SUBJECTS.map((value) => ({ value, label: value }))}
          />
          <Field
            label="Order ids"
            value={orders}
            onChange={setOrders}
            placeholder="12,15"
            hint="Optional: the orders this is about, separated by commas."
          />
          <Field label="Message" value={message} onChange={setMessage} multiline required />
          <button type="submit" className="primary">
            Send
          </button>
        </form>
      </Card>
      <Card title="Your tickets">
        {data === null ? (
          <Loading error={error} />
        ) : data.tickets.length === 0 ? (
          <p className="muted">No tickets yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Subject</th>
                <th scope="col">State</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {data.tickets.map((ticket) => (
                <tr key={ticket.id}>
                  <td data-label="Ticket">
                    <Link href={`/tickets/${ticket.id}`}>#{ticket.id}</Link>
                    {ticket.unread > 0 && <span className="badge badge-unread"> {ticket.unread} new</span>}
                  </td>
                  <td data-label="Subject">{ticket.subject}</td>
                  <td data-label="State">
                    <StatusBadge status={ticket.state} />
                  </td>
                  <td data-label="Updated">{date(ticket.updatedAt)}</td>
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
  const { data, error, reload } = useResource(`/tickets/${props.id}`);
  const send = async (message: string) => {
    await api.post(`/tickets/${props.id}/messages`, { message });
    reload();
  };
  return (
    <Page title={`Ticket #${props.id}`} actions={<Link href="/tickets">All tickets</Link>}>
      {data === null ? (
        <Loading error={error} />
      ) : (
        <Card>
          <p>
            {data.ticket.subject} · <StatusBadge status={data.ticket.state} />
            {data.orders.length > 0 && <> · orders {data.orders.map((id) => `#${id}`).join(', ')}</>}
          </p>
          <TicketThread
            messages={data.messages}
            form={{ name: 'Reply', label: 'Your reply', button: 'Send reply' }}
            send={send}
          />
        </Card>
      )}
    </Page>
  );
}
