import { TICKET_STATES, TICKET_SUBJECTS, type TicketActionResults } from '@smmkit/contract';
import { useState } from 'react';
import { api } from '../../api.js';
import { TicketThread } from '../../components/ticket-thread.js';
import { Alert, Card, Loading, Page, Select, StatusBadge, date } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';

export function AdminTicketsPage() {
  const [state, setState] = useState('');
  const [subject, setSubject] = useState('');
  const query = new URLSearchParams();
  if (state !== '') query.set('state', state);
  if (subject !== '') query.set('subject', subject);
  const { data, error } = useResource(`/admin/tickets?${query.toString()}`);
  const { emailEnabled } = useSession();
  return (
    <Page title="Tickets">
      {!emailEnabled && (
        <Alert kind="info">
          Email is off (SMMKIT_SMTP_URL is not set): customers are not emailed your answers.
        </Alert>
      )}
      <Card>
        <div className="grid-2">
          <Select
            label="State"
            value={state}
            onChange={setState}
            options={[
              { value: '', label: 'Any' },
              ...TICKET_STATES.map((value) => ({ value, label: value })),
            ]}
          />
          <Select
            label="Subject"
            value={subject}
            onChange={setSubject}
            options={[
              { value: '', label: 'Any' },
              ...TICKET_SUBJECTS.map((value) => ({ value, label: value })),
            ]}
          />
        </div>
        {data === null ? (
          <Loading error={error} />
        ) : data.tickets.length === 0 ? (
          <p className="muted">No tickets.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Customer</th>
                <th scope="col">Subject</th>
                <th scope="col">State</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {data.tickets.map((ticket) => (
                <tr key={ticket.id}>
                  <td data-label="Ticket">
                    <Link href={`/admin/tickets/${ticket.id}`}>#{ticket.id}</Link>
                    {ticket.unread > 0 && <span className="badge badge-unread"> {ticket.unread} new</span>}
                  </td>
                  <td data-label="Customer">{ticket.username}</td>
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

export function AdminTicketPage(props: { id: number }) {
  const { data, error, reload } = useResource(`/admin/tickets/${props.id}`);
  const [failure, setFailure] = useState<string | null>(null);
  const [results, setResults] = useState<TicketActionResults['results'] | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setFailure(null);
    try {
      await action();
      reload();
    } catch (caught) {
      setFailure(errorText(caught));
    }
  };
  const answer = async (message: string) => {
    await api.post(`/admin/tickets/${props.id}/messages`, { message });
    reload();
  };
  return (
    <Page title={`Ticket #${props.id}`} actions={<Link href="/admin/tickets">Inbox</Link>}>
      {data === null ? (
        <Loading error={error} />
      ) : (
        <Card>
          <p>
            {data.ticket.username} · {data.ticket.subject} · <StatusBadge status={data.ticket.state} />
          </p>
          {data.orders.length > 0 && (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Service</th>
                  <th scope="col">Status</th>
                  <th scope="col">Provider</th>
                  <th scope="col">Provider order</th>
                </tr>
              </thead>
              <tbody>
                {data.orders.map((order) => (
                  <tr key={order.id}>
                    <td data-label="Order">
                      #{order.id} <span className="muted small">{order.link}</span>
                    </td>
                    <td data-label="Service">{order.service}</td>
                    <td data-label="Status">{order.status}</td>
                    <td data-label="Provider">{order.provider ?? 'manual'}</td>
                    <td data-label="Provider order">{order.providerOrderId ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.action !== null && (
            <button
              type="button"
              onClick={() =>
                void run(async () => setResults((await api.post(`/admin/tickets/${props.id}/act`)).results))
              }
            >
              {data.action === 'refill' ? 'Refill these orders' : 'Cancel these orders'}
            </button>
          )}
          {results !== null && (
            <ul className="small">
              {results.map((result) => (
                <li key={result.order}>
                  #{result.order}: {result.message}
                </li>
              ))}
            </ul>
          )}
          {failure !== null && <Alert kind="error">{failure}</Alert>}
          <TicketThread
            messages={data.messages}
            form={{ name: 'Answer', label: 'Your answer', button: 'Send answer' }}
            send={answer}
          />
          {data.ticket.state !== 'closed' && (
            <button
              type="button"
              onClick={() => void run(() => api.post(`/admin/tickets/${props.id}/close`))}
            >
              Close ticket
            </button>
          )}
        </Card>
      )}
    </Page>
  );
}
