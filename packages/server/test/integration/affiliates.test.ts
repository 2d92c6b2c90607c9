import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { TEST_GATEWAY, TestPayServer, registerTestGateway } from '../support/test-gateway.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

/**
 * Issue 15 item 5, affiliates, over real HTTP on both databases: attribution by the referral link's
 * cookie and by `"referral"` at sign-up (an unknown code never blocks one), the commission on a
 * referred customer's paid deposit posted once however the gateway's notification is replayed,
 * its reversal on refund or dispute, payouts to the balance once under 32 concurrent requests, the
 * minimum, payouts by hand, and self-referral earning nothing. Every test ends with the running
 * totals equal to the rows they sum (and the ledger check runs after each).
 */

let panel: TestPanel;
let testpay: TestPayServer;
let admin: WebClient;
let cardMethod: number;
let bankMethod: number;
let counter = 0;

const DAY = 24 * 60 * 60 * 1000;
const units = (major: string) => {
  const [whole, fraction = ''] = major.split('.');
  return BigInt(whole!) * 100_000n + BigInt(fraction.padEnd(5, '0'));
};

beforeAll(async () => {
  registerTestGateway();
  panel = await TestPanel.start();
  testpay = await TestPayServer.start();
  admin = (await webUser(panel, 'admin')).web;
  const card = await admin.post('/admin/payment-methods', {
    gateway: TEST_GATEWAY,
    name: 'Card',
    feePercent: '2.5',
    bonus: '100:5',
    config: testpay.config,
  });
  expect(card.status).toBe(200);
  cardMethod = card.json.id;
  const bank = await admin.post('/admin/payment-methods', { gateway: 'manual', name: 'Bank transfer' });
  expect(bank.status).toBe(200);
  bankMethod = bank.json.id;
});

afterAll(async () => {
  await panel.close();
  await testpay.close();
});

interface Member {
  readonly id: number;
  readonly username: string;
  readonly web: WebClient;
}

/** A visitor signs up through the web panel (with whatever referral and cookie), logged in after. */
async function signUp(
  options: { referral?: unknown; cookie?: string; email?: string } = {},
): Promise<Member & { status: number }> {
  const username = `aff${++counter}_${process.pid}`;
  const web = new WebClient(panel.baseUrl);
  if (options.cookie !== undefined) web.cookie = options.cookie;
  const body: Record<string, unknown> = {
    username,
    password: `pw-${username}-secret`,
    email: options.email ?? `${username}@example.com`,
  };
  if (options.referral !== undefined) body.referral = options.referral;
  const answer = await web.post('/signup', body);
  const row = await panel.db.get<{ id: bigint }>(sql('SELECT id FROM users WHERE username = ?'), [username]);
  return { id: Number(row?.id ?? 0), username, web, status: answer.status };
}

async function affiliate(options: { email?: string } = {}): Promise<Member & { code: string }> {
  const member = await signUp(options);
  expect(member.status).toBe(200);
  const page = await member.web.get('/affiliate');
  expect(page.status).toBe(200);
  return { ...member, code: page.json.code };
}

async function referrerOf(userId: number): Promise<number | null> {
  const row = await panel.db.get<{ affiliate_id: bigint }>(
    sql('SELECT affiliate_id FROM referrals WHERE user_id = ?'),
    [userId],
  );
  return row ? Number(row.affiliate_id) : null;
}

/** A gateway deposit by a customer, and its payment id at TestPay. */
async function cardDeposit(
  customer: Member,
  amount: string,
): Promise<{ depositId: number; paymentId: string }> {
  const started = await customer.web.post('/deposits', { method: cardMethod, amount });
  expect(started.status).toBe(200);
  return {
    depositId: started.json.id,
    paymentId: new URL(started.json.redirectUrl).pathname.split('/').pop()!,
  };
}

async function paidCardDeposit(customer: Member, amount: string) {
  const deposit = await cardDeposit(customer, amount);
  expect((await testpay.deliver(deposit.paymentId, 'payment.succeeded')).status).toBe(200);
  return deposit;
}

