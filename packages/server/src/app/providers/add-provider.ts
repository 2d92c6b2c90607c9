import { type Failure, type Result, fail, ok } from '../../domain/errors.js';
import { parseMoney } from '../../domain/money.js';
import type { ProviderPolicy } from '../../domain/fulfilment.js';
import { insertProvider, providerNameTaken } from '../../store/providers.js';
import { recordAudit } from '../audit.js';
import { type Context, secretsOf } from '../context.js';
import { askProvider } from './provider-connection.js';

/**
 * Unless told otherwise, a provider is not trusted to replay a repeated request_id (an unknown
 * outcome goes to review), and a refusal of an order cancels and refunds it.
 */
export const DEFAULT_PROVIDER_POLICY: ProviderPolicy = { honoursRequestId: false, onRefusal: 'cancel' };

const invalid = (field: string, reason: string): Failure => ({ code: 'INVALID_INPUT', field, reason });

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Registers an upstream panel. The key is checked with a `balance` call first, so a mistyped key
 * or URL is reported now and stores nothing; the answer also gives the provider's currency.
 */
export async function addProvider(
  ctx: Context,
  input: { name: string; url: string; apiKey: string; policy?: ProviderPolicy | undefined },
): Promise<Result<{ id: number }>> {
  const name = input.name.trim();
  const url = input.url.trim();
  const apiKey = input.apiKey.trim();
  if (name === '' || name.length > 100) return fail(invalid('name', '1-100 characters'));
  if (!isHttpUrl(url)) return fail(invalid('url', 'an http:// or https:// API address'));
  if (apiKey === '' || apiKey.length > 500) return fail(invalid('key', '1-500 characters'));

  if (await providerNameTaken(ctx.db, name)) return fail({ code: 'PROVIDER_NAME_TAKEN', name });
  const answer = await askProvider({ name, url, apiKey }, (client) => client.balance());
  if (!answer.ok) return answer;
  const balance = parseMoney(answer.value.balance);

  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const id = await insertProvider(tx, {
      name,
      url,
      apiKey: secretsOf(ctx).seal(apiKey),
      currency: answer.value.currency,
      balance,
      policy: input.policy ?? DEFAULT_PROVIDER_POLICY,
      now,
    });
    if (id === null) return fail<{ id: number }>({ code: 'PROVIDER_NAME_TAKEN', name });
    await recordAudit(tx, ctx, 'provider.add', `provider:${id}`, { name, url, ...input.policy });
    return ok({ id });
  });
}
