import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { ProcessFleet, waitFor } from '../support/process-fleet.js';
import type { ClientLoad } from './client-load.js';
import {
  type FaultCounts,
  checkConsistency,
  formatCounts,
  openTarget,
  ordersInFlight,
} from './consistency.js';
import type { ProviderInstance } from './fault-panels.js';

/** A process of the run exited by itself. */
export class CrashError extends Error {}

/** A fault run's folder (databases and one log per process) and its fleet of processes. */
export class FaultRun {
  readonly dir: string;
  readonly fleet: ProcessFleet;
  private readonly started = Date.now();

  constructor(readonly label: string) {
    this.dir = mkdtempSync(join(tmpdir(), `smmkit-faults-${label}-`));
    this.fleet = new ProcessFleet(this.dir);
  }

  /** One line of the run's story in the log, with the seconds since it began. */
  step(message: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    console.log(`faults[${this.label}] +${seconds}s ${message}`);
  }

  /** Waits until the clients hold `more` acknowledged orders than now: the load goes on. */
  async loadProgresses(load: ClientLoad, more: number, timeoutMs = 60_000): Promise<void> {
    const target = load.acknowledgedCount + more;
    await waitFor(`${more} more acknowledged orders`, () => load.acknowledgedCount >= target, {
      timeoutMs,
      intervalMs: 50,
      guard: this.noCrash,
    });
  }

  /** Throws at once if a process exited on its own: a crash fails the run with its log, not a timeout. */
  readonly noCrash = (): void => {
    const crashed = this.fleet.unexpectedExits;
    if (crashed.length > 0) {
      const names = crashed.map((exit) => `${exit.name} (code ${String(exit.code)})`).join(', ');
      throw new CrashError(`crashed: ${names}\n${crashed.map((exit) => exit.logTail).join('\n---\n')}`);
    }
  };

  /**
   * Waits until no order is queued or submitting. An order whose worker was killed mid-call waits
   * for its lease to run out (SMMKIT_PROVIDER_TIMEOUT × 2 + 10 s = 20 s here) before it is resent.
   */
  async drain(databaseUrl: string, timeoutMs: number): Promise<void> {
    const db = openTarget(databaseUrl);
    try {
      let last = -1;
      await waitFor(
        'every order to be sent, refused or in review',
        async () => {
          const left = await ordersInFlight(db);
          if (left !== last) this.step(`drain: ${left} orders queued or submitting`);
          last = left;
          return left === 0;
        },
        { timeoutMs, intervalMs: 1000, guard: this.noCrash },
      );
    } finally {
      await db.close();
    }
  }

  /** Checks both panels, prints the counts line, then asserts every invariant. */
  async check(
    resellerUrl: string,
    provider: ProviderInstance,
    load: ClientLoad,
    expectations: { resentAtLeast: number },
  ): Promise<FaultCounts> {
    let reseller: Database | undefined;
    let upstream: Database | undefined;
    let counts: FaultCounts;
    try {
      reseller = openTarget(resellerUrl);
      upstream = openTarget(provider.databaseUrl);
      counts = await checkConsistency(reseller, upstream, provider.resellerUsername, {
        acknowledged: load.acknowledged,
        unacknowledged: load.counts.unacknowledged,
      });
    } finally {
      await reseller?.close();
      await upstream?.close();
    }
    console.log(formatCounts(this.label, counts));
    const { counts: seen } = load;
    console.log(
      `faults[${this.label}]: clients adds_tried=${seen.addsTried} retried_adds=${seen.retriedAdds} ` +
        `status_ok=${seen.statusOk} status_failed=${seen.statusFailed} status_missing=${seen.statusMissing} ` +
        `replay_mismatches=${seen.replayMismatches} provider_adds_seen=${provider.proxy.adds} ` +
        `crashes=${this.fleet.unexpectedExits.length} worker_job_failures=${this.countLogged('worker job failed')} ` +
        `failures_without_reason=${this.failuresWithoutReason().length}`,
    );

    expect(this.fleet.unexpectedExits, 'no process may exit on its own').toEqual([]);
    expect(seen.unexpectedErrors, 'API errors outside faults').toEqual([]);
    expect(this.failuresWithoutReason(), 'every failure logged says what failed').toEqual([]);
    expect(counts.acknowledged).toBeGreaterThan(0);
    expect(counts.found, 'every acknowledged order id exists').toBe(counts.acknowledged);
    expect(seen.statusMissing, 'no acknowledged order answered "Incorrect order ID"').toBe(0);
    expect(seen.replayMismatches, 'a retried request_id answers the same order').toBe(0);
    expect(counts.duplicates, 'no order sent to the provider twice').toBe(0);
    expect(counts.unlinkedUpstream, 'every provider order is linked to a reseller order').toBe(0);
    expect(counts.upstreamSubmissions, 'one provider order per sent reseller order').toBe(counts.sent);
    expect(counts.requestIdMismatches, 'each reseller request_id names its own provider order').toBe(0);
    expect(counts.stuck, 'nothing queued or submitting').toBe(0);
    expect(counts.reviewWithoutReason, 'every order in review has a reason').toBe(0);
    expect(counts.ledgerDifference, 'reseller balances equal ledger sums').toBe(0n);
    expect(counts.providerLedgerDifference, 'provider balances equal ledger sums').toBe(0n);
    expect(counts.negativeBalances, 'no negative balance').toBe(0);
    expect(counts.resent, 'orders caught by a kill mid-dispatch were resent').toBeGreaterThanOrEqual(
      expectations.resentAtLeast,
    );
    return counts;
  }

  /** Lines containing `text` in every process's log (each run of a job that failed is logged once). */
  countLogged(text: string): number {
    return this.fleet.all.reduce(
      (sum, process) =>
        sum +
        process
          .log()
          .split('\n')
          .filter((line) => line.includes(text)).length,
      0,
    );
  }

  /** Logged errors (JSON lines of serve and worker) whose `err` carries no message. */
  failuresWithoutReason(): string[] {
    const found: string[] = [];
    for (const process of this.fleet.all) {
      for (const line of process.log().split('\n')) {
        if (!line.startsWith('{') || !line.includes('"err"')) continue;
        try {
          const entry = JSON.parse(line) as { err?: { message?: unknown } };
          if (typeof entry.err?.message !== 'string' || entry.err.message === '') {
            found.push(`${process.spec.name}: ${line}`);
          }
        } catch {
          // Not one JSON object (a crash's stack trace): the crash check reports those.
        }
      }
    }
    return found;
  }

  /** Stops every process; keeps the folder (logs) when the run failed, for the report. */
  async close(failed: boolean): Promise<void> {
    await this.fleet.stopAll();
    if (failed) console.log(`faults[${this.label}]: logs and databases kept in ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}
