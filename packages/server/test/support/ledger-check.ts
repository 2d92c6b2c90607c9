import { afterEach, expect } from 'vitest';
import { findKeptTotalMismatches } from '../../src/store/kept-totals-check.js';
import { findLedgerMismatches } from '../../src/store/ledger.js';
import { openPanels } from './test-panel.js';

/**
 * After every integration test: every balance equals the sum of its ledger entries and none is
 * negative, unless a chargeback (a paid-in deposit refunded or disputed at its gateway) made it so;
 * and the kept totals (order counts, day totals, the ledger by kind: migrations 0024, 0026, 0029)
 * equal a scan, folded or not. Registered for the integration projects as a setup file, so no test
 * can forget it.
 */
afterEach(async () => {
  for (const panel of openPanels) {
    const mismatches = await findLedgerMismatches(panel.db);
    expect(mismatches, 'balances must equal ledger sums and never be negative but by a chargeback').toEqual(
      [],
    );
    expect(await findKeptTotalMismatches(panel.db), 'kept totals must equal a scan').toEqual([]);
  }
});
