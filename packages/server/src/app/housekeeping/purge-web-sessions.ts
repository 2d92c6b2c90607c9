import { deleteLoginFailuresBefore } from '../../store/login-failures.js';
import { deleteExpiredSessions } from '../../store/sessions.js';
import { deleteSignInLocksBefore } from '../../store/sign-in-locks.js';
import type { Context } from '../context.js';
import { LOGIN_WINDOW_MS } from '../sessions/log-in.js';

/** Expired web sessions and failed logins older than the throttle's window only take space. */
export async function purgeWebSessions(ctx: Context): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(
    async (tx) =>
      (await deleteExpiredSessions(tx, now)) +
      (await deleteLoginFailuresBefore(tx, now - LOGIN_WINDOW_MS)) +
      (await deleteSignInLocksBefore(tx, now - LOGIN_WINDOW_MS)),
  );
}
