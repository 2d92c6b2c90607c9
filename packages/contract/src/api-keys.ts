import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { Id, IsoTime, List, Nullable } from './primitives.js';
import { IdParams } from './request-params.js';

/** A key as listed: its first characters only (the key itself is never stored). */
export const ApiKey = Type.Object(
  { id: Id, prefix: Type.String(), createdAt: Nullable(IsoTime), revokedAt: Nullable(IsoTime) },
  { title: 'ApiKey' },
);
export type ApiKey = Static<typeof ApiKey>;

export const ApiKeyList = Type.Object({ keys: List(ApiKey) }, { title: 'ApiKeyList' });
export type ApiKeyList = Static<typeof ApiKeyList>;

/** A new key: in this answer once, never again. */
export const NewApiKey = Type.Object({ apiKey: Type.String() }, { title: 'NewApiKey' });
export type NewApiKey = Static<typeof NewApiKey>;

export const KeyRevoked = Type.Object({ revoked: Type.Literal(true) }, { title: 'KeyRevoked' });
export type KeyRevoked = Static<typeof KeyRevoked>;

export const listApiKeys = endpoint('GET', '/api-keys', { answer: ApiKeyList });
export const createApiKey = endpoint('POST', '/api-keys', { answer: NewApiKey });
export const rotateApiKey = endpoint('POST', '/api-keys/:id/rotate', { params: IdParams, answer: NewApiKey });
export const revokeApiKey = endpoint('POST', '/api-keys/:id/revoke', {
  params: IdParams,
  answer: KeyRevoked,
});
