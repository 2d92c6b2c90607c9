import { createHash, randomBytes, scrypt } from 'node:crypto';
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
