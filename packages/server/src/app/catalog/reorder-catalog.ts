import { FailureSignal, type Result, fail, ok } from '../../domain/errors.js';
import { bumpCatalogVersion } from '../../store/catalog-version.js';
import { setCategorySort } from '../../store/categories.js';
import { setServiceSort } from '../../store/services.js';
import { recordAudit } from '../audit.js';
import { transactOrRollBack } from '../rollback-on-failure.js';
import type { Context } from '../context.js';

/**
 * Puts categories or services in the given order (the list's position becomes each one's sort key),
 * which is the order `services` answers and the price list shows.
 */
export async function reorderCatalog(
  ctx: Context,
  input: { what: 'categories' | 'services'; ids: readonly number[] },
): Promise<Result<{ ids: number[] }>> {
  const ids = [...input.ids];
  if (ids.length === 0 || ids.length > 10_000 || new Set(ids).size !== ids.length) {
    return fail({ code: 'INVALID_INPUT', field: 'order', reason: 'a list of distinct ids' });
  }
  return transactOrRollBack(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    for (const [index, id] of ids.entries()) {
      const found =
        input.what === 'categories'
          ? await setCategorySort(tx, id, index)
          : await setServiceSort(tx, id, index, now);
      if (!found) {
        throw new FailureSignal(
          input.what === 'categories'
            ? { code: 'INVALID_INPUT', field: 'category', reason: `no category with id ${id}` }
            : { code: 'SERVICE_NOT_FOUND', id },
        );
      }
    }
    await bumpCatalogVersion(tx);
    await recordAudit(tx, ctx, `${input.what}.reorder`, input.what, { ids });
    return ok({ ids });
  });
}
