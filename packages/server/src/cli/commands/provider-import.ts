import { importProviderServices } from '../../app/providers/import-provider-services.js';
import { parseFixedMarkup, parseMarkupPercent } from '../../domain/markup.js';
import {
  type Command,
  UsageError,
  defineCommand,
  parsePositionalId,
  printResult,
  withCliContext,
} from '../command.js';

function parseServiceIds(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const ids = text.split(',').map((part) => part.trim());
  if (ids.some((id) => !/^\d{1,15}$/.test(id))) {
    throw new UsageError('--services must be provider service ids separated by commas, e.g. 1,2,3');
  }
  return [...new Set(ids.map((id) => String(Number(id))))];
}

export const providerImportCommand: Command = defineCommand({
  name: 'provider import',
  summary: "Create local services from a provider's catalogue, priced at its rate × markup + fixed",
  usage: 'ID [--markup 25%] [--fixed 0.10] [--category-prefix TEXT] [--services 1,2,3]',
  positionals: 1,
  options: {
    markup: { type: 'string' },
    fixed: { type: 'string' },
    'category-prefix': { type: 'string' },
    services: { type: 'string' },
  },
  run({ values, positionals }, io) {
    const providerId = parsePositionalId(positionals[0], 'provider');
    const percent = values.markup === undefined ? undefined : parseMarkupPercent(values.markup);
    if (percent === null)
      throw new UsageError('--markup must be a percentage with up to 2 decimals, e.g. 25%');
    const fixed = values.fixed === undefined ? undefined : parseFixedMarkup(values.fixed);
    if (fixed === null) throw new UsageError('--fixed must be a non-negative amount with up to 5 decimals');
    const input = {
      providerId,
      markup: {
        ...(percent === undefined ? {} : { percentHundredths: percent }),
        ...(fixed === undefined ? {} : { fixed }),
      },
      categoryPrefix: values['category-prefix'],
      providerServiceIds: parseServiceIds(values.services),
    };
    return withCliContext(io, async (ctx) => printResult(io, await importProviderServices(ctx, input)));
  },
});
