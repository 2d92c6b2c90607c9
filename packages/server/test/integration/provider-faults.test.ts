import { afterAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/app/catalog/create-service.js';
import type { Context } from '../../src/app/context.js';
import { dispatchOrders, providerRequestId } from '../../src/app/dispatch/dispatch-orders.js';
import { forwardCancels } from '../../src/app/dispatch/forward-cancels.js';
import { forwardRefills, syncRefills } from '../../src/app/dispatch/forward-refills.js';
import type { ProviderGateway } from '../../src/app/dispatch/provider-gateway.js';
import { syncOrders } from '../../src/app/dispatch/sync-orders.js';
import { createDueRuns } from '../../src/app/dripfeed/create-due-runs.js';
import type { Database, Queryable } from '../../src/store/database.js';
import { sql } from '../../src/store/database.js';
import { resolveReview } from '../../src/app/dispatch/resolve-review.js';
import { claimQueuedOrders } from '../../src/store/dispatch-claims.js';
import { claimDueSync } from '../../src/store/order-sync.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { panelInstanceId } from '../../src/store/panel-identity.js';
import { insertProvider } from '../../src/store/providers.js';
import { FAULTS, type Fault, FaultProvider } from '../support/fault-provider.js';
import { runCli } from '../support/run-cli.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

/**
 * The provider call timeout where a test makes the provider hang: short, so a hang costs little.
 * Elsewhere calls get a generous timeout, so that a slow machine never turns an answer into a
 * timeout (which is safe, but not what those tests are about).
 */
const HANG_TIMEOUT_MS = 1000;
const TIMEOUT_MS = 10_000;
const SYNC_INTERVAL_MS = 60_000;
const MINUTE = 60_000;

interface OrderState {
  id: bigint;
  kind: string;
  status: string;
  quantity: bigint;
  runs: bigint | null;
  charge: bigint;
  refunded: bigint;
  remains: bigint;
  start_count: bigint;
  dispatch_state: string;
  dispatch_error: string | null;
  dispatch_attempts: bigint;
  provider_order_id: string | null;
  provider_status: string | null;
  provider_charge: bigint | null;
  provider_currency: string | null;
  next_sync_at: bigint | null;
}

const selectOrder = sql(
  `SELECT id, kind, status, quantity, runs, charge, refunded, remains, start_count, dispatch_state, dispatch_error,
     dispatch_attempts, provider_order_id, provider_status, provider_charge, provider_currency, next_sync_at
   FROM orders WHERE id = ?`,
);
const selectRefunds = sql(
  `SELECT entry_key, amount FROM ledger_entries WHERE order_id = ? AND kind = 'refund' ORDER BY id`,
);
const selectProviderPause = sql('SELECT paused_until, last_error FROM providers WHERE id = ?');
const selectCancelRequest = sql(
  'SELECT status, dispatch_state, dispatch_error FROM cancel_requests WHERE order_id = ?',
);
const selectRefill = sql(
  'SELECT status, dispatch_state, dispatch_error, provider_refill_id FROM refills WHERE order_id = ?',
);
const analyzeOrders = sql('ANALYZE orders');
const forceSyncDue = sql('UPDATE orders SET next_sync_at = ? WHERE id = ?');
const selectRuns = sql('SELECT id FROM orders WHERE parent_id = ? ORDER BY run_number');

interface LogLine {
  level: 'warn' | 'error';
  details: object;
  message: string;
}

/** One panel per test: dispatch and sync work on every due row, so tests must not share rows. */
const panels: TestPanel[] = [];
const providers: FaultProvider[] = [];
const extraDbs: Database[] = [];
afterAll(async () => {
  for (const db of extraDbs) await db.close();
  for (const provider of providers) await provider.close();
  for (const panel of panels) await panel.close();
});

interface Setup {
  panel: TestPanel;
  ctx: Context;
  fault: FaultProvider;
  providerId: number;
  serviceId: number;
  customer: TestUser;
  gateway: ProviderGateway;
  log: LogLine[];
  instance: string;
  /** Places an order through API v2 and returns its id. */
  place(params?: Record<string, string | number>): Promise<number>;
  order(id: number): Promise<OrderState>;
  refunds(id: number): Promise<{ entry_key: string; amount: bigint }[]>;
  dispatch(ctx?: Context): ReturnType<typeof dispatchOrders>;
  sync(ctx?: Context): ReturnType<typeof syncOrders>;
  /** The provider order created for our order (exactly one, or the test fails). */
  providerOrderOf(id: number): number;
}

let providerCounter = 0;

async function setup(
  options: {
    honoursRequestId?: boolean;
    onRefusal?: 'cancel' | 'review';
    url?: string;
    timeoutMs?: number;
    service?: { cancel?: boolean; refill?: boolean; dripfeed?: boolean; rate?: string };
  } = {},
): Promise<Setup> {
  const panel = await TestPanel.start();
  panels.push(panel);
  const fault = await FaultProvider.start({ honoursRequestId: options.honoursRequestId ?? false });
  providers.push(fault);
  const ctx = panel.ctx;
  const providerId = (await panel.db.transaction((tx) =>
    insertProvider(tx, {
      name: `fault-${++providerCounter}`,
      url: options.url ?? fault.url,
      apiKey: fault.apiKey,
      currency: 'USD',
      balance: null,
      policy: {
        honoursRequestId: options.honoursRequestId ?? false,
        onRefusal: options.onRefusal ?? 'cancel',
      },
      now: panel.clock.now(),
    }),
  ))!;
  const created = await createService(
    ctx,
    {
      name: 'Followers',
      type: 'Default',
      category: 'Instagram',
      rate: options.service?.rate ?? '1.23457',
      min: 10,
      max: 10_000,
      refill: options.service?.refill ?? false,
      refillDays: 30,
      cancel: options.service?.cancel ?? false,
      dripfeed: options.service?.dripfeed ?? false,
      allowDuplicateLinks: true,
      description: '',
      enabled: true,
    },
    { providerId, providerServiceId: '1' },
  );
  if (!created.ok) throw new Error(JSON.stringify(created.failure));
  const serviceId = created.value.id;
  const customer = await panel.customer('1000');
  const log: LogLine[] = [];
  const gateway: ProviderGateway = {
    log: {
      warn: (details, message) => log.push({ level: 'warn', details, message }),
      error: (details, message) => log.push({ level: 'error', details, message }),
    },
    timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
    syncIntervalMs: SYNC_INTERVAL_MS,
  };
  const instance = await panelInstanceId(panel.db, panel.clock.now());
  const s: Setup = {
    panel,
    ctx,
    fault,
    providerId,
    serviceId,
    customer,
    gateway,
    log,
    instance,
    async place(params = {}) {
      const answer = await panel.api({
        key: customer.apiKey,
        action: 'add',
        service: serviceId,
        link: 'https://instagram.com/fault',
        quantity: 777,
        ...params,
      });
      expect(answer.json, answer.text).toHaveProperty('order');
      return Number(answer.json.order);
    },
    async order(id) {
      return (await panel.db.get<OrderState>(selectOrder, [id]))!;
    },
    refunds: (id) => panel.db.all(selectRefunds, [id]),
    dispatch: (c = ctx) => dispatchOrders(c, gateway),
    sync: (c = ctx) => syncOrders(c, gateway),
    providerOrderOf(id) {
      const created = fault.createdForOrder(id);
      expect(created, `provider orders for our order ${id}`).toHaveLength(1);
      return created[0]!.id;
    },
  };
  return s;
}

/** A second connection to the same database, as a second worker process would have. */
function secondWorker(s: Setup): Context {
  const db = openDatabase(parseDatabaseUrl(s.panel.database.url));
  extraDbs.push(db);
  return { ...s.ctx, db };
}

/**
 * The invariants every scenario ends with: our order was created at most once at the provider
 * (every resend carried the same request_id), and it is accounted for — sent and linked to that
 * provider order, in review with a reason, or canceled with a reason and refunded in full, once.
 */
async function expectAccountedFor(s: Setup, id: number): Promise<OrderState> {
  const order = await s.order(id);
  const requestId = providerRequestId(s.instance, id);
  const created = s.fault.createdForOrder(id);
  expect(created.length, `order ${id} created at the provider at most once`).toBeLessThanOrEqual(1);
  const calls = s.fault.addCalls.filter((call) => call?.endsWith(`-${id}`));
  expect(new Set(calls), `every add of order ${id} carried its one request_id`).toEqual(
    new Set(calls.length === 0 ? [] : [requestId]),
  );
  switch (order.dispatch_state) {
    case 'sent':
      expect(created).toHaveLength(1);
      expect(order.provider_order_id).toBe(String(created[0]!.id));
      break;
    case 'review':
      expect(order.dispatch_error).toMatch(/\S/);
      break;
    case 'refused':
      expect(order.dispatch_error).toMatch(/\S/);
      expect(order.status).toBe('canceled');
      expect(order.refunded).toBe(order.charge);
      expect(await s.refunds(id)).toEqual([{ entry_key: `refund:canceled:${id}`, amount: order.charge }]);
      break;
    default:
      throw new Error(`order ${id} is ${order.dispatch_state}: neither sent, in review nor refused`);
  }
  return order;
}

/** charge × remains / quantity, rounded down: the contract's Partial refund, computed here on its own. */
function partialRefundOf(order: OrderState, remains: number): bigint {
  const total = order.quantity * (order.runs ?? 1n);
  return (order.charge * BigInt(remains)) / total;
}

type Outcome = 'resent' | 'review';

describe('dispatch: faults at add', () => {
  // [name, fault, whether the faulty call created the order]
  const unknownOutcomes: [string, Fault, boolean][] = [
    ['accepted, then no answer within the timeout', FAULTS.hangAfterCreate, true],
    ['connection reset before the order is created', FAULTS.resetBeforeCreate, false],
    ['connection reset after the order is created', FAULTS.resetAfterCreate, true],
    ['a non-JSON 200 after the order is created', FAULTS.nonJsonAfterCreate, true],
    ['HTTP 500 before the order is created', FAULTS.status500Before, false],
    ['HTTP 502 after the order is created', FAULTS.status502After, true],
    ['HTTP 503 after the order is created', FAULTS.status503After, true],
  ];
  const cases = unknownOutcomes.flatMap(([name, fault, created]) =>
    [true, false].map((honours) => ({
      name,
      fault,
      created,
      honours,
      expected: (honours ? 'resent' : 'review') satisfies Outcome,
    })),
  );

  it.each(cases)(
    'unknown outcome — $name — request_id honoured: $honours → $expected, never sent twice',
    async ({ fault, created, honours, expected }) => {
      const s = await setup({ honoursRequestId: honours, timeoutMs: HANG_TIMEOUT_MS });
      const id = await s.place();
      s.fault.inject('add', fault);

      const first = await s.dispatch();
      expect(s.fault.orders.size).toBe(created ? 1 : 0);
      let order = await s.order(id);
      if (expected === 'review') {
        expect(first).toEqual({ sent: 0, requeued: 0, review: 1, refused: 0 });
        expect(order.dispatch_state).toBe('review');
        expect(order.dispatch_error).toContain('outcome unknown');
        expect(order.dispatch_error).toContain(providerRequestId(s.instance, id));
        // Held: later runs never resend it on their own.
        s.panel.clock.advance(60 * MINUTE);
        expect(await s.dispatch()).toEqual({ sent: 0, requeued: 0, review: 0, refused: 0 });
        expect(s.fault.addCalls).toHaveLength(1);
      } else {
        expect(first).toEqual({ sent: 0, requeued: 1, review: 0, refused: 0 });
        // Still `submitting`: the provider may have it. Its lease is the time of the resend.
        expect(order.dispatch_state).toBe('submitting');
        expect(order.dispatch_error).toContain('will resend with the same request_id');
        // Not before its backoff...
        expect(await s.dispatch()).toEqual({ sent: 0, requeued: 0, review: 0, refused: 0 });
        s.panel.clock.advance(MINUTE);
        expect(await s.dispatch()).toEqual({ sent: 1, requeued: 0, review: 0, refused: 0 });
        expect(s.fault.addCalls).toHaveLength(2);
        order = await s.order(id);
        expect(order.dispatch_state).toBe('sent');
      }
      expect(s.fault.orders.size).toBe(expected === 'review' && !created ? 0 : 1);
      await expectAccountedFor(s, id);
      expect((await s.order(id)).refunded).toBe(0n);
    },
  );

  it('a 4xx without an API error and a refused connection never reached the provider: retried with backoff, then review after 12 attempts', async () => {
    const s = await setup();
    const id = await s.place();
    s.fault.inject('add', FAULTS.status404);
    expect(await s.dispatch()).toMatchObject({ requeued: 1 });
    expect((await s.order(id)).dispatch_error).toContain('404');
    s.panel.clock.advance(MINUTE);
    expect(await s.dispatch()).toMatchObject({ sent: 1 });
    await expectAccountedFor(s, id);

    // A provider that is down: nothing listens on its port.
    const gone = await FaultProvider.start();
    const url = gone.url;
    await gone.close();
    const d = await setup({ url, honoursRequestId: false });
    const lost = await d.place();
    for (let attempt = 1; attempt < 12; attempt++) {
      expect(await d.dispatch(), `attempt ${attempt}`).toEqual({
        sent: 0,
        requeued: 1,
        review: 0,
        refused: 0,
      });
      expect((await d.order(lost)).dispatch_state).toBe('queued');
      d.panel.clock.advance(16 * MINUTE);
    }
    expect(await d.dispatch()).toEqual({ sent: 0, requeued: 0, review: 1, refused: 0 });
    const order = await expectAccountedFor(d, lost);
    expect(order.dispatch_attempts).toBe(12n);
    expect(order.dispatch_error).toMatch(/^gave up after 12 attempts: Could not reach the panel/);
  });

  it('"Not enough funds" (or an API key it refuses) requeues the order and pauses the provider; sending resumes after the pause', async () => {
    const s = await setup();
    const first = await s.place();
    s.fault.inject('add', FAULTS.outOfFunds);
    expect(await s.dispatch()).toEqual({ sent: 0, requeued: 1, review: 0, refused: 0 });
    const paused = await s.panel.db.get<{ paused_until: bigint; last_error: string }>(selectProviderPause, [
      s.providerId,
    ]);
    expect(paused?.last_error).toBe('Not enough funds on balance');
    expect(Number(paused?.paused_until)).toBeGreaterThan(s.panel.clock.now());
    expect((await s.order(first)).dispatch_state).toBe('queued');

    // While paused, nothing goes to this provider, not even an order that is due.
    const second = await s.place();
    expect(await s.dispatch()).toEqual({ sent: 0, requeued: 0, review: 0, refused: 0 });
    expect(s.fault.addCalls).toHaveLength(1);

    // Other wordings of the same thing pause it too.
    s.panel.clock.set(Number(paused!.paused_until));
    s.fault.inject('add', { answer: { error: 'Insufficient balance, please top up' } });
    s.fault.inject('add', { answer: { error: 'Insufficient balance, please top up' } });
    expect(await s.dispatch()).toEqual({ sent: 0, requeued: 2, review: 0, refused: 0 });
    expect(s.fault.orders.size).toBe(0);

    // So does a key the provider no longer accepts (the owner's setting, not the orders' fault).
    s.panel.clock.advance(20 * MINUTE);
    s.fault.inject('add', { answer: { error: 'Invalid API key' } }, { answer: { error: 'Invalid API key' } });
    expect(await s.dispatch()).toEqual({ sent: 0, requeued: 2, review: 0, refused: 0 });
    expect((await s.order(first)).status).toBe('pending');

    s.panel.clock.advance(20 * MINUTE);
    expect(await s.dispatch()).toEqual({ sent: 2, requeued: 0, review: 0, refused: 0 });
    for (const id of [first, second]) {
      const order = await expectAccountedFor(s, id);
      expect(order.dispatch_state).toBe('sent');
      expect(order.refunded).toBe(0n);
    }
  });

  it('a refusal cancels and refunds in full (on_refusal=cancel) or holds for review (on_refusal=review)', async () => {
    const c = await setup({ onRefusal: 'cancel' });
    const refusedId = await c.place();
    c.fault.inject('add', FAULTS.refused);
    expect(await c.dispatch()).toEqual({ sent: 0, requeued: 0, review: 0, refused: 1 });
    const refused = await expectAccountedFor(c, refusedId);
    expect(refused).toMatchObject({
      dispatch_state: 'refused',
      status: 'canceled',
      dispatch_error: 'refused by the provider: Incorrect request',
    });
    const shown = await c.panel.api({ key: c.customer.apiKey, action: 'status', order: refusedId });
    expect(shown.json).toMatchObject({ status: 'Canceled', charge: '0.00000' });
    // Nothing more happens to it.
    c.panel.clock.advance(60 * MINUTE);
    expect(await c.dispatch()).toEqual({ sent: 0, requeued: 0, review: 0, refused: 0 });
    expect(await c.refunds(refusedId)).toHaveLength(1);

    const r = await setup({ onRefusal: 'review' });
    const heldId = await r.place();
    r.fault.inject('add', FAULTS.refused);
    expect(await r.dispatch()).toEqual({ sent: 0, requeued: 0, review: 1, refused: 0 });
    const held = await expectAccountedFor(r, heldId);
    expect(held).toMatchObject({
      dispatch_state: 'review',
      status: 'pending',
      refunded: 0n,
      dispatch_error: 'refused by the provider: Incorrect request',
    });
  });

  it('a worker that dies after its claim committed: past the lease, resent with the same request_id (replaying provider) or held for review', async () => {
    for (const honours of [true, false]) {
      const s = await setup({ honoursRequestId: honours });
      const id = await s.place();
      // The dying worker: its claim commits, its add reaches the provider, then it is gone.
      const now = s.panel.clock.now();
      const claimed = await s.panel.db.transaction((tx) =>
        claimQueuedOrders(tx, { now, leaseUntil: now + TIMEOUT_MS * 2 + MINUTE, limit: 16 }),
      );
      expect(claimed).toEqual([id]);
      const requestId = providerRequestId(s.instance, id);
      const body = new URLSearchParams({
        key: s.fault.apiKey,
        action: 'add',
        service: '1',
        link: 'https://instagram.com/fault',
        quantity: '777',
        request_id: requestId,
      });
      await fetch(s.fault.url, { method: 'POST', body });
      expect(s.fault.orders.size).toBe(1);

      // Within the lease nobody touches it.
      expect(await s.dispatch()).toEqual({ sent: 0, requeued: 0, review: 0, refused: 0 });
      expect((await s.order(id)).dispatch_state).toBe('submitting');

      s.panel.clock.advance(TIMEOUT_MS * 2 + MINUTE + 1);
      const after = await s.dispatch();
      if (honours) {
        // Claimed again at once and resent with the same request_id: the provider replays.
        expect(after).toEqual({ sent: 1, requeued: 0, review: 0, refused: 0 });
        expect(s.fault.addCalls).toEqual([requestId, requestId]);
        expect((await s.order(id)).dispatch_state).toBe('sent');
      } else {
        expect(after).toEqual({ sent: 0, requeued: 0, review: 1, refused: 0 });
        expect(s.fault.addCalls).toEqual([requestId]);
        expect((await s.order(id)).dispatch_error).toContain('the worker sending it stopped');
      }
      expect(s.fault.orders.size).toBe(1);
      await expectAccountedFor(s, id);
    }
  });

  it('a customer cancel while an unknown outcome waits for its resend is forwarded, not refunded at once: the provider may have the order', async () => {
    const s = await setup({ honoursRequestId: true, timeoutMs: HANG_TIMEOUT_MS, service: { cancel: true } });
    const id = await s.place();
    s.fault.inject('add', FAULTS.hangAfterCreate);
    expect(await s.dispatch()).toMatchObject({ requeued: 1 });
    // The provider has it, and is delivering it.
    expect(s.fault.orders.size).toBe(1);

    const cancel = await s.panel.api({ key: s.customer.apiKey, action: 'cancel', orders: String(id) });
    expect(cancel.json).toEqual([{ order: id, cancel: 1 }]);
    expect(await s.order(id)).toMatchObject({ status: 'pending', refunded: 0n });
    expect(await s.refunds(id)).toEqual([]);

    // The resend learns the provider's order id (replayed); the cancel goes to the provider.
    s.panel.clock.advance(MINUTE);
    expect(await s.dispatch()).toMatchObject({ sent: 1 });
    const providerOrder = s.providerOrderOf(id);
    expect(await forwardCancels(s.ctx, s.gateway)).toBe(1);
    expect(s.fault.orders.get(providerOrder)?.canceledAsked).toBe(1);
    s.fault.setStatus(providerOrder, { status: 'Canceled' });
    await s.sync();
    const order = await expectAccountedFor(s, id);
    expect(order.status).toBe('canceled');
    expect(await s.refunds(id)).toEqual([{ entry_key: `refund:canceled:${id}`, amount: order.charge }]);
  });

  it("a provider that answers another order's id: the second order goes to review, the run goes on", async () => {
    const s = await setup();
    const first = await s.place();
    expect(await s.dispatch()).toMatchObject({ sent: 1 });
    const taken = s.providerOrderOf(first);
    const second = await s.place();
    const third = await s.place();
    s.fault.injectForRequest(providerRequestId(s.instance, second), { answer: { order: taken } });
    expect(await s.dispatch()).toEqual({ sent: 1, requeued: 0, review: 1, refused: 0 });
    const held = await expectAccountedFor(s, second);
    expect(held.dispatch_state).toBe('review');
    expect(held.dispatch_error).toContain(`order ${taken}`);
    expect(held.dispatch_error).toContain(`order ${first} here`);
    expect((await expectAccountedFor(s, third)).dispatch_state).toBe('sent');
    expect((await s.order(first)).provider_order_id).toBe(String(taken));
  });

  it('linking a provider order written with leading zeros links the id the provider answers about', async () => {
    const s = await setup({ timeoutMs: HANG_TIMEOUT_MS });
    const id = await s.place();
    s.fault.inject('add', FAULTS.hangAfterCreate);
    expect(await s.dispatch()).toMatchObject({ review: 1 });
    const providerOrder = s.providerOrderOf(id);
    const tooLong = await resolveReview(s.ctx, id, { kind: 'link', providerOrderId: '1234567890123456' });
    expect(tooLong.ok).toBe(false);
    const linked = await resolveReview(s.ctx, id, { kind: 'link', providerOrderId: `000${providerOrder}` });
    expect(linked.ok).toBe(true);
    expect((await s.order(id)).provider_order_id).toBe(String(providerOrder));
    s.fault.setStatus(providerOrder, { status: 'Partial', remains: '77' });
    await s.sync();
    const order = await expectAccountedFor(s, id);
    expect(order).toMatchObject({ status: 'partial', remains: 77n });
    expect(order.refunded).toBe(partialRefundOf(order, 77));
  });

  it('two dispatchers on two connections racing over the same queue never send an order twice', async () => {
    const s = await setup();
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(await s.place());
    const other = secondWorker(s);
    const [a, b] = await Promise.all([s.dispatch(), s.dispatch(other)]);
    expect(a.sent + b.sent).toBe(40);
    expect(a.requeued + b.requeued + a.review + b.review + a.refused + b.refused).toBe(0);
    expect(s.fault.addCalls).toHaveLength(40);
    expect(s.fault.orders.size).toBe(40);
    for (const id of ids) expect((await expectAccountedFor(s, id)).dispatch_state).toBe('sent');
  });
});

describe('review through the real CLI', () => {
  it('order review lists held orders with their reason; order resolve --provider-order, --resend and --cancel settle them once', async () => {
    const s = await setup({ honoursRequestId: false, timeoutMs: HANG_TIMEOUT_MS });
    const arrived = await s.place();
    const neverArrived = await s.place();
    const unwanted = await s.place();
    const requestId = (id: number) => providerRequestId(s.instance, id);
    s.fault.injectForRequest(requestId(arrived), FAULTS.hangAfterCreate);
    s.fault.injectForRequest(requestId(neverArrived), FAULTS.resetBeforeCreate);
    s.fault.injectForRequest(requestId(unwanted), FAULTS.status502After);
    expect(await s.dispatch()).toMatchObject({ review: 3 });
    const cli = (...args: string[]) => runCli(args, s.panel.database.url);

    const listed = await cli('order', 'review');
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; reason: string; provider: string });
    expect(rows.map((row) => row.id)).toEqual([arrived, neverArrived, unwanted]);
    for (const row of rows) {
      expect(row.reason).toContain('outcome unknown');
      expect(row.reason).toContain(providerRequestId(s.instance, row.id));
    }

    // The owner finds the first at the provider by its request_id and links it.
    const providerOrder = s.providerOrderOf(arrived);
    const link = await cli('order', 'resolve', String(arrived), '--provider-order', String(providerOrder));
    expect(link.code, link.stderr).toBe(0);
    expect(await s.order(arrived)).toMatchObject({
      dispatch_state: 'sent',
      provider_order_id: String(providerOrder),
    });
    // The same provider order cannot be linked to a second order.
    const twice = await cli('order', 'resolve', String(unwanted), '--provider-order', String(providerOrder));
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`already linked to order ${arrived}`);

    // The second never arrived: resend it.
    expect(s.fault.createdForOrder(neverArrived)).toHaveLength(0);
    const resend = await cli('order', 'resolve', String(neverArrived), '--resend');
    expect(resend.code, resend.stderr).toBe(0);
    // The CLI ran on the real clock: the resend is due from the real now, which the test clock
    // (fixed in the past) must reach before the dispatcher sees it.
    s.panel.clock.set(Math.max(s.panel.clock.now(), Date.now()));
    expect(await s.dispatch()).toEqual({ sent: 1, requeued: 0, review: 0, refused: 0 });
    expect((await s.order(neverArrived)).dispatch_state).toBe('sent');

    // The third is canceled and refunded; resolving it again is refused and refunds nothing more.
    const cancel = await cli('order', 'resolve', String(unwanted), '--cancel');
    expect(cancel.code, cancel.stderr).toBe(0);
    const again = await cli('order', 'resolve', String(unwanted), '--cancel');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not waiting for review');
    for (const id of [arrived, neverArrived, unwanted]) await expectAccountedFor(s, id);
    expect(await s.order(unwanted)).toMatchObject({ status: 'canceled', dispatch_state: 'refused' });

    const empty = await cli('order', 'review');
    expect(empty.stdout).toBe('');

    // The linked order is followed by sync like any other.
    s.fault.setStatus(providerOrder, { status: 'Completed', remains: '0', start_count: '120' });
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    await s.sync();
    expect(await s.order(arrived)).toMatchObject({ status: 'completed', start_count: 120n });
  });
});