async function commissionsOf(affiliateId: number) {
  const rows = await panel.db.all<{ kind: string; amount: bigint; entry_key: string; deposit_id: bigint }>(
    sql(
      'SELECT kind, amount, entry_key, deposit_id FROM affiliate_commissions WHERE affiliate_id = ? ORDER BY id',
    ),
    [affiliateId],
  );
  return rows.map((row) => ({
    kind: row.kind,
    amount: BigInt(row.amount),
    key: row.entry_key,
    deposit: Number(row.deposit_id),
  }));
}

async function ledgerOf(userId: number) {
  const rows = await panel.db.all<{ kind: string; amount: bigint; entry_key: string }>(
    sql('SELECT kind, amount, entry_key FROM ledger_entries WHERE user_id = ? ORDER BY id'),
    [userId],
  );
  return rows.map((row) => ({ kind: row.kind, amount: BigInt(row.amount), key: row.entry_key }));
}

/** Each affiliate's running totals equal the rows they sum; payouts to the balance equal their ledger entries. */
async function expectTotalsExact(): Promise<void> {
  const drift = await panel.db.all<{ user_id: bigint }>(
    sql(
      `SELECT a.user_id FROM affiliates a
       WHERE a.earned <> (SELECT CAST(COALESCE(SUM(c.amount), 0) AS BIGINT) FROM affiliate_commissions c
                          WHERE c.affiliate_id = a.user_id)
          OR a.withdrawn <> (SELECT CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) FROM affiliate_payouts p
                             WHERE p.affiliate_id = a.user_id)
          OR (SELECT CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) FROM affiliate_payouts p
              WHERE p.affiliate_id = a.user_id AND p.method = 'balance')
             <> (SELECT CAST(COALESCE(SUM(l.amount), 0) AS BIGINT) FROM ledger_entries l
                 WHERE l.user_id = a.user_id AND l.kind = 'affiliate_payout')`,
    ),
  );
  expect(drift).toEqual([]);
}

