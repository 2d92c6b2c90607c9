import { afterEach, expect } from 'vitest';
import { findLedgerMismatches } from '../../src/store/ledger.js';
import { openPanels } from './test-panel.js';

/**
 * After every integration test: every balance equals the sum of its ledger entries and none is
 * negative, unless a chargeback (a paid-in deposit refunded or disputed at its gateway) made it so. Registered for the integration projects as a setup file, so no test can forget it.
 */
afterEach(async () => {
  for (const panel of openPanels) {
    const mismatches = await findLedgerMismatches(panel.db);
    expect(mismatches, 'balances must equal ledger sums and never be negative but by a chargeback').toEqual(
      [],
    );
  }
});
