import { type Result, fail, ok } from '../../domain/errors.js';
import { deletePost as storeDelete } from '../../store/public-pages.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

export async function deletePost(ctx: Context, id: number): Promise<Result<{ ok: true }>> {
  return ctx.db.transaction(async (tx) => {
    if (!(await storeDelete(tx, id))) return fail<{ ok: true }>({ code: 'POST_NOT_FOUND', id });
    await recordAudit(tx, ctx, 'post.delete', `post:${id}`, {});
    return ok({ ok: true as const });
  });
}
