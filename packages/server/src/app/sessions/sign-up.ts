import { type Result, fail, ok } from '../../domain/errors.js';
import { isReservedUsername } from '../../domain/usernames.js';
import { lockSignInKeys } from '../../store/sign-in-locks.js';
import { countSignUpAttempts, insertSignUpAttempt } from '../../store/sign-up-attempts.js';
import { type ReferralSource, attributeReferral } from '../affiliates/attribute-referral.js';
import type { SignInPolicy } from '../challenges/challenge-policy.js';
import { checkChallenge, spendCheckedChallenge } from '../challenges/spend-challenge.js';
import type { Context } from '../context.js';
import { readSecuritySettings } from '../settings/security-settings.js';
import { createUser } from '../users/create-user.js';
import { type StartedSession, startSession } from './start-session.js';

/** Sign-ups are counted per client address over this window. */
export const SIGN_UP_WINDOW_MS = 60 * 60 * 1000;

export interface SignUpInput {
  readonly username: string;
  readonly password: string;
  /** Required: a verification link goes to it. */
  readonly email: string;
  /** A solved proof-of-work challenge (ALTCHA payload): needed while the challenge is on. */
  readonly challenge?: string | undefined;
  /** The client's address, as the HTTP layer sees it. */
  readonly address: string;
  readonly policy: SignInPolicy;
  /** The affiliate's code sent with the sign-up, or the referral link's cookie (either may be absent or unknown). */
  readonly referral?: ReferralSource;
}

/**
 * Spends the challenge and reserves one sign-up for the address, under the address's lock, before
 * any password is hashed: however many arrive at once, no more than the limit get that far.
 */
async function admitSignUp(ctx: Context, input: SignUpInput): Promise<Result<void>> {
  const { policy } = input;
  const solved =
    policy.challenge && input.challenge !== undefined ? await checkChallenge(ctx, input.challenge) : null;
  if (policy.challenge && input.challenge === undefined) {
    return fail({ code: 'CHALLENGE_REQUIRED', reason: 'signup' });
  }
  if (policy.challenge && solved === null) return fail({ code: 'CHALLENGE_FAILED' });
  if (!policy.challenge && policy.signUpsPerHour === 0) return ok(undefined);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    if (policy.signUpsPerHour > 0) {
      await lockSignInKeys(tx, [`signup:address:${input.address}`], now);
      const recent = await countSignUpAttempts(tx, {
        address: input.address,
        since: now - SIGN_UP_WINDOW_MS,
      });
      if (recent >= policy.signUpsPerHour) {
        return fail<void>({ code: 'SIGNUP_THROTTLED', retryAfterSeconds: SIGN_UP_WINDOW_MS / 1000 });
      }
      await insertSignUpAttempt(tx, { address: input.address, now });
    }
    return solved === null ? ok(undefined) : spendCheckedChallenge(tx, solved);
  });
}

/**
 * A visitor creates a customer account (with its first API key and their email address, to which
 * a verification link goes) and is logged in.
 */
export async function signUp(
  ctx: Context,
  input: SignUpInput,
): Promise<Result<StartedSession & { userId: number }>> {
  if (!(await readSecuritySettings(ctx)).signUpOpen) return fail({ code: 'SIGNUP_CLOSED' });
  const username = input.username.trim().normalize('NFKC');
  if (isReservedUsername(username)) return fail({ code: 'USERNAME_RESERVED', username });
  const admitted = await admitSignUp(ctx, input);
  if (!admitted.ok) return admitted;
  const created = await createUser(ctx, {
    username,
    password: input.password,
    email: input.email,
    role: 'customer',
  });
  if (!created.ok) return created;
  if (input.referral !== undefined) await attributeReferral(ctx, created.value.id, input.referral);
  return ok({ ...(await startSession(ctx, created.value.id)), userId: created.value.id });
}
