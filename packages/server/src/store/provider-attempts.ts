import { DISPATCHABLE_STATUSES } from '../domain/dispatch.js';
import { type AttemptOutcome, readAttemptOutcome } from '../domain/failover.js';
import type { Money } from '../domain/money.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, sql, sqlByDialect, sqlList } from './database.js';
import { enters, leaves } from './dispatch-claims.js';
import type { ProviderLink } from './service-fallbacks.js';

/**
 * An order's provider history: every attempt to hand it to a provider, and every move to the next
 * one (failover). The move itself is a compare-and-set on the order's provider and dispatch state,
 * so two workers (or a worker and an admin) never move one order twice.
 */
export interface ProviderAttempt {
  readonly id: number;
  readonly orderId: number;
  readonly providerId: number;
  readonly providerServiceId: string;
  readonly outcome: AttemptOutcome;
  readonly reason: string | null;
  readonly providerOrderId: string | null;
  /** Where the order went after this attempt (null: it stayed). */
  readonly movedTo: ProviderLink | null;
  readonly createdAt: number;
}

export interface NewProviderAttempt {
  readonly orderId: number;
  readonly providerId: number;
  readonly providerServiceId: string;
  readonly outcome: AttemptOutcome;
  readonly reason: string | null;
  readonly providerOrderId?: string | null;
  readonly movedTo?: ProviderLink | null;
  readonly now: number;
}

interface ProviderAttemptRow {
  id: bigint;
  order_id: bigint;
  provider_id: bigint;
  provider_service_id: string;
  outcome: string;
  reason: string | null;
  provider_order_id: string | null;
  moved_to_provider_id: bigint | null;
  moved_to_service_id: string | null;
  created_at: bigint;
}

function toProviderAttempt(row: ProviderAttemptRow): ProviderAttempt {
  const movedTo = numberOrNull(row.moved_to_provider_id);
  return {
    id: Number(row.id),
    orderId: Number(row.order_id),
    providerId: Number(row.provider_id),
    providerServiceId: row.provider_service_id,
    outcome: readAttemptOutcome(row.outcome),
    reason: row.reason,
    providerOrderId: row.provider_order_id,
    movedTo:
      movedTo === null || row.moved_to_service_id === null
        ? null
        : { providerId: movedTo, providerServiceId: row.moved_to_service_id },
    createdAt: Number(row.created_at),
  };
}

