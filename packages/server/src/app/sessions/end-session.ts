import { deleteSession } from '../../store/sessions.js';
import type { Context } from '../context.js';
import { hashSessionToken } from './session-token.js';

export async function endSession(ctx: Context, token: string): Promise<void> {
  await ctx.db.transaction((tx) => deleteSession(tx, hashSessionToken(token)));
}
