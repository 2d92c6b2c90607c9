import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REFILL_STATUSES, refillStatusLabel } from '../../domain/order-status.js';
import type { RefillStatusEntry } from '../../app/refills/get-refill-statuses.js';
import { refillStatusesJson } from './refill-actions.js';

/** The answer as JSON.stringify writes it: the definition the hand-built text must match. */
const reference = (entries: readonly RefillStatusEntry[]): string =>
  JSON.stringify(
    entries.map(({ key, refillId, status }) => ({
      refill: refillId ?? key,
      status: status === null ? { error: 'Refill not found' } : refillStatusLabel(status),
    })),
  );

const entry = fc.record({
  key: fc.string(),
  refillId: fc.option(fc.integer({ min: 1, max: 999_999_999_999_999 }), { nil: null }),
  status: fc.option(fc.constantFrom(...REFILL_STATUSES), { nil: null }),
});

describe('refill_status with refills: the answer text', () => {
  it('is byte for byte JSON.stringify of the entries', () => {
    expect(
      refillStatusesJson([
        { key: '7', refillId: 7, status: 'completed' },
        { key: '08', refillId: 8, status: 'in_progress' },
        { key: 'x"\\\u2028', refillId: null, status: null },
        { key: '9', refillId: 9, status: null },
      ]),
    ).toBe(
      '[{"refill":7,"status":"Completed"},{"refill":8,"status":"In progress"},' +
        '{"refill":"x\\"\\\\\u2028","status":{"error":"Refill not found"}},{"refill":9,"status":{"error":"Refill not found"}}]',
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 100 }), (entries) => {
        expect(refillStatusesJson(entries)).toBe(reference(entries));
      }),
    );
  });
});
