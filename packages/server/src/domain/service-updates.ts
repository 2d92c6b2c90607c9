import { SERVICE_UPDATE_KINDS } from '@smmkit/contract/service-update-kinds';
import { readStoredValue } from './stored-value.js';

/**
 * Service updates: the catalogue changes a customer would care about, recorded whichever path
 * made them (an admin's edit, an import, `provider sync`, a scheduled sync) and listed on the
 * client area's Updates page, newest first.
 */
export { SERVICE_UPDATE_KINDS };
export type ServiceUpdateKind = (typeof SERVICE_UPDATE_KINDS)[number];

/** Which path changed the catalogue (kept for the admin; customers see the change only). */
export const SERVICE_UPDATE_SOURCES = ['admin', 'import', 'sync'] as const;
export type ServiceUpdateSource = (typeof SERVICE_UPDATE_SOURCES)[number];

/** The part of a service a customer sees change: its price per 1000, its quantity bounds, whether it is on sale. */
export interface ServiceTerms {
  readonly rate: bigint;
  readonly min: number;
  readonly max: number;
  readonly enabled: boolean;
}

/** One change: old and new as stored (a rate in money units, a bound as a count); null where it has none. */
export interface ServiceTermsChange {
  readonly kind: ServiceUpdateKind;
  readonly old: bigint | null;
  readonly new: bigint | null;
}

/**
 * What a customer would see change between two states of a service (`before` null: it was just
 * created). A service nobody could order before or after (disabled in both) changes nothing a
 * customer sees; one created disabled is announced when it is enabled. `new` and `enabled` carry
 * the price; a service enabled again with new terms lists them after `enabled`.
 */
export function serviceTermsChanges(before: ServiceTerms | null, after: ServiceTerms): ServiceTermsChange[] {
  if (before === null) return after.enabled ? [{ kind: 'new', old: null, new: after.rate }] : [];
  if (!before.enabled && !after.enabled) return [];
  const changes: ServiceTermsChange[] = [];
  if (before.enabled && !after.enabled) return [{ kind: 'disabled', old: null, new: null }];
  if (!before.enabled && after.enabled) changes.push({ kind: 'enabled', old: null, new: after.rate });
  if (after.rate !== before.rate) {
    changes.push({
      kind: after.rate > before.rate ? 'price_up' : 'price_down',
      old: before.rate,
      new: after.rate,
    });
  }
  if (after.min !== before.min) {
    changes.push({ kind: 'min_changed', old: BigInt(before.min), new: BigInt(after.min) });
  }
  if (after.max !== before.max) {
    changes.push({ kind: 'max_changed', old: BigInt(before.max), new: BigInt(after.max) });
  }
  return changes;
}

export function readServiceUpdateKind(stored: string): ServiceUpdateKind {
  return readStoredValue(SERVICE_UPDATE_KINDS, stored, 'service update kind');
}
