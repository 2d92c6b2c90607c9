import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/** API keys: 32 random bytes, shown once, stored only as their SHA-256. */
export function generateApiKey(): string {
  return randomBytes(32).toString('hex');
}

const recentHashes = new Map<string, string>();
const RECENT_HASHES_LIMIT = 10_000;

/**
 * SHA-256 of a key, remembered for the keys seen lately: scripts send the same key on every request.
 * Only the hash is looked up in the database, so remembering it grants nothing by itself.
 */
export function hashApiKey(key: string): string {
  let hash = recentHashes.get(key);
  if (hash === undefined) {
    hash = createHash('sha256').update(key).digest('hex');
    if (recentHashes.size >= RECENT_HASHES_LIMIT) recentHashes.clear();
    recentHashes.set(key, hash);
  }
  return hash;
}

/** Enough of a key to recognise it in a listing, never enough to use it. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, 8);
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

let passwordChecks = 0;

/** How many password checks (scrypt runs against a stored hash) this process has made: the login throttle's cost. */
export function passwordChecksMade(): number {
  return passwordChecks;
}

/** Checks a password against a stored `scrypt$N$r$p$salt$hash`, in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  passwordChecks += 1;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const actual = await scryptAsync(password, salt, expected.length, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The cost of a real check, spent when the username is unknown, so timing does not tell. */
let decoyHash: Promise<string> | null = null;
export async function spendPasswordCheck(password: string): Promise<void> {
  decoyHash ??= hashPassword(generatePassword());
  await verifyPassword(password, await decoyHash);
}
