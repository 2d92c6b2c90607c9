import { setTimeout as sleep } from 'node:timers/promises';
import {
  claimAdminIdempotencyKey,
  finishAdminIdempotencyKey,
  findAdminIdempotencyKey,
  releaseAdminIdempotencyKey,
} from '../../store/admin-idempotency.js';
import type { Context } from '../context.js';

/** An Idempotency-Key is honoured for 24 hours, then purged by the worker. */
export const ADMIN_IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** How long a request waits for a concurrent one holding the same key before it is told to retry. */
const WAIT_FOR_HOLDER_MS = 10_000;
const POLL_MS = 20;

export interface IdempotentRequest {
  readonly tokenId: number;
  readonly key: string;
  /** What the request asks (method, path, body): the same key with another request is refused. */
  readonly requestHash: string;
}

export type IdempotencyClaim =
  /** This request holds the key: run it, then `finishIdempotentRequest` (or release on a fault). */
  | { readonly kind: 'run' }
  /** The key answered already: send this again, run nothing. */
  | { readonly kind: 'replay'; readonly status: number; readonly answer: string }
  /** The key was used with another request. */
  | { readonly kind: 'mismatch' }
  /** A request with this key is still running after the wait. */
  | { readonly kind: 'busy' };

/**
 * Claims a token's Idempotency-Key. The claim is a unique insert, so of concurrent requests with one
 * key exactly one runs; the others wait for its answer and replay it.
 */
export async function claimIdempotentRequest(
  ctx: Context,
  request: IdempotentRequest,
): Promise<IdempotencyClaim> {
  const deadline = Date.now() + WAIT_FOR_HOLDER_MS;
  for (;;) {
    const claimed = await ctx.db.transaction((tx) =>
      claimAdminIdempotencyKey(tx, { ...request, now: ctx.clock.now() }),
    );
    if (claimed) return { kind: 'run' };
    const held = await findAdminIdempotencyKey(ctx.db, request.tokenId, request.key);
    // Released in between (the holder failed): claim it again.
    if (held === undefined) continue;
    if (held.requestHash !== request.requestHash) return { kind: 'mismatch' };
    if (held.status !== null && held.answer !== null) {
      return { kind: 'replay', status: held.status, answer: held.answer };
    }
    if (Date.now() >= deadline) return { kind: 'busy' };
    await sleep(POLL_MS);
  }
}

/** Records the answer of the request holding the key, to be replayed to the same request later. */
export async function finishIdempotentRequest(
  ctx: Context,
  request: IdempotentRequest,
  answer: { status: number; body: string },
): Promise<void> {
  await ctx.db.transaction((tx) =>
    finishAdminIdempotencyKey(tx, {
      tokenId: request.tokenId,
      key: request.key,
      status: answer.status,
      answer: answer.body,
    }),
  );
}

/** Frees the key of a request that ended in a fault (nothing to replay): the client may retry it. */
export async function releaseIdempotentRequest(ctx: Context, request: IdempotentRequest): Promise<void> {
  await ctx.db.transaction((tx) => releaseAdminIdempotencyKey(tx, request.tokenId, request.key));
}
