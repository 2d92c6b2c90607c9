import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, SUBSCRIPTION_STATUSES } from '../../domain/order-status.js';
import type { OrderStatusView } from '../../app/orders/order-status-view.js';
import { orderStatusJson, presentOrderStatus } from './present-order-status.js';

const CHARGES = [0n, 1n, 99_999n, 100_000n, 123_456_789n, -1n, -250_000n, 10n ** 20n];
const COUNTS = [0, 1, 7, 1000, 2_147_483_647, -3];
const CURRENCIES = ['USD', 'EUR', 'usd"\\\u2028x', ''];

describe('orderStatusJson', () => {
  it('is JSON.stringify(presentOrderStatus(…)) byte for byte, for every status, amount, count and currency', () => {
    let compared = 0;
    for (const currency of CURRENCIES) {
      for (const status of ORDER_STATUSES) {
        for (const charge of CHARGES) {
          for (const startCount of COUNTS) {
            for (const remains of COUNTS) {
              const view: OrderStatusView = { kind: 'order', status, charge, startCount, remains };
              expect(orderStatusJson(view, currency)).toBe(
                JSON.stringify(presentOrderStatus(view, currency)),
              );
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBe(CURRENCIES.length * ORDER_STATUSES.length * CHARGES.length * COUNTS.length ** 2);
  });

  it('answers drip-feeds and subscriptions as presentOrderStatus does', () => {
    const views: OrderStatusView[] = [
      {
        kind: 'dripfeed',
        status: 'in_progress',
        charge: 5n,
        startCount: 1,
        remains: 2,
        runs: 3,
        childIds: [4, 5],
      },
      ...SUBSCRIPTION_STATUSES.map((status): OrderStatusView => ({
        kind: 'subscription',
        status,
        expiry: status === 'active' ? null : '2026-12-31',
        posts: 2,
        childIds: [9],
        charge: 70n,
      })),
    ];
    for (const view of views) {
      expect(orderStatusJson(view, 'USD')).toBe(JSON.stringify(presentOrderStatus(view, 'USD')));
    }
  });
});
