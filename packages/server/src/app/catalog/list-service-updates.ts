import { fail, ok } from '../../domain/errors.js';
import { formatRate } from '../../domain/money.js';
import type { ServiceUpdateKind } from '../../domain/service-updates.js';
import {
  countServiceUpdates,
  listServiceUpdates as queryServiceUpdates,
} from '../../store/service-updates.js';
import type { Context } from '../context.js';

export const SERVICE_UPDATES_PAGE_SIZE = 50;

/** Rates as the price list shows them; quantity bounds as whole numbers. */
function shown(kind: ServiceUpdateKind, value: bigint | null): string | null {
  if (value === null) return null;
  return kind === 'min_changed' || kind === 'max_changed' ? value.toString() : formatRate(value);
}

/** The catalogue's changes a customer would care about, newest first, a page at a time. */
export async function listServiceUpdates(ctx: Context, query: { page?: number | undefined }) {
  const page = query.page ?? 1;
  if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
    return fail({ code: 'INVALID_INPUT', field: 'page', reason: 'a whole number from 1' });
  }
  const [updates, total] = await Promise.all([
    queryServiceUpdates(ctx.db, {
      limit: SERVICE_UPDATES_PAGE_SIZE,
      offset: (page - 1) * SERVICE_UPDATES_PAGE_SIZE,
    }),
    countServiceUpdates(ctx.db),
  ]);
  return ok({
    updates: updates.map((update) => ({
      id: update.id,
      serviceId: update.serviceId,
      serviceName: update.serviceName,
      kind: update.kind,
      old: shown(update.kind, update.old),
      new: shown(update.kind, update.new),
      createdAt: new Date(update.createdAt).toISOString(),
    })),
    page,
    pageSize: SERVICE_UPDATES_PAGE_SIZE,
    total,
  });
}
