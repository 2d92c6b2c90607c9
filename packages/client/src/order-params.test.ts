import { describe, expect, it } from 'vitest';
import type { AddOrderParams } from './order-params.js';
import { SUBSCRIPTION_DELAYS } from './order-params.js';
import { SERVICE_TYPES } from './types.js';

// Compile-time checks, verified by `tsc -p tsconfig.tests.json`: each line must be rejected.
export const rejectedByTheTypes: AddOrderParams[] = [
  // @ts-expect-error a Poll has no username
  { type: 'Poll', service: 1, link: 'l', quantity: 100, answerNumber: 1, username: 'x' },
  // @ts-expect-error Custom Comments take no quantity: it is the number of comments
  { type: 'Custom Comments', service: 1, link: 'l', quantity: 5, comments: ['a'] },
  // @ts-expect-error 25 is not a delay subscriptions accept
  { type: 'Subscriptions', service: 1, username: 'u', min: 1, max: 2, delay: 25 },
  // @ts-expect-error the service type is required, so the parameter set is never guessed
  { service: 1, link: 'l', quantity: 100 },
];

describe('order parameter constants', () => {
  it('lists the 16 service types of API_V2.md', () => {
    expect(SERVICE_TYPES).toHaveLength(16);
    expect(new Set(SERVICE_TYPES).size).toBe(16);
  });

  it('lists the subscription delays of the API page', () => {
    expect(SUBSCRIPTION_DELAYS).toEqual([
      0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600,
    ]);
  });
});