const insertAttemptSql = sql(
  `INSERT INTO order_provider_attempts (order_id, provider_id, provider_service_id, outcome, reason,
     provider_order_id, moved_to_provider_id, moved_to_service_id, created_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
// Accepted attempts of many orders at once: one JSON array parameter of
// {orderId, providerId, providerServiceId, providerOrderId}.
const insertAcceptedAttemptsSql = sqlByDialect({
  sqlite: `INSERT INTO order_provider_attempts (order_id, provider_id, provider_service_id, outcome, reason,
     provider_order_id, moved_to_provider_id, moved_to_service_id, created_at)
   SELECT json_extract(value, '$.orderId'), json_extract(value, '$.providerId'),
     json_extract(value, '$.providerServiceId'), 'accepted', NULL, json_extract(value, '$.providerOrderId'), NULL,
     NULL, ?
   FROM json_each(?)`,
  postgres: `INSERT INTO order_provider_attempts (order_id, provider_id, provider_service_id, outcome, reason,
     provider_order_id, moved_to_provider_id, moved_to_service_id, created_at)
   SELECT v."orderId", v."providerId", v."providerServiceId", 'accepted', NULL, v."providerOrderId", NULL, NULL, ?
   FROM json_to_recordset(?::json)
     AS v("orderId" bigint, "providerId" bigint, "providerServiceId" text, "providerOrderId" text)`,
});
const selectAttemptsSql = sql(
  `SELECT id, order_id, provider_id, provider_service_id, outcome, reason, provider_order_id,
     moved_to_provider_id, moved_to_service_id, created_at
   FROM order_provider_attempts WHERE order_id = ? ORDER BY id`,
);
const selectMovedAwaySql = sql(
  `SELECT provider_id, provider_service_id FROM order_provider_attempts
   WHERE order_id = ? AND moved_to_provider_id IS NOT NULL`,
);
const selectFailoverOrderSql = sql(
  `SELECT id, service_id, charge, quantity, provider_id, provider_service_id FROM orders WHERE id = ?`,
);
const DISPATCHABLE = sqlList(DISPATCHABLE_STATUSES);
const moveSql = sql(
  `UPDATE orders SET provider_id = ?, provider_service_id = ?, dispatch_state = ${enters('failover')},
     dispatch_attempts = 0, dispatch_after = ?, dispatch_error = ?, dispatch_lease_until = NULL, updated_at = ?
   WHERE id = ? AND provider_id = ? AND provider_service_id = ? AND dispatch_state = ?
     AND ${leaves('dispatch_state', 'failover')} AND provider_order_id IS NULL AND status IN (${DISPATCHABLE})`,
);
// Queued orders waiting at a paused provider whose service names backups, not looked at yet for
// this provider (an order with nowhere to go keeps a 'provider-paused' attempt and waits).
const selectStrandedSql = sql(
  `SELECT o.id FROM orders o JOIN providers p ON p.id = o.provider_id
   WHERE o.dispatch_state = 'queued' AND o.status IN (${DISPATCHABLE}) AND p.paused_until > ?
     AND EXISTS (SELECT 1 FROM service_fallbacks f WHERE f.service_id = o.service_id)
     AND NOT EXISTS (SELECT 1 FROM order_provider_attempts a WHERE a.order_id = o.id
       AND a.provider_id = o.provider_id AND a.provider_service_id = o.provider_service_id
       AND a.outcome = 'provider-paused')
   ORDER BY o.id LIMIT ?`,
);

export async function insertProviderAttempt(q: Queryable, attempt: NewProviderAttempt): Promise<void> {
  await q.run(insertAttemptSql, [
    attempt.orderId,
    attempt.providerId,
    attempt.providerServiceId,
    attempt.outcome,
    attempt.reason,
    attempt.providerOrderId ?? null,
    attempt.movedTo?.providerId ?? null,
    attempt.movedTo?.providerServiceId ?? null,
    attempt.now,
  ]);
}

/** The accepted attempts of many orders (a dispatch batch), in one statement. */
export async function insertAcceptedAttempts(
  q: Queryable,
  accepted: readonly {
    orderId: number;
    providerId: number;
    providerServiceId: string;
    providerOrderId: string;
  }[],
  now: number,
): Promise<void> {
  if (accepted.length === 0) return;
  await q.run(insertAcceptedAttemptsSql, [now, JSON.stringify(accepted)]);
}

/** An order's provider history, oldest first. */
export async function findProviderAttempts(q: Queryable, orderId: number): Promise<ProviderAttempt[]> {
  return (await q.all<ProviderAttemptRow>(selectAttemptsSql, [orderId])).map(toProviderAttempt);
}

/** What failover needs to know about an order. */
export interface FailoverOrder {
  readonly id: number;
  readonly serviceId: number;
  readonly charge: Money;
  readonly quantity: number;
  readonly current: ProviderLink | null;
  /** The provider services it moved away from: never tried again. */
  readonly movedAway: readonly ProviderLink[];
}

export async function findFailoverOrder(q: Queryable, orderId: number): Promise<FailoverOrder | undefined> {
  const row = await q.get<{
    id: bigint;
    service_id: bigint;
    charge: bigint;
    quantity: bigint;
    provider_id: bigint | null;
    provider_service_id: string | null;
  }>(selectFailoverOrderSql, [orderId]);
  if (!row) return undefined;
  const movedAway = await q.all<{ provider_id: bigint; provider_service_id: string }>(selectMovedAwaySql, [
    orderId,
  ]);
  return {
    id: Number(row.id),
    serviceId: Number(row.service_id),
    charge: row.charge,
    quantity: Number(row.quantity),
    current:
      row.provider_id === null || row.provider_service_id === null
        ? null
        : { providerId: Number(row.provider_id), providerServiceId: row.provider_service_id },
    movedAway: movedAway.map((m) => ({
      providerId: Number(m.provider_id),
      providerServiceId: m.provider_service_id,
    })),
  };
}

/**
 * Moves an order to another provider, queued to be sent there now: a compare-and-set on its
 * provider and dispatch state (`from`), so only one of any racing workers moves it. Resolves to
 * whether this call moved it.
 */
export async function moveOrderToProvider(
  q: Queryable,
  move: {
    id: number;
    from: { link: ProviderLink; state: 'submitting' | 'queued' };
    to: ProviderLink;
    reason: string;
    now: number;
  },
): Promise<boolean> {
  const changed = await q.run(moveSql, [
    move.to.providerId,
    move.to.providerServiceId,
    move.now,
    move.reason,
    move.now,
    move.id,
    move.from.link.providerId,
    move.from.link.providerServiceId,
    move.from.state,
  ]);
  return changed === 1;
}

/** Queued orders stranded at a paused provider that a backup might take. */
export async function findStrandedOrders(q: Queryable, now: number, limit: number): Promise<number[]> {
  return (await q.all<{ id: bigint }>(selectStrandedSql, [now, limit])).map((row) => Number(row.id));
}