describe('sync: statuses read defensively, refunds exact and once', () => {
  it('maps Cancelled, Refunded, canceled, numeric 2 and "3"; keeps unknown and unreadable answers; copies counts and the provider charge', async () => {
    const s = await setup();
    const answers: [string, Record<string, unknown>, 'replace' | 'merge'][] = [
      ['Cancelled', { status: 'Cancelled', remains: '777' }, 'merge'],
      ['Refunded', { status: 'Refunded', remains: '500' }, 'merge'],
      ['canceled', { status: 'canceled' }, 'merge'],
      ['2', { status: 2, remains: '0', start_count: '900' }, 'merge'],
      ['"3"', { status: '3', remains: '333', start_count: '40' }, 'merge'],
      ['Weird', { status: 'Weird', remains: '10' }, 'merge'],
      ['Partial, remains unreadable', { status: 'Partial', remains: 'n/a' }, 'merge'],
      [
        'Partial, no remains',
        { charge: '0.38', start_count: '5', status: 'Partial', currency: 'USD' },
        'replace',
      ],
      [
        'In progress',
        { status: 'In progress', remains: '500', start_count: '1234', charge: '0.27819', currency: 'EUR' },
        'merge',
      ],
    ];
    const ids: number[] = [];
    for (let i = 0; i < answers.length; i++) ids.push(await s.place());
    expect(await s.dispatch()).toMatchObject({ sent: answers.length });
    answers.forEach(([, fields, how], index) => {
      const providerOrder = s.providerOrderOf(ids[index]!);
      if (how === 'replace') s.fault.replaceStatus(providerOrder, fields);
      else s.fault.setStatus(providerOrder, fields);
    });

    // Not due yet: nothing is asked.
    expect(await s.sync()).toMatchObject({ requests: 0 });
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    const summary = await s.sync();
    expect(summary).toMatchObject({ checked: answers.length, changed: 6, requests: 1, failed: 0 });

    const byName = new Map<string, OrderState>();
    for (let i = 0; i < answers.length; i++) byName.set(answers[i]![0], await s.order(ids[i]!));
    for (const name of ['Cancelled', 'Refunded', 'canceled']) {
      const order = byName.get(name)!;
      expect(order.status, name).toBe('canceled');
      expect(order.refunded, name).toBe(order.charge);
      expect(order.next_sync_at, name).toBeNull();
    }
    expect(byName.get('2')).toMatchObject({
      status: 'completed',
      remains: 0n,
      start_count: 900n,
      refunded: 0n,
    });
    const partial = byName.get('"3"')!;
    expect(partial).toMatchObject({ status: 'partial', remains: 333n, start_count: 40n });
    expect(partial.refunded).toBe(partialRefundOf(partial, 333));
    // 1.23457 × 777 / 1000 = 0.95926089 → charged 0.95927; refund 0.95927 × 333 / 777 = 0.41111… → 0.41111
    expect(partial.charge).toBe(95_927n);
    expect(partial.refunded).toBe(41_111n);
    for (const name of ['Weird', 'Partial, remains unreadable', 'Partial, no remains']) {
      const order = byName.get(name)!;
      expect(order, name).toMatchObject({ status: 'pending', remains: 777n, refunded: 0n });
      expect(order.next_sync_at, `${name} is still followed`).not.toBeNull();
    }
    expect(s.log.some((line) => line.message.includes('unknown provider status'))).toBe(true);
    expect(byName.get('Weird')?.provider_status).toBe('Weird');
    expect(byName.get('In progress')).toMatchObject({
      status: 'in_progress',
      remains: 500n,
      start_count: 1234n,
      provider_charge: 27_819n,
      provider_currency: 'EUR',
    });

    // The same answers applied again (a second worker re-asking): nothing moves, nothing is refunded twice.
    for (const id of ids) await s.panel.db.run(forceSyncDue, [s.panel.clock.now(), id]);
    expect(await s.sync()).toMatchObject({ changed: 0 });
    for (let i = 0; i < answers.length; i++) {
      const order = await s.order(ids[i]!);
      const refunds = await s.refunds(ids[i]!);
      expect(refunds.length, answers[i]![0]).toBeLessThanOrEqual(1);
      expect(refunds.reduce((sum, entry) => sum + entry.amount, 0n)).toBe(order.refunded);
    }
    const shown = await s.panel.api({ key: s.customer.apiKey, action: 'status', order: ids[4]! });
    expect(shown.json).toEqual({
      charge: '0.54816',
      start_count: '40',
      status: 'Partial',
      remains: '333',
      currency: 'USD',
    });
  });

  it('two syncs racing on two connections, then the same answer again: each Partial and Canceled refunded exactly once', async () => {
    const s = await setup();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await s.place({ quantity: 100 + i }));
    await s.dispatch();
    ids.forEach((id, i) => {
      const providerOrder = s.providerOrderOf(id);
      s.fault.setStatus(
        providerOrder,
        i % 2 === 0 ? { status: 'Partial', remains: String(i + 1) } : { status: 'Canceled' },
      );
    });
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    const other = secondWorker(s);
    const [a, b] = await Promise.all([s.sync(), s.sync(other)]);
    expect(a.changed + b.changed).toBe(30);
    // And once more, as if the first answers had never been recorded as final.
    for (const id of ids) await s.panel.db.run(forceSyncDue, [s.panel.clock.now(), id]);
    await Promise.all([s.sync(), s.sync(other)]);
    for (const [i, id] of ids.entries()) {
      const order = await s.order(id);
      const expected = i % 2 === 0 ? partialRefundOf(order, i + 1) : order.charge;
      const kind = i % 2 === 0 ? 'partial' : 'canceled';
      expect(await s.refunds(id)).toEqual([{ entry_key: `refund:${kind}:${id}`, amount: expected }]);
      expect(order.refunded).toBe(expected);
    }
  });

  it('a claim takes at most its limit when the statistics say the table is nearly empty', async () => {
    // Statistics taken with one order, then more placed: on PostgreSQL the planner ran a claim's
    // pick once per row of a scan of orders, each run skipping the rows the last one locked, so a
    // claim took every due order whatever its LIMIT (a sync of 250 orders sent one request of 250).
    const s = await setup();
    await s.place({ quantity: 10 });
    await s.panel.db.run(analyzeOrders);
    for (let i = 0; i < 59; i++) await s.place({ quantity: 10 });
    // Each claim is counted in a transaction rolled back after it, so the orders stay due.
    const rollBack = new Error('roll back');
    const claimedCount = async (claim: (tx: Queryable) => Promise<unknown[]>): Promise<number> => {
      let count = -1;
      await s.panel.db
        .transaction(async (tx) => {
          count = (await claim(tx)).length;
          throw rollBack;
        })
        .catch((error: unknown) => {
          if (error !== rollBack) throw error;
        });
      return count;
    };
    const now = s.panel.clock.now();
    expect(
      await claimedCount((tx) => claimQueuedOrders(tx, { now, leaseUntil: now + MINUTE, limit: 16 })),
    ).toBe(16);
    expect(await s.dispatch()).toMatchObject({ sent: 60 });
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    const later = s.panel.clock.now();
    const claim = { providerId: s.providerId, now: later, nextSyncAt: later + SYNC_INTERVAL_MS, limit: 25 };
    expect(await claimedCount((tx) => claimDueSync(tx, claim))).toBe(25);
    expect(await s.sync()).toMatchObject({ checked: 60, requests: 1, failed: 0 });
  });

  it('250 orders in flight are asked about with multi-status requests of at most 100 ids, each once', async () => {
    const s = await setup();
    const ids: number[] = [];
    for (let i = 0; i < 250; i++) ids.push(await s.place({ quantity: 10 }));
    expect(await s.dispatch()).toMatchObject({ sent: 250 });
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    const summary = await s.sync();
    expect(summary).toMatchObject({ checked: 250, requests: 3, failed: 0 });
    expect(Math.max(...s.fault.idsPerRequest.status)).toBeLessThanOrEqual(100);
    expect(s.fault.idsPerRequest.status.reduce((sum, n) => sum + n, 0)).toBe(250);
    // Asked once per interval: a second pass at once asks nothing.
    expect(await s.sync()).toMatchObject({ requests: 0 });
    // A failed status request changes nothing and is asked again at the next turn.
    s.fault.inject('status', { answer: 'reset' }, { answer: { status: 503 } });
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    expect(await s.sync()).toMatchObject({ failed: 2, requests: 3 });
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    expect(await s.sync()).toMatchObject({ failed: 0, checked: 250 });
  });
});

