import { findTwoFactor } from '../../store/two-factor.js';
import type { Context } from '../context.js';

/** Whether the user's logins need a second step (2FA set up and confirmed). */
export async function hasTwoFactor(ctx: Context, userId: number): Promise<boolean> {
  const factor = await findTwoFactor(ctx.db, userId);
  return factor !== undefined && factor.enabledAt !== null;
}
