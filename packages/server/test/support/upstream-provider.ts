import { addProvider } from '../../src/app/providers/add-provider.js';
import {
  type ImportInput,
  type ImportReport,
  importProviderServices,
} from '../../src/app/providers/import-provider-services.js';
import type { TestPanel } from './test-panel.js';

/**
 * Makes the panel `upstream` a provider of `reseller`: a customer account with 10 on `upstream`
 * whose API key the reseller uses (request ids honoured, a refusal cancels the order), then imports
 * the upstream services with `markup` (only `providerServiceIds` when given). Throws on any failure.
 */
export async function importFromUpstream(
  reseller: TestPanel,
  upstream: TestPanel,
  options: { name: string } & Omit<ImportInput, 'providerId'>,
): Promise<{ providerId: number; report: ImportReport }> {
  const { name, ...imports } = options;
  const account = await upstream.customer('10');
  const added = await addProvider(reseller.ctx, {
    name,
    url: upstream.apiUrl,
    apiKey: account.apiKey,
    policy: { honoursRequestId: true, onRefusal: 'cancel' },
  });
  if (!added.ok) throw new Error(JSON.stringify(added.failure));
  const report = await importProviderServices(reseller.ctx, { providerId: added.value.id, ...imports });
  if (!report.ok) throw new Error(JSON.stringify(report.failure));
  return { providerId: added.value.id, report: report.value };
}
