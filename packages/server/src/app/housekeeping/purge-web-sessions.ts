import { deleteLoginFailuresBefore } from '../../store/login-failures.js';
import { deleteExpiredSessions } from '../../store/sessions.js';
import { deleteSignInLocksBefore } from '../../store/sign-in-locks.js';
import { deleteExpiredChallenges } from '../../store/spent-challenges.js';
import { deleteExpiredPendingLogins } from '../../store/pending-logins.js';
import { deleteSignUpAttemptsBefore } from '../../store/sign-up-attempts.js';
import { SIGN_UP_WINDOW_MS } from '../sessions/sign-up.js';
import type { Context } from '../context.js';
import { LOGIN_WINDOW_MS } from '../sessions/log-in.js';

/** Expired web sessions, failed logins and sign-ups older than their throttle's window, and spent challenges past expiry, only take space. */
export async function purgeWebSessions(ctx: Context): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(
    async (tx) =>
      (await deleteExpiredSessions(tx, now)) +
      (await deleteLoginFailuresBefore(tx, now - LOGIN_WINDOW_MS)) +
      (await deleteSignInLocksBefore(tx, now - SIGN_UP_WINDOW_MS)) +
      (await deleteSignUpAttemptsBefore(tx, now - SIGN_UP_WINDOW_MS)) +
      (await deleteExpiredChallenges(tx, now)) +
      (await deleteExpiredPendingLogins(tx, now)),
  );
}
