import { type Result, fail, ok } from '../../domain/errors.js';
import { parseId, parseIdList, validIds } from '../../domain/id-list.js';
import type { RefillStatus } from '../../domain/order-status.js';
import { findOwnRefill, findOwnRefillStatuses } from '../../store/refills.js';
import type { Context } from '../context.js';

/** `refill_status` with `refill`: another user's refill is indistinguishable from one that does not exist. */
export async function getRefillStatus(
  ctx: Context,
  userId: number,
  refillText: string | undefined,
): Promise<Result<RefillStatus>> {
  const id = parseId(refillText);
  const refill = id === null ? undefined : await findOwnRefill(ctx.db, userId, id);
  return refill ? ok(refill.status) : fail({ code: 'REFILL_NOT_FOUND' });
}

/** One entry per distinct requested id, in request order; status null: not found (or not the caller's). */
export type RefillStatusEntry = {
  readonly key: string;
  readonly refillId: number | null;
  readonly status: RefillStatus | null;
};

/** `refill_status` with `refills`: up to 100 ids, answered with one read. */
export async function getRefillStatuses(
  ctx: Context,
  userId: number,
  refillsText: string | undefined,
): Promise<Result<RefillStatusEntry[]>> {
  // The answer shows each refill as a number: "7" and "07" are one refill, answered once.
  const list = parseIdList(refillsText, true);
  if (!list.ok) return list;
  const entries = list.value;
  const ids = validIds(entries);
  const byId = await findOwnRefillStatuses(ctx.db, userId, ids);
  return ok(
    entries.map(({ key, id }) => ({
      key,
      refillId: id,
      status: (id === null ? null : byId.get(id)) ?? null,
    })),
  );
}
