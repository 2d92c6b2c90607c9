import {
  readAddOrder,
  readBalance,
  readCancels,
  readOrderStatus,
  readOrderStatuses,
  readRefill,
  readRefillStatus,
  readRefillStatuses,
  readRefills,
  readServices,
} from './answers.js';
import { SmmResponseError } from './errors.js';
import { ShapeMismatch } from './json-shape.js';
import { addOrderFields } from './order-params.js';
import type { AddOrderParams, FormFields } from './order-params.js';
import { sleepWithTimer, withRetries } from './retry-policy.js';
import type { RetrySettings, Sleep } from './retry-policy.js';
import { sendAction } from './transport.js';
import type { FetchFunction, TransportSettings } from './transport.js';
import type {
  AddOrderResult,
  AnyOrderStatus,
  Balance,
  CancelItem,
  OrderStatuses,
  RefillItem,
  RefillResult,
  RefillStatusItem,
  RefillStatusResult,
  Service,
} from './types.js';

export interface SmmApiClientOptions {
  /** The panel's API endpoint, e.g. `https://panel.example/api/v2`. */
  url: string | URL;
  key: string;
  /** Per attempt, covering connection, request and the whole answer. Default 30000. */
  timeoutMs?: number;
  /** Automatic retries after the first attempt, for the calls where that is safe. Default 2. */
  retries?: number;
  /** Defaults to the global `fetch`. */
  fetch?: FetchFunction;
  /**
   * Sent as `User-Agent`. None by default: in browsers a custom `User-Agent` turns the request
   * into one that needs a CORS preflight, which panels rarely answer.
   */
  userAgent?: string;
  /** Wait before the first retry, doubled for each further one. Default 250. */
  retryBaseDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown. Default 10000. */
  maxRetryAfterMs?: number;
  /** How to wait between retries; replace it in tests. */
  sleep?: Sleep;
}

/**
 * Whether a failed call may be repeated automatically. `add`, `refill` and `cancel` change
 * something on the panel; after a timeout, a dropped connection or a 5xx the client cannot know
 * whether the panel already did it, and a blind repeat could place a second order, charge twice
 * or file a second refill. Reads have no such risk. `add` becomes safe with a `requestId`, because
 * the panel then answers a repeat with the first order instead of creating another.
 */
type RetryMode = 'retry' | 'once';

/**
 * Client for the standard SMM panel API v2, as implemented by smmkit and by the panels whose
 * reseller API uses the same `key` + `action` form requests.
 *
 * Every method either resolves with the answer, typed as in the contract, or rejects with one of
 * the `Smm*Error` classes. In the multi-id methods, a failure for one id is a value in the result
 * (`{ error }`, see `isItemError`), not a rejection.
 */
export class SmmApiClient {
  readonly #transport: TransportSettings;
  readonly #retry: RetrySettings;

  constructor(options: SmmApiClientOptions) {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const retries = options.retries ?? 2;
    // Timers fire at once past 2^31-1 ms, which would turn a long timeout into none.
    if (!(timeoutMs > 0 && timeoutMs <= 2 ** 31 - 1)) {
      throw new RangeError('timeoutMs must be between 1 and 2147483647');
    }
    if (!Number.isInteger(retries) || retries < 0) throw new RangeError('retries must be an integer >= 0');
    if (typeof options.key !== 'string' || options.key === '') {
      throw new TypeError('key must be a non-empty string');
    }

    this.#transport = {
      // Parsing here makes a malformed URL fail at construction rather than on the first call;
      // the page's address lets a panel's own front end pass a relative `/api/v2`.
      url: new URL(options.url, typeof location === 'undefined' ? undefined : location.href).href,
      key: options.key,
      timeoutMs,
      fetch: options.fetch ?? defaultFetch(),
      userAgent: options.userAgent,
    };
    this.#retry = {
      retries,
      baseDelayMs: options.retryBaseDelayMs ?? 250,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 10_000,
      sleep: options.sleep ?? sleepWithTimer,
    };
  }

  /** All services available to this key, with this user's rates. */
  async services(): Promise<Service[]> {
    return this.#call('services', [], 'retry', readServices);
  }

  /**
   * Places an order. Retried automatically only when `params.requestId` is set; without it, a
   * timeout or 5xx leaves the outcome unknown (see `isOutcomeUnknown`) and is thrown at once.
   */
  async add(params: AddOrderParams): Promise<AddOrderResult> {
    const mode = params.requestId === undefined ? 'once' : 'retry';
    return this.#call('add', addOrderFields(params), mode, readAddOrder);
  }

  /** Status of one order, drip-feed parent or subscription; tell them apart with the type guards. */
  async status(orderId: number): Promise<AnyOrderStatus> {
    return this.#call('status', [['order', String(orderId)]], 'retry', readOrderStatus);
  }

  /** Status of up to 100 orders, keyed by id; an unknown id maps to `{ error }`. */
  async statuses(orderIds: readonly number[]): Promise<OrderStatuses> {
    return this.#call('status', [['orders', orderIds.join(',')]], 'retry', readOrderStatuses);
  }

  /** Requests a refill of one order. Never retried automatically. */
  async refill(orderId: number): Promise<RefillResult> {
    return this.#call('refill', [['order', String(orderId)]], 'once', readRefill);
  }

  /** Requests refills of up to 100 orders. Never retried automatically. */
  async refills(orderIds: readonly number[]): Promise<RefillItem[]> {
    return this.#call('refill', [['orders', orderIds.join(',')]], 'once', readRefills);
  }

  async refillStatus(refillId: number): Promise<RefillStatusResult> {
    return this.#call('refill_status', [['refill', String(refillId)]], 'retry', readRefillStatus);
  }

  /** Status of up to 100 refills, in the order asked; an unknown id has `status: { error }`. */
  async refillStatuses(refillIds: readonly number[]): Promise<RefillStatusItem[]> {
    return this.#call('refill_status', [['refills', refillIds.join(',')]], 'retry', readRefillStatuses);
  }

  /** Asks to cancel up to 100 orders. Never retried automatically. */
  async cancel(orderIds: readonly number[]): Promise<CancelItem[]> {
    return this.#call('cancel', [['orders', orderIds.join(',')]], 'once', readCancels);
  }

  async balance(): Promise<Balance> {
    return this.#call('balance', [], 'retry', readBalance);
  }

  async #call<T>(
    action: string,
    parameters: FormFields,
    mode: RetryMode,
    read: (json: unknown) => T,
  ): Promise<T> {
    const send = () => sendAction(this.#transport, action, parameters);
    const answer = mode === 'retry' ? await withRetries(send, this.#retry) : await send();
    try {
      return read(answer.json);
    } catch (error) {
      if (error instanceof ShapeMismatch) {
        throw new SmmResponseError(action, error.message, answer.text, answer.status);
      }
      throw error;
    }
  }
}

function defaultFetch(): FetchFunction {
  if (typeof globalThis.fetch !== 'function') {
    throw new TypeError('No global fetch in this environment: pass options.fetch');
  }
  return globalThis.fetch;
}
