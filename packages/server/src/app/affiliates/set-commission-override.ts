import { formatPercent, parsePercent } from '../../domain/deposits.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { setCommissionOverride } from '../../store/affiliates.js';
import { findUserById } from '../../store/users.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { ensureAffiliate } from './ensure-affiliate.js';

/**
 * The admin sets a customer's own commission percent (null: back to the panel's setting). It
 * applies to deposits paid from then on; commissions already earned keep their rate. Audited.
 */
export async function setAffiliateCommission(
  ctx: Context,
  input: { userId: number; commissionPercent: string | null },
): Promise<Result<{ userId: number; commissionBps: number | null }>> {
  let bps: number | null = null;
  if (input.commissionPercent !== null) {
    const parsed = parsePercent(input.commissionPercent);
    if (!parsed.ok)
      return fail({ code: 'INVALID_INPUT', field: 'commission percent', reason: parsed.reason });
    bps = parsed.value;
  }
  return ctx.db.transaction(async (tx) => {
    const user = await findUserById(tx, input.userId);
    if (!user || user.role !== 'customer') return fail({ code: 'AFFILIATE_NOT_FOUND', id: input.userId });
    await ensureAffiliate(tx, user.id, ctx.clock.now());
    await setCommissionOverride(tx, user.id, bps);
    await recordAudit(tx, ctx, 'affiliates.commission', `user:${user.id}`, {
      user: user.username,
      commissionPercent: bps === null ? null : formatPercent(bps),
    });
    return ok({ userId: user.id, commissionBps: bps });
  });
}
