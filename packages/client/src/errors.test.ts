import { describe, expect, it } from 'vitest';
import { json, startFakePanel, unusedUrl } from '../test/fake-panel.js';
import type { Reply } from '../test/fake-panel.js';
import { SmmApiClient } from './client.js';
import {
  SmmApiError,
  SmmClientError,
  SmmHttpError,
  SmmNetworkError,
  SmmResponseError,
  SmmTimeoutError,
  isOutcomeUnknown,
} from './errors.js';

const KEY = 'secret-api-key-0042';

async function failureOf(reply: Reply, call: (client: SmmApiClient) => Promise<unknown>): Promise<unknown> {
  const panel = await startFakePanel(reply);
  const client = new SmmApiClient({ url: panel.url, key: KEY, retries: 0, timeoutMs: 2000 });
  return call(client).then(
    () => {
      throw new Error('the call was expected to fail');
    },
    (error: unknown) => error,
  );
}

const balance = (client: SmmApiClient) => client.balance();

describe('error mapping', () => {
  it.each([
    ['add', (c: SmmApiClient) => c.add({ type: 'Default', service: 1, link: 'l', quantity: 10 })],
    ['status', (c: SmmApiClient) => c.statuses([1, 2])],
    ['cancel', (c: SmmApiClient) => c.cancel([1])],
  ])('a 200 {"error"} answer to %s is an SmmApiError with the exact string', async (action, call) => {
    const error = await failureOf(json({ error: 'Quantity less than minimal 50' }), call);

    expect(error).toBeInstanceOf(SmmApiError);
    expect(error).toBeInstanceOf(SmmClientError);
    expect(error).toMatchObject({
      name: 'SmmApiError',
      message: 'Quantity less than minimal 50',
      apiError: 'Quantity less than minimal 50',
      action,
      httpStatus: 200,
    });
    expect(isOutcomeUnknown(error)).toBe(false);
  });

  it('an error string is kept byte for byte', async () => {
    const message = 'You have active order with this link. Please wait until order being completed.';
    const error = await failureOf(json({ error: message }), balance);
    expect((error as SmmApiError).message).toBe(message);
  });

  it('a 4xx with a JSON error is an SmmApiError too', async () => {
    const error = await failureOf(json({ error: 'Invalid API key' }, 401), balance);
    expect(error).toBeInstanceOf(SmmApiError);
    expect(error).toMatchObject({ apiError: 'Invalid API key', httpStatus: 401, action: 'balance' });
  });

  it('a 500 is an SmmHttpError that keeps the status and the body error, and the outcome is unknown', async () => {
    const error = await failureOf(json({ error: 'Internal error' }, 500), balance);

    expect(error).toBeInstanceOf(SmmHttpError);
    expect(error).toMatchObject({ status: 500, apiError: 'Internal error', action: 'balance' });
    expect((error as SmmHttpError).message).toBe('The panel answered HTTP 500: Internal error');
    expect(isOutcomeUnknown(error)).toBe(true);
  });

  it('a 429 keeps Retry-After, and nothing was processed', async () => {
    const error = await failureOf(json({ error: 'Too many requests' }, 429, { 'Retry-After': '7' }), balance);

    expect(error).toBeInstanceOf(SmmHttpError);
    expect(error).toMatchObject({
      status: 429,
      retryAfter: '7',
      retryAfterMs: 7000,
      apiError: 'Too many requests',
    });
    expect(isOutcomeUnknown(error)).toBe(false);
  });

  it('a 413 is an SmmHttpError', async () => {
    const error = await failureOf(json({ error: 'Request too large' }, 413), balance);
    expect(error).toMatchObject({ name: 'SmmHttpError', status: 413, apiError: 'Request too large' });
  });

  it('a 404 HTML page is an SmmHttpError', async () => {
    const error = await failureOf({ status: 404, body: '<html>Not Found</html>' }, balance);
    expect(error).toBeInstanceOf(SmmHttpError);
    expect(error).toMatchObject({ status: 404, apiError: undefined, retryAfter: undefined });
    expect(isOutcomeUnknown(error)).toBe(false);
  });

  it('a 502 from a proxy without JSON is an SmmHttpError', async () => {
    const error = await failureOf({ status: 502, body: 'Bad Gateway' }, balance);
    expect(error).toMatchObject({ name: 'SmmHttpError', status: 502, apiError: undefined });
  });

  it('a redirect is not followed (it would turn the POST into a GET without the key)', async () => {
    const panel = await startFakePanel({
      status: 301,
      headers: { Location: 'https://panel.test/api/v2' },
      body: '',
    });
    const client = new SmmApiClient({ url: panel.url, key: 'key' });

    const error = await client.add({ type: 'Package', service: 1, link: 'l' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmmHttpError);
    expect(error).toMatchObject({ status: 301, location: 'https://panel.test/api/v2' });
    expect((error as SmmHttpError).message).toBe(
      'The panel answered with a redirect (HTTP 301) to https://panel.test/api/v2; use the final API URL',
    );
    expect(panel.requests).toHaveLength(1);
    expect(isOutcomeUnknown(error)).toBe(false);
  });

  it('a 200 that is not JSON is an SmmResponseError carrying the text', async () => {
    const body = '<br><b>Warning</b>: mysqli_connect(): Too many connections';
    const error = await failureOf({ body }, balance);

    expect(error).toBeInstanceOf(SmmResponseError);
    expect(error).toMatchObject({
      problem: 'not JSON',
      responseText: body,
      httpStatus: 200,
      action: 'balance',
    });
    expect(isOutcomeUnknown(error)).toBe(true);
  });

  it('the response text kept on an SmmResponseError is capped', async () => {
    const error = await failureOf({ body: 'x'.repeat(5000) }, balance);
    expect((error as SmmResponseError).responseText).toBe('x'.repeat(2000));
  });

  it('a panel that never answers is an SmmTimeoutError after timeoutMs', async () => {
    const panel = await startFakePanel('hang');
    const client = new SmmApiClient({ url: panel.url, key: 'key', timeoutMs: 150, retries: 0 });
    const started = performance.now();

    const error = await client.status(1).catch((e: unknown) => e);

    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(SmmTimeoutError);
    expect(error).toMatchObject({
      timeoutMs: 150,
      action: 'status',
      message: 'No answer from the panel within 150 ms',
    });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1500);
    expect(isOutcomeUnknown(error)).toBe(true);
  });

  it('the timeout covers the body too: headers then silence is an SmmTimeoutError', async () => {
    const panel = await startFakePanel('stall');
    const client = new SmmApiClient({ url: panel.url, key: KEY, timeoutMs: 150, retries: 0 });

    const error = await client.balance().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmmTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 150, action: 'balance' });
  });

  it('a connection cut after the request is an SmmNetworkError that may have been processed', async () => {
    const error = await failureOf('drop', balance);

    expect(error).toBeInstanceOf(SmmNetworkError);
    expect(error).toMatchObject({ requestMayHaveBeenSent: true, action: 'balance' });
    expect(isOutcomeUnknown(error)).toBe(true);
  });

  it('a refused connection is an SmmNetworkError that was certainly not processed', async () => {
    const client = new SmmApiClient({ url: await unusedUrl(), key: 'key', retries: 0 });

    const error = await client.add({ type: 'Package', service: 1, link: 'l' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmmNetworkError);
    expect(error).toMatchObject({ requestMayHaveBeenSent: false, action: 'add' });
    expect((error as Error).message).toBe('Could not reach the panel: fetch failed (ECONNREFUSED)');
    expect(isOutcomeUnknown(error)).toBe(false);
  });

  it('a fetch failing in an unknown way counts as maybe sent', async () => {
    const client = new SmmApiClient({
      url: 'https://panel.test/api/v2',
      key: 'key',
      retries: 0,
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });

    const error = await client.balance().catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'SmmNetworkError', requestMayHaveBeenSent: true });
    expect((error as Error).cause).toEqual(new TypeError('Failed to fetch'));
  });

  it.each([
    ['an API error', json({ error: 'Invalid API key' })],
    ['an HTTP error', json({ error: 'Internal error' }, 500)],
    ['an unreadable answer', { body: 'oops' }],
    ['a dropped connection', 'drop'],
  ] as [string, Reply][])('%s never carries the key', async (_name, reply) => {
    const error = await failureOf(reply, balance);
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect(String(error)).not.toContain(KEY);
    expect((error as Error).stack).not.toContain(KEY);
  });
});

