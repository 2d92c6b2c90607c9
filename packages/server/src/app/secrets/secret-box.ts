import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (provider API keys, payment gateway secrets, users' TOTP secrets):
 * AES-256-GCM with a key from SMMKIT_SECRET_KEY, stored as `v1:<iv>:<tag>:<ciphertext>` (base64).
 * Without a key, secrets are stored as given; plain values stored before a key was set are read
 * as they are, and `smmkit secrets reencrypt` seals them.
 */
const PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretKeyError extends Error {}

/** 32 bytes, as base64 (44 characters) or hex (64 characters). */
export function parseSecretKey(text: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/]{43}=$/.test(value)
      ? Buffer.from(value, 'base64')
      : null;
  if (key === null || key.length !== 32) {
    throw new SecretKeyError('must be 32 bytes as base64 or hex (openssl rand -base64 32)');
  }
  return key;
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export class SecretBox {
  /**
   * `key` seals and opens; `previousKeys` only open (a key being rotated out, until
   * `smmkit secrets reencrypt` has run).
   */
  constructor(
    private readonly key: Buffer | null,
    private readonly previousKeys: readonly Buffer[] = [],
  ) {}

  get encrypts(): boolean {
    return this.key !== null;
  }

  /** The value to store: sealed with the key when there is one, else as given. */
  seal(plain: string): string {
    if (this.key === null) return plain;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ciphertext.toString('base64')}`;
  }

  /** The secret from a stored value, sealed or plain. Throws when it cannot be opened (no or wrong key, tampered). */
  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const parts = stored.slice(PREFIX.length).split(':');
    if (parts.length !== 3) throw new SecretKeyError('a stored secret is malformed');
    const [iv, tag, ciphertext] = parts.map((part) => Buffer.from(part, 'base64')) as [
      Buffer,
      Buffer,
      Buffer,
    ];
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new SecretKeyError('a stored secret is malformed');
    const keys = this.key === null ? this.previousKeys : [this.key, ...this.previousKeys];
    if (keys.length === 0) throw new SecretKeyError('secrets are encrypted: set SMMKIT_SECRET_KEY');
    for (const key of keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        // Another key may open it.
      }
    }
    throw new SecretKeyError('a stored secret does not open with SMMKIT_SECRET_KEY (wrong key, or tampered)');
  }
}

/** No key: secrets stored as given. */
export const PLAIN_SECRETS = new SecretBox(null);
