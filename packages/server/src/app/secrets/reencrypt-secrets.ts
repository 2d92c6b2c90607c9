import { type Result, fail, ok } from '../../domain/errors.js';
import { listPaymentMethods, replacePaymentMethodConfig } from '../../store/payment-methods.js';
import { listProviderStoredKeys, replaceProviderStoredKey } from '../../store/providers.js';
import { listStoredTwoFactorSecrets, replaceStoredTwoFactorSecret } from '../../store/two-factor.js';
import { recordAudit } from '../audit.js';
import { type Context, secretsOf } from '../context.js';
import { openMethodSecrets, sealMethodSecrets } from '../payments/method-secrets.js';
import { SecretKeyError } from './secret-box.js';

export interface ReencryptReport {
  /** Provider keys sealed with the current key (plain ones and ones sealed with a previous key). */
  readonly providers: number;
  /** Payment methods whose gateway secrets were sealed with the current key. */
  readonly paymentMethods: number;
  /** Users' TOTP (2FA) secrets sealed with the current key. */
  readonly twoFactorSecrets: number;
}

/**
 * Seals every stored secret with the current SMMKIT_SECRET_KEY: plain values stored before a key
 * was set, and values sealed with SMMKIT_PREVIOUS_SECRET_KEY during a rotation. Each value is
 * opened and resealed with a fresh IV and replaced only if unchanged meanwhile: provider API keys,
 * payment gateways' secret config fields and users' TOTP secrets.
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
  const methods: { id: number; expected: Record<string, string>; config: Record<string, string> }[] = [];
  for (const method of await listPaymentMethods(ctx.db, { enabledOnly: false })) {
    try {
      const clear = openMethodSecrets(ctx, method.gateway, method.config);
      methods.push({
        id: method.id,
        expected: { ...method.config },
        config: sealMethodSecrets(ctx, method.gateway, clear),
      });
    } catch (error) {
      const reason = error instanceof SecretKeyError ? error.message : 'cannot be opened';
      return fail({ code: 'INVALID_INPUT', field: `payment method ${method.id} secrets`, reason });
    }
  }
  const factors: { userId: number; expected: string; secret: string }[] = [];
  for (const { userId, storedSecret } of await listStoredTwoFactorSecrets(ctx.db)) {
    try {
      factors.push({ userId, expected: storedSecret, secret: box.open(storedSecret) });
    } catch (error) {
      const reason = error instanceof SecretKeyError ? error.message : 'cannot be opened';
      return fail({ code: 'INVALID_INPUT', field: `user ${userId} two-factor secret`, reason });
    }
  }
  return ctx.db.transaction(async (tx) => {
    let providers = 0;
    let twoFactorSecrets = 0;
    let paymentMethods = 0;
    for (const change of methods) {
      if (await replacePaymentMethodConfig(tx, change)) paymentMethods++;
    }
    for (const { id, storedKey, secret } of opened) {
      if (await replaceProviderStoredKey(tx, { id, expected: storedKey, storedKey: box.seal(secret) }))
        providers++;
    }
    for (const { userId, expected, secret } of factors) {
      if (await replaceStoredTwoFactorSecret(tx, { userId, expected, storedSecret: box.seal(secret) }))
        twoFactorSecrets++;
    }
    await recordAudit(tx, ctx, 'secrets.reencrypt', 'secrets', {
      providers,
      paymentMethods,
      twoFactorSecrets,
    });
    return ok({ providers, paymentMethods, twoFactorSecrets });
  });
}