describe('isOutcomeUnknown', () => {
  it('is false only for answers that prove nothing happened', () => {
    expect(isOutcomeUnknown(new SmmApiError('Not enough funds on balance', 'add', 200))).toBe(false);
    expect(isOutcomeUnknown(new SmmHttpError(429, 'add'))).toBe(false);
    expect(isOutcomeUnknown(new SmmHttpError(413, 'add'))).toBe(false);
    expect(isOutcomeUnknown(new SmmHttpError(503, 'add'))).toBe(true);
    expect(isOutcomeUnknown(new SmmTimeoutError('add', 100))).toBe(true);
    expect(isOutcomeUnknown(new SmmNetworkError('add', false, new Error('x')))).toBe(false);
    expect(isOutcomeUnknown(new SmmNetworkError('add', true, new Error('x')))).toBe(true);
    expect(isOutcomeUnknown(new SmmResponseError('add', 'not JSON', '', 200))).toBe(true);
    expect(isOutcomeUnknown(new Error('something else'))).toBe(true);
  });
});

describe('client options', () => {
  it('rejects bad options at construction', () => {
    expect(() => new SmmApiClient({ url: 'not a url', key: 'k' })).toThrow(TypeError);
    expect(() => new SmmApiClient({ url: 'https://p.test/api/v2', key: '' })).toThrow(
      new TypeError('key must be a non-empty string'),
    );
    expect(() => new SmmApiClient({ url: 'https://p.test/api/v2', key: 'k', timeoutMs: 0 })).toThrow(
      RangeError,
    );
    expect(() => new SmmApiClient({ url: 'https://p.test/api/v2', key: 'k', retries: -1 })).toThrow(
      RangeError,
    );
  });
});
