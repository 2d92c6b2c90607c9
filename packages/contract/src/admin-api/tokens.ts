import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { IsoTime, List, Nullable } from '../primitives.js';

/** A staff member's admin API token as listed: never the token itself. */
export const AdminTokenInfo = Type.Object(
  { name: Type.String(), createdAt: IsoTime, lastUsedAt: Nullable(IsoTime) },
  { title: 'AdminTokenInfo' },
);
export type AdminTokenInfo = Static<typeof AdminTokenInfo>;

export const AdminTokenList = Type.Object({ tokens: List(AdminTokenInfo) }, { title: 'AdminTokenList' });
export type AdminTokenList = Static<typeof AdminTokenList>;

export const NewAdminTokenBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64 }) },
  { title: 'NewAdminTokenBody', additionalProperties: false },
);
export type NewAdminTokenBody = Static<typeof NewAdminTokenBody>;

/** The token, shown once: only its hash is stored. */
export const NewAdminToken = Type.Object(
  { name: Type.String(), token: Type.String() },
  { title: 'NewAdminToken' },
);
export type NewAdminToken = Static<typeof NewAdminToken>;

export const AdminTokenRevoked = Type.Object({ revoked: Type.String() }, { title: 'AdminTokenRevoked' });
export type AdminTokenRevoked = Static<typeof AdminTokenRevoked>;

/** The web panel's profile page: a staff member's own admin API tokens. */
export const listAdminTokens = endpoint('GET', '/account/admin-tokens', { answer: AdminTokenList });
export const createAdminToken = endpoint('POST', '/account/admin-tokens', {
  body: NewAdminTokenBody,
  answer: NewAdminToken,
});
export const revokeAdminToken = endpoint('POST', '/account/admin-tokens/revoke', {
  body: NewAdminTokenBody,
  answer: AdminTokenRevoked,
});
