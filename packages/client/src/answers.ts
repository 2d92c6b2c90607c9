/**
 * Readers turning a parsed JSON answer into the typed result of each action. They build new
 * objects with only the contract's fields, so what callers get matches the declared types even
 * when a panel adds fields of its own.
 */
import { isItemError } from './guards.js';
import {
  ShapeMismatch,
  array,
  boolean,
  integer,
  integerList,
  numericText,
  optional,
  path,
  record,
  text,
} from './json-shape.js';
import type {
  AddOrderResult,
  AnyOrderStatus,
  Balance,
  CancelItem,
  ItemError,
  OrderStatuses,
  RefillItem,
  RefillResult,
  RefillStatusItem,
  RefillStatusResult,
  Service,
} from './types.js';

export function readServices(answer: unknown): Service[] {
  return array(answer, '').map((item, index) => {
    const at = path('', index);
    const fields = record(item, at);
    const service: Service = {
      service: integer(fields.service, path(at, 'service')),
      name: text(fields.name, path(at, 'name')),
      type: text(fields.type, path(at, 'type')),
      category: text(fields.category, path(at, 'category')),
      rate: numericText(fields.rate, path(at, 'rate')),
      min: numericText(fields.min, path(at, 'min')),
      max: numericText(fields.max, path(at, 'max')),
      refill: boolean(fields.refill, path(at, 'refill')),
      cancel: boolean(fields.cancel, path(at, 'cancel')),
    };
    const dripfeed = optional(fields.dripfeed, path(at, 'dripfeed'), boolean);
    if (dripfeed !== undefined) service.dripfeed = dripfeed;
    const desc = optional(fields.desc, path(at, 'desc'), text);
    if (desc !== undefined) service.desc = desc;
    return service;
  });
}

export function readAddOrder(answer: unknown): AddOrderResult {
  return { order: integer(record(answer, '').order, 'order') };
}

export function readOrderStatus(answer: unknown, at = ''): AnyOrderStatus {
  const fields = record(answer, at);
  if ('start_count' in fields) {
    const status = {
      charge: numericText(fields.charge, path(at, 'charge')),
      start_count: numericText(fields.start_count, path(at, 'start_count')),
      // Some panels answer numeric status codes (`"status": 2`): kept as text for the caller to map.
      status: numericText(fields.status, path(at, 'status')),
      remains: numericText(fields.remains, path(at, 'remains')),
      currency: text(fields.currency, path(at, 'currency')),
    };
    if (fields.runs === undefined && fields.orders === undefined) return status;
    return {
      ...status,
      runs: numericText(fields.runs, path(at, 'runs')),
      orders: integerList(fields.orders, path(at, 'orders')),
    };
  }
  if ('posts' in fields || 'expiry' in fields) {
    return {
      status: text(fields.status, path(at, 'status')),
      expiry: fields.expiry === null ? null : text(fields.expiry, path(at, 'expiry')),
      posts: numericText(fields.posts, path(at, 'posts')),
      orders: integerList(fields.orders, path(at, 'orders')),
      charge: numericText(fields.charge, path(at, 'charge')),
      currency: text(fields.currency, path(at, 'currency')),
    };
  }
  throw new ShapeMismatch(`expected an order or subscription status${at === '' ? '' : ` at ${at}`}`);
}

export function readOrderStatuses(answer: unknown): OrderStatuses {
  // PHP's json_encode writes an empty associative array as `[]`.
  if (Array.isArray(answer) && answer.length === 0) return {};
  const result: OrderStatuses = {};
  for (const [id, item] of Object.entries(record(answer, ''))) {
    result[id] = isItemError(item) ? itemError(item) : readStatusItem(item, id);
  }
  return result;
}

/**
 * One entry of a multi-status answer. An entry this client cannot read becomes an item error that
 * says so, instead of failing the whole answer: the other entries are still good.
 */
function readStatusItem(item: unknown, id: string): AnyOrderStatus | ItemError {
  try {
    return readOrderStatus(item, path('', id));
  } catch (error) {
    if (error instanceof ShapeMismatch) return { error: `Unreadable status: ${error.message}` };
    throw error;
  }
}

export function readRefill(answer: unknown): RefillResult {
  return { refill: numericText(record(answer, '').refill, 'refill') };
}

export function readRefills(answer: unknown): RefillItem[] {
  return array(answer, '').map((item, index) => {
    const at = path('', index);
    const fields = record(item, at);
    return {
      order: integer(fields.order, path(at, 'order')),
      refill: isItemError(fields.refill)
        ? itemError(fields.refill)
        : integer(fields.refill, path(at, 'refill')),
    };
  });
}

export function readRefillStatus(answer: unknown): RefillStatusResult {
  return { status: text(record(answer, '').status, 'status') };
}

export function readRefillStatuses(answer: unknown): RefillStatusItem[] {
  return array(answer, '').map((item, index) => {
    const at = path('', index);
    const fields = record(item, at);
    return {
      refill: integer(fields.refill, path(at, 'refill')),
      status: isItemError(fields.status) ? itemError(fields.status) : text(fields.status, path(at, 'status')),
    };
  });
}

export function readCancels(answer: unknown): CancelItem[] {
  return array(answer, '').map((item, index) => {
    const at = path('', index);
    const fields = record(item, at);
    return {
      order: integer(fields.order, path(at, 'order')),
      cancel: isItemError(fields.cancel)
        ? itemError(fields.cancel)
        : integer(fields.cancel, path(at, 'cancel')),
    };
  });
}

export function readBalance(answer: unknown): Balance {
  const fields = record(answer, '');
  return {
    balance: numericText(fields.balance, 'balance'),
    currency: text(fields.currency, 'currency'),
  };
}

function itemError(value: ItemError): ItemError {
  return { error: value.error };
}