describe('attribution', () => {
  it('a referral link counts the visit, sets a 30-day cookie and sends the visitor to sign up; a sign-up with it is attributed', async () => {
    const alice = await affiliate();
    expect((await alice.web.get('/affiliate')).json).toMatchObject({
      code: alice.code,
      link: `${panel.baseUrl}/ref/${alice.code}`,
      visits: 0,
      signups: 0,
      earned: '0.00000',
      pending: '0.00000',
      paidOut: '0.00000',
      commissionPercent: '5',
      minimumPayout: '10.00000',
      cookieDays: 30,
      payoutMethods: ['balance'],
      canRequestPayout: false,
    });
    const followed = await fetch(`${panel.baseUrl}/ref/${alice.code}`, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe('/signup');
    const setCookie = followed.headers.get('set-cookie')!;
    expect(setCookie).toMatch(
      new RegExp(`^smmkit_ref=${alice.code}\\.\\d+; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000$`),
    );
    const cookie = setCookie.split(';')[0]!;

    const bob = await signUp({ cookie });
    expect(bob.status).toBe(200);
    expect(await referrerOf(bob.id)).toBe(alice.id);
    const page = (await alice.web.get('/affiliate')).json;
    expect(page).toMatchObject({ visits: 1, signups: 1, payingCustomers: 0, conversionPercent: '0' });
  });

  it('a cookie past its life (the panel setting) attributes nothing; a shorter setting shortens it', async () => {
    const alice = await affiliate();
    const followed = await fetch(`${panel.baseUrl}/ref/${alice.code}`, { redirect: 'manual' });
    const cookie = followed.headers.get('set-cookie')!.split(';')[0]!;
    panel.clock.advance(31 * DAY);
    const late = await signUp({ cookie });
    expect(late.status).toBe(200);
    expect(await referrerOf(late.id)).toBeNull();
    // Sessions last 7 days: the owner signs in again on the moved clock.
    admin = (await webUser(panel, 'admin')).web;

    const saved = await admin.request('PUT', '/admin/affiliate-settings', {
      commissionPercent: '5',
      cookieDays: 7,
      minimumPayout: '10',
      manualPayouts: false,
    });
    expect(saved.status).toBe(200);
    const again = await fetch(`${panel.baseUrl}/ref/${alice.code}`, { redirect: 'manual' });
    expect(again.headers.get('set-cookie')).toContain('Max-Age=604800');
    const fresh = again.headers.get('set-cookie')!.split(';')[0]!;
    panel.clock.advance(6 * DAY);
    const inTime = await signUp({ cookie: fresh });
    expect(await referrerOf(inTime.id)).toBe(alice.id);
    panel.clock.advance(2 * DAY);
    const tooLate = await signUp({ cookie: fresh });
    expect(await referrerOf(tooLate.id)).toBeNull();
    admin = (await webUser(panel, 'admin')).web;
    await admin.request('PUT', '/admin/affiliate-settings', {
      commissionPercent: '5',
      cookieDays: 30,
      minimumPayout: '10',
      manualPayouts: false,
    });
  });

  it('"referral":"CODE" at sign-up attributes; it wins over a cookie of another affiliate', async () => {
    const alice = await affiliate();
    const carol = await affiliate();
    const dave = await signUp({ referral: alice.code });
    expect(dave.status).toBe(200);
    expect(await referrerOf(dave.id)).toBe(alice.id);
    const followed = await fetch(`${panel.baseUrl}/ref/${carol.code}`, { redirect: 'manual' });
    const erin = await signUp({
      referral: alice.code,
      cookie: followed.headers.get('set-cookie')!.split(';')[0]!,
    });
    expect(await referrerOf(erin.id)).toBe(alice.id);
    expect((await alice.web.get('/affiliate')).json.signups).toBe(2);
    expect((await carol.web.get('/affiliate')).json).toMatchObject({ visits: 1, signups: 0 });
  });

  it('an unknown, malformed or huge code never blocks a sign-up and attributes nothing; an unknown link sets no cookie', async () => {
    for (const referral of ['nosuchcode', '<script>x</script>', 'x'.repeat(4000), '', null, '../../etc']) {
      const member = await signUp({ referral });
      expect(member.status, JSON.stringify(referral)).toBe(200);
      expect(await referrerOf(member.id)).toBeNull();
    }
    for (const path of ['/ref/nosuchcode', '/ref/%3Cscript%3E', `/ref/${'y'.repeat(300)}`]) {
      const followed = await fetch(`${panel.baseUrl}${path}`, { redirect: 'manual' });
      expect(followed.status, path).toBe(302);
      expect(followed.headers.get('location')).toBe('/signup');
      expect(followed.headers.get('set-cookie')).toBeNull();
    }
    const forged = await signUp({ cookie: 'smmkit_ref=nosuchcode.1' });
    expect(forged.status).toBe(200);
    expect(await referrerOf(forged.id)).toBeNull();
  });

  it('self-referral is refused: the same mailbox under another address earns nothing', async () => {
    const alice = await affiliate({ email: 'Alice.Self@gmail.com' });
    const twin = await signUp({ referral: alice.code, email: 'aliceself+second@gmail.com' });
    expect(twin.status).toBe(200);
    expect(await referrerOf(twin.id)).toBeNull();
    await paidCardDeposit(twin, '200.00');
    expect(await commissionsOf(alice.id)).toEqual([]);
    expect((await alice.web.get('/affiliate')).json).toMatchObject({ signups: 0, earned: '0.00000' });
    await expectTotalsExact();
  });
});

describe('commission', () => {
  it('on a paid deposit, exactly once under 64 concurrent notifications (replays and fresh events): 5% of the credited amount, without bonus or fee', async () => {
    const alice = await affiliate();
    const bob = await signUp({ referral: alice.code });
    const { depositId, paymentId } = await cardDeposit(bob, '200.00');
    const replay = testpay.event(paymentId, 'payment.succeeded');
    const url = `${panel.baseUrl}/payments/webhook/${cardMethod}`;
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, i) => {
        // Half are the same delivery replayed, half fresh deliveries of the same payment.
        const { body, headers } = i % 2 === 0 ? replay : testpay.event(paymentId, 'payment.succeeded');
        return fetch(url, { method: 'POST', headers, body }).then((response) => response.status);
      }),
    );
    expect(answers).toEqual(Array.from({ length: 64 }, () => 200));
    // The customer paid 205.00 (fee added) and was credited 200.00 + 10.00 bonus; 5% of 200.00.
    expect(await ledgerOf(bob.id)).toEqual([
      { kind: 'deposit', amount: units('200'), key: `deposit:${TEST_GATEWAY}:${paymentId}` },
      { kind: 'bonus', amount: units('10'), key: `bonus:${TEST_GATEWAY}:${paymentId}` },
    ]);
    expect(await commissionsOf(alice.id)).toEqual([
      { kind: 'earned', amount: units('10'), key: `commission:deposit:${depositId}`, deposit: depositId },
    ]);
    expect((await alice.web.get('/affiliate')).json).toMatchObject({
      signups: 1,
      payingCustomers: 1,
      conversionPercent: '100',
      earned: '10.00000',
      pending: '10.00000',
      paidOut: '0.00000',
      canRequestPayout: true,
    });
    // The commission is not money on the affiliate's balance until it is paid out.
    expect(await ledgerOf(alice.id)).toEqual([]);
    await expectTotalsExact();
  });

  it("a per-affiliate override applies, rounded down in the panel's favour; a manual deposit approved earns too", async () => {
    const alice = await affiliate();
    const override = await admin.request('PUT', `/admin/affiliates/${alice.id}/commission`, {
      commissionPercent: '3.33',
    });
    expect(override.json).toEqual({ userId: alice.id, commissionPercent: '3.33' });
    const bob = await signUp({ referral: alice.code });
    const { depositId } = await paidCardDeposit(bob, '10.01');
    const bank = await bob.web.post('/deposits', { method: bankMethod, amount: '7' });
    const approvals = await Promise.all(
      Array.from({ length: 8 }, () => admin.post(`/admin/deposits/${bank.json.id}/approve`)),
    );
    expect(approvals.filter((answer) => answer.status === 200)).toHaveLength(1);
    // 10.01 × 3.33% = 0.333333 → 0.33333; 7.00 × 3.33% = 0.2331 exactly.
    expect(await commissionsOf(alice.id)).toEqual([
      { kind: 'earned', amount: 33_333n, key: `commission:deposit:${depositId}`, deposit: depositId },
      { kind: 'earned', amount: 23_310n, key: `commission:deposit:${bank.json.id}`, deposit: bank.json.id },
    ]);
    expect((await alice.web.get('/affiliate')).json).toMatchObject({
      commissionPercent: '3.33',
      earned: '0.56643',
      payingCustomers: 1,
    });
    const listed = await admin.get('/admin/affiliates');
    expect(listed.json.affiliates.find((row: { userId: number }) => row.userId === alice.id)).toEqual({
      userId: alice.id,
      username: alice.username,
      code: alice.code,
      commissionPercent: '3.33',
      visits: 0,
      signups: 1,
      earned: '0.56643',
      pending: '0.56643',
    });
    const bad = await admin.request('PUT', `/admin/affiliates/${alice.id}/commission`, {
      commissionPercent: '101',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('INVALID_INPUT');
    const nobody = await admin.request('PUT', '/admin/affiliates/999999/commission', {
      commissionPercent: '1',
    });
    expect(nobody.status).toBe(404);
    const reset = await admin.request('PUT', `/admin/affiliates/${alice.id}/commission`, {
      commissionPercent: null,
    });
    expect(reset.json).toEqual({ userId: alice.id, commissionPercent: null });
    expect((await alice.web.get('/affiliate')).json.commissionPercent).toBe('5');
    await expectTotalsExact();
  });

  it('reversed once (a negative entry) when the deposit is refunded, under concurrent refund notifications; a dispute reverses too', async () => {
    const alice = await affiliate();
    const bob = await signUp({ referral: alice.code });
    const first = await paidCardDeposit(bob, '100.00');
    const second = await paidCardDeposit(bob, '40.00');
    const refund = testpay.event(first.paymentId, 'payment.refunded');
    const url = `${panel.baseUrl}/payments/webhook/${cardMethod}`;
    await Promise.all(
      Array.from({ length: 16 }, () =>
        fetch(url, { method: 'POST', headers: refund.headers, body: refund.body }),
      ),
    );
    expect((await testpay.deliver(second.paymentId, 'payment.disputed')).status).toBe(200);
    expect((await testpay.deliver(second.paymentId, 'payment.disputed')).status).toBe(200);
    expect(await commissionsOf(alice.id)).toEqual([
      {
        kind: 'earned',
        amount: units('5'),
        key: `commission:deposit:${first.depositId}`,
        deposit: first.depositId,
      },
      {
        kind: 'earned',
        amount: units('2'),
        key: `commission:deposit:${second.depositId}`,
        deposit: second.depositId,
      },
      {
        kind: 'reversed',
        amount: -units('5'),
        key: `commission:reversal:${first.depositId}`,
        deposit: first.depositId,
      },
      {
        kind: 'reversed',
        amount: -units('2'),
        key: `commission:reversal:${second.depositId}`,
        deposit: second.depositId,
      },
    ]);
    expect((await alice.web.get('/affiliate')).json).toMatchObject({ earned: '0.00000', pending: '0.00000' });
    await expectTotalsExact();
  });
});

