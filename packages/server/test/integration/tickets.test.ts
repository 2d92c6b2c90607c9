import { TICKET_SUBJECTS as CONTRACT_SUBJECTS } from '@smmkit/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOrders } from '../../src/app/dispatch/dispatch-orders.js';
import { forwardCancels } from '../../src/app/dispatch/forward-cancels.js';
import type { ProviderGateway } from '../../src/app/dispatch/provider-gateway.js';
import { smtpMailer } from '../../src/app/email/mailer.js';
import { sendDueEmails } from '../../src/app/email/send-due-emails.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { addProvider } from '../../src/app/providers/add-provider.js';
import { importProviderServices } from '../../src/app/providers/import-provider-services.js';
import { createUser } from '../../src/app/users/create-user.js';
import { TICKET_SUBJECTS } from '../../src/domain/tickets.js';
import { sql } from '../../src/store/database.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

const selectProviderOrder = sql('SELECT provider_order_id FROM orders WHERE id = ?');
const countRefills = sql('SELECT COUNT(*) AS n FROM refills WHERE order_id = ?');

describe('support tickets', () => {
  let provider: TestPanel;
  let panel: TestPanel;
  let upstreamAccount: TestUser;
  let gateway: ProviderGateway;
  let providerService: number;
  let manualService: number;
  const smtp = new SmtpTestServer();

  beforeAll(async () => {
    await smtp.start();
    provider = await TestPanel.start();
    panel = await TestPanel.start({
      mail: { enabled: true, publicUrl: 'https://panel.example', adminEmail: 'support@panel.example' },
    });
    gateway = { log: { warn: () => {}, error: () => {} }, timeoutMs: 5_000, syncIntervalMs: 30_000 };
    await provider.createService({ name: 'Followers', rate: '0.90', min: 10, max: 10_000, cancel: true });
    upstreamAccount = await provider.customer('50');
    const added = await addProvider(panel.ctx, {
      name: 'upstream',
      url: provider.apiUrl,
      apiKey: upstreamAccount.apiKey,
      policy: { honoursRequestId: true, onRefusal: 'cancel' },
    });
    if (!added.ok) throw new Error(JSON.stringify(added.failure));
    const report = await importProviderServices(panel.ctx, {
      providerId: added.value.id,
      markup: { percentHundredths: 2500n, fixed: 0n },
    });
    if (!report.ok) throw new Error(JSON.stringify(report.failure));
    providerService = report.value.created[0]!.service;
    manualService = await panel.createService({ name: 'Manual likes', refill: true, refillDays: 30 });
  });
  afterAll(async () => {
    await Promise.all([panel.close(), provider.close()]);
    await smtp.stop();
  });

  let counter = 0;
  async function customer() {
    const username = `ticketer${++counter}_${process.pid}`;
    const password = `pw-${username}-secret`;
    const created = await createUser(panel.ctx, {
      username,
      password,
      role: 'customer',
      email: `${username}@mail.example`,
    });
    if (!created.ok) throw new Error(created.failure.code);
    const user = {
      id: created.value.id,
      username,
      apiKey: created.value.apiKey,
      email: `${username}@mail.example`,
    };
    await panel.fund(user, '50');
    const web = new WebClient(panel.baseUrl);
    await web.login(username, password);
    return { ...user, web };
  }
  async function order(apiKey: string, service: number, link: string): Promise<number> {
    const answer = await panel.api({ key: apiKey, action: 'add', service, link, quantity: 100 });
    expect(answer.json, answer.text).toHaveProperty('order');
    return answer.json.order as number;
  }
  async function deliver(): Promise<void> {
    const mailer = smtpMailer(smtp.url, 'noreply@panel.example');
    await sendDueEmails(panel.ctx, mailer);
    mailer.close();
  }

  it('names the subjects exactly as the issue writes them, in the contract too', () => {
    expect(TICKET_SUBJECTS).toEqual(['Order', 'Refill', 'Cancel', 'Speed-up', 'Payment', 'API', 'Other']);
    expect(CONTRACT_SUBJECTS).toEqual(TICKET_SUBJECTS);
  });

  it('opens a ticket on own orders only, refusing another customer’s order as if it did not exist', async () => {
    const alice = await customer();
    const bob = await customer();
    const own = await order(alice.apiKey, manualService, 'https://x.example/a1');
    const others = await order(bob.apiKey, manualService, 'https://x.example/b1');
    const refused = await alice.web.post('/tickets', {
      subject: 'Order',
      message: 'where?',
      orders: `${own},${others}`,
    });
    const missing = await alice.web.post('/tickets', {
      subject: 'Order',
      message: 'where?',
      orders: '99999999',
    });
    expect(refused.status).toBe(404);
    expect(refused.json).toEqual(missing.json);
    expect(refused.json).toEqual({ error: 'Incorrect order ID', code: 'INCORRECT_ORDER_ID' });
    expect((await alice.web.post('/tickets', { subject: 'Refund', message: 'x' })).status).toBe(400);
    expect((await alice.web.post('/tickets', { subject: 'Order', message: '   ' })).json.error).toBe(
      'Invalid message: 1-5000 characters',
    );
    expect((await alice.web.get('/tickets')).json.tickets).toEqual([]);

    const opened = await alice.web.post('/tickets', {
      subject: 'Order',
      message: 'Where is it? <b>now</b>',
      orders: ` ${own} `,
    });
    expect(opened.status).toBe(200);
    const id = opened.json.id as number;
    const thread = await alice.web.get(`/tickets/${id}`);
    expect(thread.json).toMatchObject({
      ticket: { id, subject: 'Order', state: 'open', unread: 0, username: alice.username },
      messages: [{ fromStaff: false, author: alice.username, message: 'Where is it? <b>now</b>' }],
      orders: [own],
    });
    // Another customer's ticket is not found, to read or to write on.
    expect((await bob.web.get(`/tickets/${id}`)).status).toBe(404);
    expect((await bob.web.post(`/tickets/${id}/messages`, { message: 'hi' })).status).toBe(404);
    expect((await bob.web.get('/tickets')).json.tickets).toEqual([]);
    // Customers have no inbox.
    expect((await alice.web.get('/admin/tickets')).status).toBe(403);

    await deliver();
    const [notice] = smtp.to('support@panel.example').filter((email) => email.decoded.includes(`#${id}`));
    expect(notice!.decoded).toContain(`https://panel.example/admin/tickets/${id}`);
    expect(notice!.decoded).toContain('Where is it? &lt;b&gt;now&lt;/b&gt;');
  });

  it('moves through open, answered, customer-replied and closed, with unread counts on both sides', async () => {
    const alice = await customer();
    const support = await webUser(panel, 'support');
    const manager = await webUser(panel, 'manager');
    const id = (await alice.web.post('/tickets', { subject: 'Speed-up', message: 'faster please' })).json
      .id as number;

    const inbox = await support.web.get('/admin/tickets?state=open&subject=Speed-up');
    expect(inbox.json.tickets.find((t: { id: number }) => t.id === id)).toMatchObject({
      state: 'open',
      unread: 1,
    });
    expect(
      (await support.web.get('/admin/tickets?subject=Payment')).json.tickets.some(
        (t: { id: number }) => t.id === id,
      ),
    ).toBe(false);
    const opened = await support.web.get(`/admin/tickets/${id}`);
    expect(opened.json).toMatchObject({ ticket: { state: 'open', unread: 0 }, action: null, orders: [] });

    const answered = await support.web.post(`/admin/tickets/${id}/messages`, { message: 'On it.' });
    expect(answered.json.ticket.state).toBe('answered');
    const list = await alice.web.get('/tickets');
    expect(list.json.unread).toBe(1);
    expect(list.json.tickets[0]).toMatchObject({ id, state: 'answered', unread: 1 });
    const seen = await alice.web.get(`/tickets/${id}`);
    expect(
      seen.json.messages.map((m: { fromStaff: boolean; message: string }) => [m.fromStaff, m.message]),
    ).toEqual([
      [false, 'faster please'],
      [true, 'On it.'],
    ]);
    expect((await alice.web.get('/tickets')).json.unread).toBe(0);

    const replied = await alice.web.post(`/tickets/${id}/messages`, { message: 'thanks' });
    expect(replied.json.ticket.state).toBe('customer-replied');
    expect((await support.web.get(`/admin/tickets?state=customer-replied`)).json.tickets[0]).toMatchObject({
      id,
      unread: 1,
    });

    const closed = await manager.web.post(`/admin/tickets/${id}/close`);
    expect(closed.json.ticket.state).toBe('closed');
    const reopened = await alice.web.post(`/tickets/${id}/messages`, { message: 'one more thing' });
    expect(reopened.json.ticket.state).toBe('customer-replied');

    // The customer is emailed the answer, with the link to the ticket.
    await deliver();
    const [reply] = smtp.to(alice.email).filter((email) => email.decoded.includes(`Ticket #${id}`));
    expect(reply!.decoded).toContain('On it.');
    expect(reply!.decoded).toContain(`https://panel.example/tickets/${id}`);
  });

  it('refuses the inbox to staff without the permission, and answering to those who may only read', async () => {
    // Every staff role holds tickets.read and tickets.reply today; a customer holds neither.
    const alice = await customer();
    const id = (await alice.web.post('/tickets', { subject: 'API', message: 'key?' })).json.id as number;
    expect((await alice.web.post(`/admin/tickets/${id}/messages`, { message: 'x' })).status).toBe(403);
    expect((await alice.web.post(`/admin/tickets/${id}/close`)).status).toBe(403);
    expect((await new WebClient(panel.baseUrl).get('/admin/tickets')).status).toBe(401);
  });

  it('one click on a Refill ticket requests refills through the refill use case', async () => {
    const alice = await customer();
    const owner = await webUser(panel, 'owner');
    const done = await order(alice.apiKey, manualService, 'https://x.example/refill1');
    const notDone = await order(alice.apiKey, manualService, 'https://x.example/refill2');
    expect((await updateOrderStatus(panel.ctx, { orderId: done, status: 'Completed' })).ok).toBe(true);
    const id = (
      await alice.web.post('/tickets', {
        subject: 'Refill',
        message: 'dropped',
        orders: `${done},${notDone}`,
      })
    ).json.id as number;
    const ticket = await owner.web.get(`/admin/tickets/${id}`);
    expect(ticket.json.action).toBe('refill');
    expect(ticket.json.orders).toMatchObject([
      { id: done, status: 'completed', provider: null, providerOrderId: null, service: 'Manual likes' },
      { id: notDone, provider: null },
    ]);
    const acted = await owner.web.post(`/admin/tickets/${id}/act`);
    expect(acted.json.results).toEqual([
      { order: done, ok: true, message: expect.stringMatching(/^Refill \d+ requested$/) },
      { order: notDone, ok: false, message: 'The order is not completed' },
    ]);
    expect(Number((await panel.db.get<{ n: bigint }>(countRefills, [done]))!.n)).toBe(1);
    expect(Number((await panel.db.get<{ n: bigint }>(countRefills, [notDone]))!.n)).toBe(0);
    // Other subjects offer nothing.
    const other = (await alice.web.post('/tickets', { subject: 'Order', message: 'x', orders: String(done) }))
      .json.id as number;
    expect((await owner.web.post(`/admin/tickets/${other}/act`)).status).toBe(400);
  });

  it('one click on a Cancel ticket cancels through the cancel use case, forwarding a provider-backed order', async () => {
    const alice = await customer();
    const support = await webUser(panel, 'support');
    const id0 = await order(alice.apiKey, providerService, 'https://x.example/cancel1');
    await dispatchOrders(panel.ctx, gateway);
    const upstreamId = (await panel.db.get<{ provider_order_id: string }>(selectProviderOrder, [id0]))!
      .provider_order_id;
    expect(upstreamId).not.toBeNull();
    const id = (
      await alice.web.post('/tickets', { subject: 'Cancel', message: 'cancel it', orders: String(id0) })
    ).json.id as number;
    const ticket = await support.web.get(`/admin/tickets/${id}`);
    expect(ticket.json.orders).toMatchObject([
      { id: id0, provider: 'upstream', providerOrderId: upstreamId },
    ]);
    expect(ticket.json.action).toBe('cancel');
    const acted = await support.web.post(`/admin/tickets/${id}/act`);
    expect(acted.json.results).toEqual([{ order: id0, ok: true, message: 'Cancel requested' }]);
    expect(await forwardCancels(panel.ctx, gateway)).toBe(1);
    const upstream = await provider.api({ key: upstreamAccount.apiKey, action: 'status', order: upstreamId });
    expect(upstream.json).toMatchObject({ status: 'Canceled' });
  });
});
