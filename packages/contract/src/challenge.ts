import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';

/**
 * A proof-of-work challenge (ALTCHA v2, SHA-256): find the counter whose key starts with
 * `keyPrefix`, then send `base64(JSON({ challenge, solution: { counter, derivedKey } }))` as the
 * `challenge` field of sign-up or login. Every field is signed: send them back as received.
 */
export const Challenge = Type.Object(
  {
    parameters: Type.Object({
      algorithm: Type.String(),
      nonce: Type.String(),
      salt: Type.String(),
      cost: Type.Integer(),
      keyLength: Type.Integer(),
      keyPrefix: Type.String(),
      keySignature: Type.Optional(Type.String()),
      data: Type.Optional(Type.Object({ expires: Type.Integer() })),
    }),
    signature: Type.String(),
  },
  { title: 'Challenge' },
);
export type Challenge = Static<typeof Challenge>;

export const getChallenge = endpoint('GET', '/challenge', { answer: Challenge });
