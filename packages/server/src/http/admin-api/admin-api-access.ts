import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type AdminCaller,
  authenticateAdminToken,
  tokenContext,
} from '../../app/admin-tokens/authenticate-admin-token.js';
import {
  type IdempotentRequest,
  claimIdempotentRequest,
  finishIdempotentRequest,
  releaseIdempotentRequest,
} from '../../app/admin-tokens/idempotent-request.js';
import type { Context } from '../../app/context.js';
import { type Permission, can } from '../../domain/permissions.js';
import type { Panel } from '../../panel.js';
import { PROBLEM_TYPE, sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    adminCaller: AdminCaller | null;
    idempotent: IdempotentRequest | null;
  }
  interface FastifyContextConfig {
    /** An admin API route's permission; none: the route is public (the OpenAPI document, the docs). */
    adminApiPermission?: Permission;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_\-.~+/]{10,200}=*)$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Bearer token → caller; refused with 401 (unknown, revoked, suspended) or 403 (the role lacks it). */
export function adminApiAccessHook(panel: Panel) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const permission = request.routeOptions.config.adminApiPermission;
    if (permission === undefined) return;
    const match = BEARER.exec(request.headers.authorization ?? '');
    const caller = match === null ? null : await authenticateAdminToken(panel.ctx, match[1]!);
    if (caller === null) {
      void reply.header('www-authenticate', 'Bearer realm="admin-api"');
      await sendProblem(
        reply,
        401,
        'UNAUTHENTICATED',
        match === null
          ? 'Send an admin API token: Authorization: Bearer <token>'
          : 'This token is unknown or revoked, or its holder is suspended',
      );
      return;
    }
    if (!can(caller.role, permission)) {
      await sendProblem(
        reply,
        403,
        'FORBIDDEN',
        `Your role (${caller.role}) may not do this (${permission})`,
      );
      return;
    }
    request.adminCaller = caller;
  };
}

/** The context of the route's use case: the token's holder as actor, audited with the token's name. */
export function callerContext(panel: Panel, request: FastifyRequest): Context {
  if (request.adminCaller === null) throw new Error('admin API route without the access hook');
  return tokenContext(panel.ctx, request.adminCaller);
}

export function callerOf(request: FastifyRequest): AdminCaller {
  if (request.adminCaller === null) throw new Error('admin API route without the access hook');
  return request.adminCaller;
}

function requestHash(request: FastifyRequest): string {
  const path = request.url.split('?')[0];
  return createHash('sha256')
    .update(`${request.method} ${path}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/**
 * `Idempotency-Key` on a POST (after validation): the first request with a key runs and its answer is
 * kept; the same key with the same request replays that answer without running anything; with another
 * request it is refused (422). Keys belong to one token.
 */
export function idempotencyHook(panel: Panel) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || request.adminCaller === null) return;
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
      await sendProblem(
        reply,
        400,
        'INVALID_IDEMPOTENCY_KEY',
        'Idempotency-Key: 1-255 printable ASCII characters',
      );
      return;
    }
    const idempotent = { tokenId: request.adminCaller.tokenId, key, requestHash: requestHash(request) };
    const claim = await claimIdempotentRequest(panel.ctx, idempotent);
    switch (claim.kind) {
      case 'run':
        request.idempotent = idempotent;
        return;
      case 'replay':
        await reply
          .code(claim.status)
          .header('idempotent-replayed', 'true')
          .type(claim.status < 300 ? 'application/json; charset=utf-8' : PROBLEM_TYPE)
          .send(claim.answer);
        return;
      case 'mismatch':
        await sendProblem(
          reply,
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used with another request: use a new key for a new request',
        );
        return;
      case 'busy':
        await sendProblem(
          reply,
          409,
          'IDEMPOTENCY_KEY_IN_USE',
          'A request with this Idempotency-Key is still running: retry later',
        );
        return;
    }
  };
}

/** Keeps the answer of the request holding its key (before it leaves), or frees the key after a fault. */
export function idempotencyRecorder(panel: Panel) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const idempotent = request.idempotent;
    if (idempotent === null) return payload;
    request.idempotent = null;
    if (reply.statusCode >= 500 || typeof payload !== 'string')
      await releaseIdempotentRequest(panel.ctx, idempotent);
    else await finishIdempotentRequest(panel.ctx, idempotent, { status: reply.statusCode, body: payload });
    return payload;
  };
}
