import { type Failure, type Result, fail, ok } from '../../domain/errors.js';
import type { Context } from '../context.js';
import { placeOrder } from './place-order.js';

export const MAX_MASS_ORDER_LINES = 100;

export interface MassOrderLine {
  /** 1-based line number in the text as given (blank lines count, so numbers match the editor). */
  readonly line: number;
  readonly text: string;
  readonly order: number | null;
  readonly failure: Failure | null;
}

/**
 * A mass order: one `service|link|quantity` per line, each placed on its own as an `add` would be
 * (its own transaction and charge), in order, so a bad line is reported and the others still go through.
 */
export async function placeMassOrder(
  ctx: Context,
  userId: number,
  text: string,
): Promise<Result<MassOrderLine[]>> {
  const lines = text.split(/\r?\n/).map((raw, index) => ({ line: index + 1, text: raw.trim() }));
  const filled = lines.filter((entry) => entry.text !== '');
  if (filled.length === 0)
    return fail({ code: 'INVALID_INPUT', field: 'orders', reason: 'one order per line' });
  if (filled.length > MAX_MASS_ORDER_LINES) {
    return fail({ code: 'INVALID_INPUT', field: 'orders', reason: `at most ${MAX_MASS_ORDER_LINES} lines` });
  }
  const results: MassOrderLine[] = [];
  for (const entry of filled) {
    const parts = entry.text.split('|').map((part) => part.trim());
    if (parts.length !== 3) {
      results.push({ ...entry, order: null, failure: { code: 'INCORRECT_REQUEST' } });
      continue;
    }
    const [service, link, quantity] = parts as [string, string, string];
    const placed = await placeOrder(ctx, { userId, params: { service, link, quantity } });
    results.push(
      placed.ok
        ? { ...entry, order: placed.value.order, failure: null }
        : { ...entry, order: null, failure: placed.failure },
    );
  }
  return ok(results);
}
