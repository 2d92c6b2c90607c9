import { type Result, fail, ok } from '../../domain/errors.js';
import { listProviderStoredKeys, replaceProviderStoredKey } from '../../store/providers.js';
import { recordAudit } from '../audit.js';
import { type Context, secretsOf } from '../context.js';
import { SecretKeyError } from './secret-box.js';

export interface ReencryptReport {
  /** Provider keys sealed with the current key (plain ones and ones sealed with a previous key). */
  readonly providers: number;
}

/**
 * Seals every stored secret with the current SMMKIT_SECRET_KEY: plain values stored before a key
 * was set, and values sealed with SMMKIT_PREVIOUS_SECRET_KEY during a rotation. Each value is
 * opened and resealed with a fresh IV and replaced only if unchanged meanwhile. Other secrets
 * (payment gateways, 2FA) join this list as they arrive.
 */
export async function reencryptSecrets(ctx: Context): Promise<Result<ReencryptReport>> {
  const box = secretsOf(ctx);
  if (!box.encrypts) {
    return fail({
      code: 'INVALID_INPUT',
      field: 'SMMKIT_SECRET_KEY',
      reason: 'not set: there is no key to encrypt with',
    });
  }
  // Open everything first: a value no key opens stops the command before anything changes.
  const opened: { id: number; storedKey: string; secret: string }[] = [];
  for (const { id, storedKey } of await listProviderStoredKeys(ctx.db)) {
    try {
      opened.push({ id, storedKey, secret: box.open(storedKey) });
    } catch (error) {
      const reason = error instanceof SecretKeyError ? error.message : 'cannot be opened';
      return fail({ code: 'INVALID_INPUT', field: `provider ${id} key`, reason });
    }
  }
  return ctx.db.transaction(async (tx) => {
    let providers = 0;
    for (const { id, storedKey, secret } of opened) {
      if (await replaceProviderStoredKey(tx, { id, expected: storedKey, storedKey: box.seal(secret) }))
        providers++;
    }
    await recordAudit(tx, ctx, 'secrets.reencrypt', 'secrets', { providers });
    return ok({ providers });
  });
}
