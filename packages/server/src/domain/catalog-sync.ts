import { readStoredValue } from './stored-value.js';

/** What a scheduled catalogue sync does when a provider's rate moves. */
export const FOLLOW_PRICES = ['keep-markup', 'notify', 'off'] as const;
export type FollowPrices = (typeof FOLLOW_PRICES)[number];
/** What it does when the provider no longer offers a service. */
export const ON_REMOVED = ['disable', 'notify'] as const;
export type OnRemoved = (typeof ON_REMOVED)[number];

/** A scheduled sync runs at most this often: a provider's `services` answer is large. */
export const MIN_SYNC_EVERY_MS = 10_000;
const MAX_SYNC_EVERY_MS = 30 * 24 * 60 * 60_000;
const UNIT_MS = { s: 1_000, m: 60_000, h: 60 * 60_000, d: 24 * 60 * 60_000 } as const;

/**
 * `--sync-every`: `30s`, `15m`, `1h`, `1d` (a whole number and a unit) or `off` (null). Anything
 * else, under 10 seconds, or over 30 days is refused with the reason.
 */
export function parseSyncEvery(
  text: string,
): { ok: true; ms: number | null } | { ok: false; reason: string } {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off') return { ok: true, ms: null };
  const match = /^(\d{1,7})([smhd])$/.exec(trimmed);
  if (!match) return { ok: false, reason: 'a whole number with s, m, h or d (30s, 15m, 1h), or off' };
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms < MIN_SYNC_EVERY_MS) return { ok: false, reason: 'at least 10s' };
  if (ms > MAX_SYNC_EVERY_MS) return { ok: false, reason: 'at most 30d' };
  return { ok: true, ms };
}

/** `30s`, `15m`, `1h`: the largest unit that divides it. */
export function formatSyncEvery(ms: number | null): string {
  if (ms === null) return 'off';
  for (const unit of ['d', 'h', 'm'] as const)
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}

export function isFollowPrices(text: string): text is FollowPrices {
  return (FOLLOW_PRICES as readonly string[]).includes(text);
}
export function isOnRemoved(text: string): text is OnRemoved {
  return (ON_REMOVED as readonly string[]).includes(text);
}
export function readFollowPrices(stored: string): FollowPrices {
  return readStoredValue(FOLLOW_PRICES, stored, 'follow-prices policy');
}
export function readOnRemoved(stored: string): OnRemoved {
  return readStoredValue(ON_REMOVED, stored, 'on-removed policy');
}
