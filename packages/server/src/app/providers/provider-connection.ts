import { SmmApiClient, SmmApiError, SmmClientError } from '@smmkit/client';
import { type Result, fail, ok } from '../../domain/errors.js';

/** Long enough for a slow panel, short enough that an owner at the command line is not left waiting. */
const PROVIDER_TIMEOUT_MS = 15_000;
const PROVIDER_RETRIES = 1;

export interface ProviderEndpoint {
  readonly name: string;
  readonly url: string;
  readonly apiKey: string;
}

/**
 * Calls a provider and turns its refusals and transport failures into a PROVIDER_FAILED value;
 * a refusal keeps the provider's own string ("Invalid API key"). The client never puts the key in
 * an error, so neither does this.
 */
export async function askProvider<T>(
  endpoint: ProviderEndpoint,
  call: (client: SmmApiClient) => Promise<T>,
): Promise<Result<T>> {
  try {
    const client = new SmmApiClient({
      url: endpoint.url,
      key: endpoint.apiKey,
      timeoutMs: PROVIDER_TIMEOUT_MS,
      retries: PROVIDER_RETRIES,
    });
    return ok(await call(client));
  } catch (error) {
    if (error instanceof SmmApiError) {
      return fail({ code: 'PROVIDER_FAILED', provider: endpoint.name, reason: error.apiError });
    }
    if (error instanceof SmmClientError) {
      return fail({ code: 'PROVIDER_FAILED', provider: endpoint.name, reason: error.message });
    }
    throw error;
  }
}

/** What `provider list` shows of a key: enough to recognise it, never enough to use it. */
export function maskApiKey(key: string): string {
  return `${key.slice(0, 4)}…`;
}
