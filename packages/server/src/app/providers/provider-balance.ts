import { type Result, fail, ok } from '../../domain/errors.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import { findProvider, recordProviderBalance } from '../../store/providers.js';
import { type Context, secretsOf } from '../context.js';
import { askProvider } from './provider-connection.js';

/** Asks the provider for this panel's balance there and remembers it. */
export async function providerBalance(
  ctx: Context,
  providerId: number,
): Promise<Result<{ id: number; name: string; balance: string; currency: string }>> {
  const provider = await findProvider(ctx.db, providerId);
  if (!provider) return fail({ code: 'PROVIDER_NOT_FOUND', id: providerId });
  const answer = await askProvider(
    { name: provider.name, url: provider.url, apiKey: secretsOf(ctx).open(provider.apiKey) },
    (client) => client.balance(),
  );
  if (!answer.ok) return answer;
  const amount = parseMoney(answer.value.balance);
  if (amount === null) {
    return fail({
      code: 'PROVIDER_FAILED',
      provider: provider.name,
      reason: `unreadable balance ${JSON.stringify(answer.value.balance)}`,
    });
  }
  const currency = answer.value.currency;
  await ctx.db.transaction((tx) =>
    recordProviderBalance(tx, providerId, { currency, amount, now: ctx.clock.now() }),
  );
  return ok({ id: providerId, name: provider.name, balance: formatMoney(amount), currency });
}
