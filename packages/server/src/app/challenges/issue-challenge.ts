import { createChallenge, randomInt } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { panelSecret } from '../../store/panel-secrets.js';
import type { Context } from '../context.js';

/** How long a challenge may be solved and used. */
export const CHALLENGE_LIFETIME_MS = 10 * 60 * 1000;
/**
 * The answer is a random counter below this: a browser tries about half of them (SHA-256 each),
 * under a second on a phone, while a bot signing up by the thousand pays it every time.
 */
export const CHALLENGE_MAX_COUNTER = 50_000;
export const CHALLENGE_ALGORITHM = 'SHA-256';

export const CHALLENGE_SECRET = 'challenge_secret';
export const CHALLENGE_KEY_SECRET = 'challenge_key_secret';

export interface IssuedChallenge {
  readonly parameters: {
    readonly algorithm: string;
    readonly nonce: string;
    readonly salt: string;
    readonly cost: number;
    readonly keyLength: number;
    readonly keyPrefix: string;
    readonly keySignature?: string | undefined;
    /** The panel clock's expiry, signed with the rest. */
    readonly data: { readonly expires: number };
  };
  readonly signature: string;
}

/**
 * A signed ALTCHA challenge (proof of work v2, SHA-256). Nothing is stored: the signature
 * proves it is ours, its signed expiry bounds it, and spending it records it as used.
 */
export async function issueChallenge(ctx: Context): Promise<IssuedChallenge> {
  const now = ctx.clock.now();
  const [secret, keySecret] = [
    await panelSecret(ctx.db, CHALLENGE_SECRET, now),
    await panelSecret(ctx.db, CHALLENGE_KEY_SECRET, now),
  ];
  const expires = now + CHALLENGE_LIFETIME_MS;
  const challenge = await createChallenge({
    algorithm: CHALLENGE_ALGORITHM,
    cost: 1,
    counter: randomInt(CHALLENGE_MAX_COUNTER),
    deriveKey,
    data: { expires },
    hmacSignatureSecret: secret,
    hmacKeySignatureSecret: keySecret,
  });
  if (challenge.signature === undefined) throw new Error('unsigned challenge');
  return { parameters: { ...challenge.parameters, data: { expires } }, signature: challenge.signature };
}
