import type { PanelSnapshot } from '../app/operations/read-panel-snapshot.js';
import {
  type CounterChild,
  Counter,
  Gauge,
  Histogram,
  type HistogramChild,
  Registry,
  type SampleValue,
} from './registry.js';
import { RuntimeMetrics } from './runtime-metrics.js';

/** How an API v2 request ended: a success, an API error (HTTP 200 with `error`), or an HTTP error status. */
export type ApiOutcome = 'ok' | 'api_error' | 'http_error';
export type JobOutcome = 'ok' | 'error';
/** How a call to a provider ended: answered, refused or failed clearly, or with no way to know (a timeout). */
export type ProviderCallOutcome = 'ok' | 'error' | 'unknown';

/** Recorded under this action: anything that is not an API v2 action, so clients cannot add label values. */
export const UNKNOWN_ACTION = 'unknown';

const API_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60];
const PROVIDER_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Ledger kinds shown even before their first entry. */
const LEDGER_KINDS = ['deposit', 'charge', 'refund', 'adjustment'];

interface ApiRecorders {
  readonly ok: CounterChild;
  readonly api_error: CounterChild;
  readonly http_error: CounterChild;
  readonly duration: HistogramChild;
}

/** The panel's metrics. One per process: nothing here is shared between nodes. */
export class PanelMetrics {
  private readonly registry = new Registry();
  private readonly apiRequests = this.registry.register(
    new Counter('smmkit_api_requests_total', 'API v2 requests by action and outcome.', ['action', 'outcome']),
  );
  private readonly apiDuration = this.registry.register(
    new Histogram(
      'smmkit_api_request_duration_seconds',
      'API v2 request duration by action.',
      ['action'],
      API_BUCKETS,
    ),
  );
  private readonly databaseUp = this.registry.register(
    new Gauge('smmkit_database_up', "1 when this scrape read the database's gauges, 0 when it could not."),
  );
  private readonly orders = this.registry.register(
    new Gauge('smmkit_orders', 'Orders by status.', ['status']),
  );
  private readonly ledgerTotal = this.registry.register(
    new Gauge('smmkit_ledger_balance_total', 'Sum of customer balances, in the panel currency.'),
  );
  private readonly jobRuns = this.registry.register(
    new Counter('smmkit_worker_job_runs_total', 'Worker job runs by job and outcome.', ['job', 'outcome']),
  );
  private readonly jobDuration = this.registry.register(
    new Histogram(
      'smmkit_worker_job_duration_seconds',
      'Worker job run duration by job.',
      ['job'],
      JOB_BUCKETS,
    ),
  );
  private readonly queueDepth = this.registry.register(
    new Gauge('smmkit_worker_queue_depth', 'Work queued for providers, by queue.', ['queue']),
  );
  private readonly awaitingReview = this.registry.register(
    new Gauge('smmkit_orders_awaiting_review', 'Orders whose provider outcome waits for an admin.'),
  );
  private readonly syncLag = this.registry.register(
    new Gauge('smmkit_sync_lag_seconds', 'Age of the oldest provider sync that is due; 0 when none is.'),
  );
  private readonly ledgerByKind = this.registry.register(
    new Gauge('smmkit_ledger_entries_sum', 'Sum of ledger entry amounts by kind, in the panel currency.', [
      'kind',
    ]),
  );
  private readonly providerCalls = this.registry.register(
    new Counter('smmkit_provider_calls_total', 'Calls to provider panels by provider, action and outcome.', [
      'provider',
      'action',
      'outcome',
    ]),
  );
  private readonly providerCallDuration = this.registry.register(
    new Histogram(
      'smmkit_provider_call_duration_seconds',
      'Provider call duration by provider and action.',
      ['provider', 'action'],
      PROVIDER_BUCKETS,
    ),
  );
  private readonly residentMemory = this.registry.register(
    new Gauge('process_resident_memory_bytes', 'Resident memory size in bytes.'),
  );

  private readonly api = new Map<string, ApiRecorders>();
  private readonly unknownApi: ApiRecorders;

  constructor(
    private readonly knownOrderStatuses: readonly string[] = [],
    private readonly readRss: () => number = () => process.memoryUsage.rss(),
    private readonly runtime: RuntimeMetrics = RuntimeMetrics.forProcess(),
  ) {
    this.unknownApi = this.apiRecorders(UNKNOWN_ACTION);
    runtime.register(this.registry);
  }

  private apiRecorders(action: string): ApiRecorders {
    return {
      ok: this.apiRequests.child(action, 'ok'),
      api_error: this.apiRequests.child(action, 'api_error'),
      http_error: this.apiRequests.child(action, 'http_error'),
      duration: this.apiDuration.child(action),
    };
  }

  /** Creates the series of these API actions up front; any other action is recorded as `unknown`. */
  registerApiActions(actions: readonly string[]): void {
    for (const action of actions) if (!this.api.has(action)) this.api.set(action, this.apiRecorders(action));
  }

  recordApiRequest(action: string | undefined, outcome: ApiOutcome, seconds: number): void {
    const recorders = (action === undefined ? undefined : this.api.get(action)) ?? this.unknownApi;
    recorders[outcome].inc();
    recorders.duration.observe(seconds);
  }

  /** The worker's run hook (see `Worker`): job names come from code, so they are a closed set. */
  readonly recordJobRun = (job: string, outcome: JobOutcome, seconds: number): void => {
    this.jobRuns.child(job, outcome).inc();
    this.jobDuration.child(job).observe(seconds);
  };

  /**
   * One call to a provider's API (`add`, `status`, `balance`…). Provider names come from the
   * panel's own table and actions from code, so the label sets stay small.
   */
  readonly observeProviderCall = (
    provider: string,
    action: string,
    outcome: ProviderCallOutcome,
    seconds: number,
  ): void => {
    this.providerCalls.child(provider, action, outcome).inc();
    this.providerCallDuration.child(provider, action).observe(seconds);
  };

  /**
   * The exposition text, with the database-backed gauges taken from `snapshot`. Null: the database
   * could not be read; those gauges are left out (not shown stale) and `smmkit_database_up` is 0, while
   * the process's own series (API requests and failures, jobs, runtime) are rendered as ever: a
   * database outage is when they matter most.
   */
  render(snapshot: PanelSnapshot | null): string {
    const fromDatabase = [this.orders, this.ledgerTotal, this.queueDepth, this.awaitingReview, this.syncLag];
    for (const gauge of [...fromDatabase, this.ledgerByKind]) gauge.reset();
    this.databaseUp.child().set(snapshot === null ? 0 : 1);
    if (snapshot !== null) {
      for (const status of this.knownOrderStatuses) this.orders.child(status).set(0);
      for (const [status, count] of snapshot.ordersByStatus) this.orders.child(status).set(count);
      this.ledgerTotal.child().set(snapshot.balanceTotal);
      this.queueDepth.child('orders').set(snapshot.queueDepth.orders);
      this.queueDepth.child('refills').set(snapshot.queueDepth.refills);
      this.queueDepth.child('cancel_requests').set(snapshot.queueDepth.cancelRequests);
      this.awaitingReview.child().set(snapshot.ordersAwaitingReview);
      this.syncLag.child().set(snapshot.syncLagSeconds);
      for (const kind of LEDGER_KINDS) this.ledgerByKind.child(kind).set('0.00000');
      for (const [kind, total] of snapshot.ledgerTotals) this.ledgerByKind.child(kind).set(total);
    }
    this.residentMemory.child().set(this.readRss() satisfies SampleValue);
    this.runtime.collect();
    return this.registry.render();
  }
}
