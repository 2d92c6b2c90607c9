import { verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { type Result, fail, ok } from '../../domain/errors.js';
import type { Queryable } from '../../store/database.js';
import { panelSecret } from '../../store/panel-secrets.js';
import { spendChallenge as recordSpentChallenge } from '../../store/spent-challenges.js';
import type { Context } from '../context.js';
import { CHALLENGE_ALGORITHM, CHALLENGE_KEY_SECRET, CHALLENGE_SECRET } from './issue-challenge.js';

/** A solved challenge as the browser sends it: ALTCHA's payload, base64 of `{challenge, solution}`. */
export type ChallengePayload = string;

interface CheckedChallenge {
  readonly signature: string;
  readonly expiresAt: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The payload decoded and checked (signature, expiry on the panel's clock, the work done), or null. */
export async function checkChallenge(
  ctx: Context,
  payload: ChallengePayload,
): Promise<CheckedChallenge | null> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  if (!isRecord(decoded) || !isRecord(decoded.challenge) || !isRecord(decoded.solution)) return null;
  const { parameters, signature } = decoded.challenge;
  const { counter, derivedKey } = decoded.solution;
  if (!isRecord(parameters) || typeof signature !== 'string' || signature.length > 200) return null;
  if (parameters.algorithm !== CHALLENGE_ALGORITHM || parameters.cost !== 1) return null;
  if (typeof counter !== 'number' || typeof derivedKey !== 'string' || derivedKey.length > 200) return null;
  const expires = isRecord(parameters.data) ? parameters.data.expires : undefined;
  if (typeof expires !== 'number' || expires <= ctx.clock.now()) return null;
  const now = ctx.clock.now();
  try {
    const result = await verifySolution({
      challenge: { parameters: parameters as never, signature },
      solution: { counter, derivedKey },
      deriveKey,
      hmacSignatureSecret: await panelSecret(ctx.db, CHALLENGE_SECRET, now),
      hmacKeySignatureSecret: await panelSecret(ctx.db, CHALLENGE_KEY_SECRET, now),
    });
    return result.verified ? { signature, expiresAt: expires } : null;
  } catch {
    // Parameters the library cannot even read are a wrong answer, never a fault.
    return null;
  }
}

/** Records a checked challenge as used, in the caller's transaction: a second use fails. */
export async function spendCheckedChallenge(
  tx: Queryable,
  challenge: CheckedChallenge,
): Promise<Result<void>> {
  return (await recordSpentChallenge(tx, challenge)) ? ok(undefined) : fail({ code: 'CHALLENGE_FAILED' });
}
