import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 defaults every authenticator app reads: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;
/** A code from the step before or after the current one is still accepted (clock drift). */
const TOLERANCE_SECONDS = PERIOD_SECONDS;

export function newTotpSecret(): string {
  return generateSecret();
}

export function otpauthUrl(input: { issuer: string; username: string; secret: string }): string {
  return generateURI({ issuer: input.issuer, label: input.username, secret: input.secret });
}

/**
 * The time step a 6-digit code matches (now, or one step either side), later than `afterTimeStep`;
 * null when it matches none. Storing the step it answers refuses the same code a second time.
 */
export async function matchTotp(input: {
  secret: string;
  code: string;
  now: number;
  afterTimeStep: number;
}): Promise<number | null> {
  if (!/^\d{6}$/.test(input.code)) return null;
  const result = await verify({
    secret: input.secret,
    token: input.code,
    epoch: Math.floor(input.now / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(input.afterTimeStep >= 0 ? { afterTimeStep: input.afterTimeStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/** Ten recovery codes, `xxxxx-xxxxx` (50 random bits each): shown once, stored as SHA-256. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const text = randomBytes(8).toString('hex').slice(0, 10);
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase()).digest('hex');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[0-9a-f]{5}-[0-9a-f]{5}$/i.test(code.trim());
}