describe('payouts', () => {
  it('refused below the minimum (10.00 by default); to the balance exactly once under 32 concurrent requests', async () => {
    const alice = await affiliate();
    const bob = await signUp({ referral: alice.code });
    await paidCardDeposit(bob, '100.00');
    const early = await alice.web.post('/affiliate/payout', { to: 'balance' });
    expect(early.status).toBe(409);
    expect(early.json).toEqual({
      error: 'Not enough commission to pay out: 5.00000 available, the minimum payout is 10.00000',
      code: 'PAYOUT_UNAVAILABLE',
      params: { available: '5.00000', minimum: '10.00000' },
    });
    await paidCardDeposit(bob, '150.00');
    expect((await alice.web.get('/affiliate')).json).toMatchObject({
      pending: '12.50000',
      canRequestPayout: true,
    });

    const answers = await Promise.all(
      Array.from({ length: 32 }, () => alice.web.post('/affiliate/payout', { to: 'balance' })),
    );
    const paid = answers.filter((answer) => answer.status === 200);
    expect(paid).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(31);
    expect(paid[0]!.json).toMatchObject({ amount: '12.50000', method: 'balance', status: 'paid' });
    expect(await ledgerOf(alice.id)).toEqual([
      { kind: 'affiliate_payout', amount: units('12.5'), key: `affiliate:${alice.id}:payout:0` },
    ]);
    expect((await alice.web.get('/session')).json.user.balance).toBe('12.50000');
    expect((await alice.web.get('/affiliate')).json).toMatchObject({
      earned: '12.50000',
      pending: '0.00000',
      paidOut: '12.50000',
      canRequestPayout: false,
      payouts: [{ id: paid[0]!.json.id, amount: '12.50000', method: 'balance', status: 'paid' }],
    });
    expect((await alice.web.post('/affiliate/payout', { to: 'balance' })).status).toBe(409);
    await expectTotalsExact();
  });

  it('by hand only when the admin allows it: requested, then marked paid once; nothing on the ledger', async () => {
    const alice = await affiliate();
    const bob = await signUp({ referral: alice.code });
    await paidCardDeposit(bob, '300.00');
    const refused = await alice.web.post('/affiliate/payout', { to: 'manual' });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('MANUAL_PAYOUT_DISABLED');
    const bad = await admin.request('PUT', '/admin/affiliate-settings', {
      commissionPercent: '5',
      cookieDays: 30,
      minimumPayout: '-1',
      manualPayouts: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('Invalid minimum payout: an amount of zero or more, e.g. 10.00');
    const allowed = await admin.request('PUT', '/admin/affiliate-settings', {
      commissionPercent: '5',
      cookieDays: 30,
      minimumPayout: '10',
      manualPayouts: true,
    });
    expect(allowed.json).toEqual({
      commissionPercent: '5',
      cookieDays: 30,
      minimumPayout: '10.00000',
      manualPayouts: true,
    });
    expect((await alice.web.get('/affiliate')).json.payoutMethods).toEqual(['balance', 'manual']);
    const requested = await alice.web.post('/affiliate/payout', { to: 'manual' });
    expect(requested.json).toMatchObject({
      amount: '15.00000',
      method: 'manual',
      status: 'requested',
      paidAt: null,
    });
    expect((await alice.web.get('/affiliate')).json).toMatchObject({
      pending: '0.00000',
      requested: '15.00000',
      paidOut: '0.00000',
    });
    const queue = await admin.get('/admin/affiliate-payouts');
    expect(queue.json.payouts).toContainEqual(
      expect.objectContaining({ id: requested.json.id, affiliate: alice.username, amount: '15.00000' }),
    );
    const marks = await Promise.all(
      Array.from({ length: 8 }, () => admin.post(`/admin/affiliate-payouts/${requested.json.id}/paid`)),
    );
    expect(marks.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(marks.filter((answer) => answer.status === 409)).toHaveLength(7);
    expect((await admin.post('/admin/affiliate-payouts/999999/paid')).status).toBe(404);
    expect((await alice.web.get('/affiliate')).json).toMatchObject({
      requested: '0.00000',
      paidOut: '15.00000',
    });
    expect(await ledgerOf(alice.id)).toEqual([]);
    const audit = await panel.db.all<{ target: string }>(
      sql("SELECT target FROM audit_log WHERE action = 'affiliates.payout.paid'"),
    );
    expect(audit).toContainEqual({ target: `affiliate_payout:${requested.json.id}` });
    await admin.request('PUT', '/admin/affiliate-settings', {
      commissionPercent: '5',
      cookieDays: 30,
      minimumPayout: '10',
      manualPayouts: false,
    });
    await expectTotalsExact();
  });

  it('a refund after the payout leaves the pending commission negative: later commissions pay it back first', async () => {
    const alice = await affiliate();
    const bob = await signUp({ referral: alice.code });
    const deposit = await paidCardDeposit(bob, '200.00');
    expect((await alice.web.post('/affiliate/payout', { to: 'balance' })).status).toBe(200);
    expect((await testpay.deliver(deposit.paymentId, 'payment.refunded')).status).toBe(200);
    expect((await alice.web.get('/affiliate')).json).toMatchObject({
      earned: '0.00000',
      pending: '-10.00000',
      paidOut: '10.00000',
    });
    await paidCardDeposit(bob, '300.00');
    expect((await alice.web.get('/affiliate')).json.pending).toBe('5.00000');
    const early = await alice.web.post('/affiliate/payout', { to: 'balance' });
    expect(early.json.code).toBe('PAYOUT_UNAVAILABLE');
    await expectTotalsExact();
  });

  it('needs a session and CSRF; customers may not use the admin routes', async () => {
    const visitor = new WebClient(panel.baseUrl);
    expect((await visitor.get('/affiliate')).status).toBe(401);
    const alice = await affiliate();
    expect((await alice.web.post('/affiliate/payout', { to: 'balance' }, { csrf: false })).status).toBe(403);
    expect((await alice.web.post('/affiliate/payout', { to: 'bank' })).status).toBe(400);
    expect((await alice.web.get('/admin/affiliates')).status).toBe(403);
    expect((await alice.web.post('/admin/affiliate-payouts/1/paid')).status).toBe(403);
  });
});
