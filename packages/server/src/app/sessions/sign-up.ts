import { type Result, ok } from '../../domain/errors.js';
import type { Context } from '../context.js';
import { createUser } from '../users/create-user.js';
import { type StartedSession, startSession } from './start-session.js';

/**
 * A visitor creates a customer account (with its first API key and their email address, to which
 * a verification link goes) and is logged in.
 */
export async function signUp(
  ctx: Context,
  input: { username: string; password: string; email: string },
): Promise<Result<StartedSession & { userId: number }>> {
  const created = await createUser(ctx, {
    username: input.username,
    password: input.password,
    email: input.email,
    role: 'customer',
  });
  if (!created.ok) return created;
  return ok({ ...(await startSession(ctx, created.value.id)), userId: created.value.id });
}