describe('drip-feed, cancel and refill forwarding', () => {
  it('drip-feed runs go out as ordinary orders; the parent is settled from their statuses with one exact refund', async () => {
    const s = await setup({ service: { dripfeed: true } });
    const parent = await s.place({ quantity: 100, runs: 3, interval: 1 });
    const runIds: number[] = [];
    for (let run = 0; run < 3; run++) {
      expect(await createDueRuns(s.ctx)).toBe(1);
      expect(await s.dispatch()).toMatchObject({ sent: 1 });
      s.panel.clock.advance(MINUTE);
    }
    for (const row of await s.panel.db.all<{ id: bigint }>(selectRuns, [parent])) runIds.push(Number(row.id));
    expect(runIds).toHaveLength(3);
    expect((await s.order(parent)).dispatch_state).toBe('manual');
    expect(s.fault.createdForOrder(parent)).toHaveLength(0);
    for (const id of runIds) {
      const created = s.fault.createdForOrder(id);
      expect(created).toHaveLength(1);
      expect(created[0]!.quantity).toBe(100);
    }
    s.fault.setStatus(s.providerOrderOf(runIds[0]!), { status: 'Completed', remains: '0' });
    s.fault.setStatus(s.providerOrderOf(runIds[1]!), { status: 'Partial', remains: '40' });
    s.fault.setStatus(s.providerOrderOf(runIds[2]!), { status: 'Refunded' });
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    await s.sync();
    const settled = await s.order(parent);
    // 40 + 100 of 300 undelivered.
    expect(settled).toMatchObject({ status: 'partial', remains: 140n });
    expect(await s.refunds(parent)).toEqual([
      { entry_key: `refund:partial:${parent}`, amount: partialRefundOf(settled, 140) },
    ]);
    for (const id of runIds) expect(await s.refunds(id)).toEqual([]);
    const shown = await s.panel.api({ key: s.customer.apiKey, action: 'status', order: parent });
    expect(shown.json).toMatchObject({ status: 'Partial', remains: '140', runs: '3', orders: runIds });
  });

  it('cancel forwarding: accepted → Canceled via sync with a full refund; refused → request rejected and the order goes on', async () => {
    const s = await setup({ service: { cancel: true } });
    const ids = [await s.place(), await s.place(), await s.place()];
    await s.dispatch();
    const cancel = await s.panel.api({ key: s.customer.apiKey, action: 'cancel', orders: ids.join(',') });
    expect(cancel.json).toEqual(ids.map((order) => ({ order, cancel: 1 })));
    const [accepted, refused, flaky] = ids as [number, number, number];
    s.fault.refuseCancel.set(s.providerOrderOf(refused), 'Order cannot be canceled');

    // The first attempt is lost on the way: nothing changes, it is sent again later.
    s.fault.inject('cancel', { act: false, answer: 'reset' });
    expect(await forwardCancels(s.ctx, s.gateway)).toBe(0);
    expect(await s.panel.db.get(selectCancelRequest, [flaky])).toMatchObject({
      status: 'pending',
      dispatch_state: 'queued',
    });
    s.panel.clock.advance(MINUTE);
    expect(await forwardCancels(s.ctx, s.gateway)).toBe(2);
    // One multi-id request per attempt.
    expect(s.fault.idsPerRequest.cancel).toEqual([3, 3]);
    expect(await s.panel.db.get(selectCancelRequest, [refused])).toMatchObject({
      status: 'rejected',
      dispatch_state: 'refused',
      dispatch_error: 'refused by the provider: Order cannot be canceled',
    });
    expect(await forwardCancels(s.ctx, s.gateway)).toBe(0);

    // The provider cancels the accepted ones; the next status check (brought forward) settles them.
    s.fault.setStatus(s.providerOrderOf(accepted), { status: 'Canceled' });
    s.fault.setStatus(s.providerOrderOf(flaky), { status: 'Canceled' });
    await s.sync();
    for (const id of [accepted, flaky]) {
      const order = await s.order(id);
      expect(order.status).toBe('canceled');
      expect(await s.refunds(id)).toEqual([{ entry_key: `refund:canceled:${id}`, amount: order.charge }]);
      expect(await s.panel.db.get(selectCancelRequest, [id])).toMatchObject({ status: 'done' });
    }
    expect(await s.order(refused)).toMatchObject({ status: 'pending', refunded: 0n });
  });

  it('refill forwarding: accepted → its refill_status followed to Completed; refused → Rejected', async () => {
    const s = await setup({ service: { refill: true } });
    const ids = [await s.place(), await s.place()];
    await s.dispatch();
    for (const id of ids) s.fault.setStatus(s.providerOrderOf(id), { status: 'Completed', remains: '0' });
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    await s.sync();
    const [followed, refused] = ids as [number, number];
    s.fault.refuseRefill.set(s.providerOrderOf(refused), 'Refill is disabled for this service');
    const refillIds: string[] = [];
    for (const id of ids) {
      const answer = await s.panel.api({ key: s.customer.apiKey, action: 'refill', order: id });
      expect(answer.json).toHaveProperty('refill');
      refillIds.push(answer.json.refill as string);
    }
    expect(await forwardRefills(s.ctx, s.gateway)).toBe(1);
    expect(s.fault.idsPerRequest.refill).toEqual([2]);
    expect(await s.panel.db.get(selectRefill, [refused])).toMatchObject({
      status: 'rejected',
      dispatch_state: 'refused',
      dispatch_error: 'refused by the provider: Refill is disabled for this service',
    });
    const forwarded = await s.panel.db.get<{ provider_refill_id: string }>(selectRefill, [followed]);
    const providerRefill = s.fault.refills.get(Number(forwarded?.provider_refill_id))!;
    expect(providerRefill.order).toBe(s.providerOrderOf(followed));

    s.panel.clock.advance(SYNC_INTERVAL_MS);
    providerRefill.status = 'In progress';
    expect(await syncRefills(s.ctx, s.gateway)).toBe(1);
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    providerRefill.status = 'Completed';
    expect(await syncRefills(s.ctx, s.gateway)).toBe(1);
    s.panel.clock.advance(SYNC_INTERVAL_MS);
    expect(await syncRefills(s.ctx, s.gateway)).toBe(0);
    expect(s.fault.idsPerRequest.refill_status).toEqual([1, 1]);
    const shown = await s.panel.api({
      key: s.customer.apiKey,
      action: 'refill_status',
      refills: refillIds.join(','),
    });
    expect(shown.json).toEqual([
      { refill: Number(refillIds[0]), status: 'Completed' },
      { refill: Number(refillIds[1]), status: 'Rejected' },
    ]);
  });
});
