import { type Result, fail, ok } from '../../domain/errors.js';
import { can } from '../../domain/permissions.js';
import { deleteSession } from '../../store/sessions.js';
import { findUserById } from '../../store/users.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { hashSessionToken } from './session-token.js';
import { type StartedSession, startSession } from './start-session.js';

/**
 * A staff member (ctx.actor) signs in as a customer: a new session of the customer carrying the staff
 * member, audited; the staff member's own session (`staffToken`) ends. Only an active customer can
 * be signed in as, never staff.
 */
export async function impersonateCustomer(
  ctx: Context,
  input: { staffId: number; customerId: number; staffToken: string | undefined },
): Promise<Result<StartedSession>> {
  const customer = await findUserById(ctx.db, input.customerId);
  if (!customer) return fail({ code: 'NOT_FOUND' });
  if (customer.role !== 'customer') {
    return fail({ code: 'INVALID_INPUT', field: 'user', reason: 'only a customer can be signed in as' });
  }
  if (customer.status !== 'active') {
    return fail({ code: 'INVALID_INPUT', field: 'user', reason: `${customer.username} is suspended` });
  }
  const started = await startSession(ctx, customer.id, { impersonatorId: input.staffId });
  await ctx.db.transaction(async (tx) => {
    if (input.staffToken !== undefined) await deleteSession(tx, hashSessionToken(input.staffToken));
    await recordAudit(tx, ctx, 'user.impersonate', `user:${customer.id}`, { username: customer.username });
  });
  return ok(started);
}

/**
 * Back to admin: the customer session ends and the staff member gets their own session again, if
 * they are still active staff allowed to sign in as customers. Audited as the staff member.
 */
export async function endImpersonation(
  ctx: Context,
  input: { customerId: number; staffId: number; token: string | undefined },
): Promise<Result<StartedSession>> {
  const staff = await findUserById(ctx.db, input.staffId);
  await ctx.db.transaction(async (tx) => {
    if (input.token !== undefined) await deleteSession(tx, hashSessionToken(input.token));
    await recordAudit(
      tx,
      { ...ctx, actor: { kind: 'user', userId: input.staffId } },
      'user.impersonate.end',
      `user:${input.customerId}`,
      {},
    );
  });
  if (!staff || staff.status !== 'active' || !can(staff.role, 'users.impersonate')) {
    return fail({ code: 'NOT_FOUND' });
  }
  return ok(await startSession(ctx, staff.id));
}

/** Every state-changing request made while signed in as a customer, as the audit log keeps it. */
export async function recordImpersonatedRequest(
  ctx: Context,
  request: { customerId: number; method: string; path: string; status: number },
): Promise<void> {
  await ctx.db.transaction((tx) =>
    recordAudit(tx, ctx, 'user.impersonate.request', `user:${request.customerId}`, {
      method: request.method,
      path: request.path,
      status: request.status,
    }),
  );
}
