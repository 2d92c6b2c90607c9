import type { AnyOrderStatus, DripFeedOrderStatus, ItemError, SubscriptionStatus } from './types.js';

/** Tells a per-id failure in a multi-id answer from a result. */
export function isItemError(value: unknown): value is ItemError {
  return typeof value === 'object' && value !== null && 'error' in value && typeof value.error === 'string';
}

/** A subscription's status has no `start_count`: it is a series of orders, not one. */
export function isSubscriptionStatus(status: AnyOrderStatus): status is SubscriptionStatus {
  return !('start_count' in status);
}

export function isDripFeedStatus(status: AnyOrderStatus): status is DripFeedOrderStatus {
  return 'start_count' in status && 'runs' in status;
}
